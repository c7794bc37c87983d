package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"headshot/imageprep"
	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/journal"
	"headshot/upload/sandbox"
)

// BenchFaultsLong is `headshot bench faults --help`.
const BenchFaultsLong = `The fault campaign: uploads N distinct photos to every platform of an
in-process sandbox that misbehaves, with a journal, running again (as a
technician would) until nothing is left to send or --runs is reached, and
reports per scenario the photos, the runs and what each left to send, the
upload requests the sandbox saw, the photos it stored, duplicates (a photo
stored twice for one person) and lost (a photo never stored).

Scenarios: 503 (30% of uploads answered 503), reset (20% of connections
cut mid-request), drop (20% of answers lost after the photo was stored),
kill9 (the upload process killed with SIGKILL once half the photos are
stored, then run again). The sandbox and the clients run --scale times
faster than the documented limits, so a campaign takes about a minute.
Exit 1 when a photo was lost.`

// FaultScenario is one misbehaviour of the campaign.
type FaultScenario struct {
	Name   string
	Faults sandbox.Faults
	Kill9  bool // kill the first run with SIGKILL mid-way
}

// FaultScenarios are the campaign's scenarios, in order.
var FaultScenarios = []FaultScenario{
	{Name: "503", Faults: sandbox.Faults{FailureRate: 0.3, Seed: 1}},
	{Name: "reset", Faults: sandbox.Faults{ResetRate: 0.2, Seed: 2}},
	{Name: "drop", Faults: sandbox.Faults{DropRate: 0.2, Seed: 3}},
	{Name: "kill9", Faults: sandbox.Faults{Latency: 20 * time.Millisecond, Seed: 4}, Kill9: true},
}

// FaultOptions configure a campaign.
type FaultOptions struct {
	Photos    int     // per platform (default 30)
	Scale     float64 // sandbox and client rates times the documented (default 20)
	Platforms []upload.Platform
	Runs      int // most runs per scenario (default 4)
	// Exe is the headshot binary the kill9 scenario starts and kills
	// (default: this executable).
	Exe string
	// ExeArgs come before "bench faults --child-run ..." (a test binary
	// passes its own flags).
	ExeArgs []string
}

// FaultResult is one scenario's figures.
type FaultResult struct {
	Scenario   string
	Photos     int   // photos x platforms the campaign asked to deliver
	Runs       int   // upload runs it took (the killed one included)
	Requests   int   // upload requests the sandbox saw
	Stored     int   // photos the sandbox stored, duplicates included
	Duplicates int   // stored more than once for one person on one platform
	Lost       int   // never stored
	Failed     int   // reported failed by the last run
	Killed     int   // photos stored before the SIGKILL (kill9)
	PerRun     []int // photos each in-process run left failed or unsent
	Wall       time.Duration
}

// BenchFaults is `headshot bench faults`; platforms and scenarios are its
// comma-separated --platform and --scenario lists ("": all).
func BenchFaults(o FaultOptions, platforms, scenarios string, stdout, stderr io.Writer) int {
	var err error
	if o.Platforms, err = parsePlatforms(platforms); err != nil {
		fmt.Fprintln(stderr, "headshot bench faults:", err)
		return exitUsage
	}
	if o.Photos < 1 || o.Scale <= 0 || o.Runs < 1 {
		fmt.Fprintln(stderr, "headshot bench faults: --photos >= 1, --scale > 0, --runs >= 1")
		return exitUsage
	}
	var chosen []FaultScenario
	for _, sc := range FaultScenarios {
		if scenarios == "" || containsWord(scenarios, sc.Name) {
			chosen = append(chosen, sc)
		}
	}
	if len(chosen) == 0 {
		fmt.Fprintf(stderr, "headshot bench faults: no scenario %q (503, reset, drop, kill9)\n", textsafe.Clean(scenarios))
		return exitUsage
	}
	ctx := context.Background()
	fmt.Fprintf(stdout, "Fault campaign: %d photos per platform, sandbox and clients at %gx the documented limits\n", o.Photos, o.Scale)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SCENARIO\tPHOTOS\tRUNS\tLEFT/RUN\tREQUESTS\tSTORED\tDUPLICATES\tLOST\tFAILED\tWALL\t")
	code := exitOK
	for _, sc := range chosen {
		r, err := RunFaultScenario(ctx, sc, o)
		if err != nil {
			tw.Flush()
			fmt.Fprintf(stderr, "headshot bench faults: %s: %s\n", sc.Name, textsafe.Clean(err.Error()))
			return exitFailed
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%.1fs\t\n", r.Scenario, r.Photos, r.Runs, perRun(r), r.Requests,
			r.Stored, r.Duplicates, r.Lost, r.Failed, r.Wall.Seconds())
		if r.Lost > 0 {
			code = exitFailed
		}
	}
	tw.Flush()
	return code
}

func containsWord(list, w string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.TrimSpace(x) == w {
			return true
		}
	}
	return false
}

// RunFaultScenario runs one scenario: a sandbox with its faults, N photos
// per platform, runs with one journal until nothing is left to send.
func RunFaultScenario(ctx context.Context, sc FaultScenario, o FaultOptions) (FaultResult, error) {
	if o.Photos <= 0 {
		o.Photos = 30
	}
	if o.Scale <= 0 {
		o.Scale = 20
	}
	if o.Runs <= 0 {
		o.Runs = 4
	}
	if o.Platforms == nil {
		o.Platforms = upload.Platforms()
	}
	res := FaultResult{Scenario: sc.Name, Photos: o.Photos * len(o.Platforms)}
	dir, err := os.MkdirTemp("", "headshot-faults-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	photoDir := filepath.Join(dir, "photos")
	if err := os.Mkdir(photoDir, 0o700); err != nil {
		return res, err
	}
	photos, err := benchPhotos(photoDir, o.Photos)
	if err != nil {
		return res, err
	}
	sb, err := sandbox.Start(sandbox.Options{Users: sandbox.Roster(o.Photos), RateScale: o.Scale, Faults: sc.Faults})
	if err != nil {
		return res, err
	}
	defer sb.Close()
	cfg := benchConfig(sb, 5, o.Scale)
	for _, p := range upload.Platforms() {
		if !containsPlatform(o.Platforms, p) {
			cfg.Disable(p)
		}
	}
	cfgPath := filepath.Join(dir, "config.toml")
	if err := cfg.Save(cfgPath); err != nil {
		return res, err
	}
	jpath := filepath.Join(dir, "journal.db")
	start := time.Now()

	if sc.Kill9 {
		killed, err := killMidRun(ctx, o, sb, cfgPath, jpath, photoDir, res.Photos)
		if err != nil {
			return res, err
		}
		res.Killed = killed
		res.Runs++
		// The rest of the campaign runs without latency.
		f := sc.Faults
		f.Latency = 0
		sb.SetFaults(f)
	}
	for res.Runs < o.Runs {
		res.Runs++
		failed, unsent, err := faultRun(ctx, cfg, jpath, photos)
		if err != nil {
			return res, err
		}
		res.Failed = failed
		res.PerRun = append(res.PerRun, failed+unsent)
		if failed+unsent == 0 {
			break
		}
	}
	res.Wall = time.Since(start)
	res.Requests = sb.UploadRequests()
	stored := map[string]int{}
	for _, r := range sb.Received() {
		stored[r.Platform+"/"+r.User]++
		res.Stored++
	}
	for _, n := range stored {
		if n > 1 {
			res.Duplicates += n - 1
		}
	}
	for _, p := range o.Platforms {
		for i := range photos {
			if stored[string(p)+"/"+benchPerson(i)] == 0 {
				res.Lost++
			}
		}
	}
	return res, nil
}

func containsPlatform(ps []upload.Platform, p upload.Platform) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func benchPerson(i int) string { return fmt.Sprintf("staff%03d@example.com", i+1) }

// faultEngine builds the campaign's engine: the config's clients, the
// journal, and photos sent as they are (the campaign is about delivery,
// not preparation).
func faultEngine(cfg *config.Config, j *journal.Journal) (*engine.Engine, error) {
	clients, err := cfg.Clients()
	if err != nil {
		return nil, err
	}
	prepare := func(ctx context.Context, path string, _ imageprep.Options) (*imageprep.Result, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 600, Height: 600}, nil
	}
	return engine.New(engine.Config{Clients: clients, Prepare: prepare, Journal: j, Backoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second})
}

func faultJobs(photos []string) []engine.Job {
	jobs := make([]engine.Job, len(photos))
	for i, p := range photos {
		jobs[i] = engine.Job{Path: p, Person: benchPerson(i)}
	}
	return jobs
}

// faultRun is one run over every photo with the journal; it returns the
// photos reported failed and those left unsent (a paused platform).
func faultRun(ctx context.Context, cfg *config.Config, jpath string, photos []string) (failed, unsent int, err error) {
	j, err := journal.Open(jpath)
	if err != nil {
		return 0, 0, err
	}
	defer j.Close()
	e, err := faultEngine(cfg, j)
	if err != nil {
		return 0, 0, err
	}
	go func() {
		for range e.Events() {
		}
	}()
	e.Start(ctx)
	e.Submit(faultJobs(photos)...)
	werr := e.Wait(ctx)
	e.Close()
	if werr != nil {
		return 0, 0, werr
	}
	for _, it := range e.Items() {
		switch it.State {
		case journal.StateUploaded, engine.StateSkipped, engine.StateChecked:
		case journal.StateFailed:
			failed++
		default:
			unsent++
		}
	}
	return failed, unsent, nil
}

// killMidRun starts `headshot bench faults --child` on the photos, kills
// it with SIGKILL once about half the photos are stored, and returns how
// many were stored by then.
func killMidRun(ctx context.Context, o FaultOptions, sb *sandbox.Sandbox, cfgPath, jpath, photoDir string, want int) (int, error) {
	exe := o.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return 0, err
		}
	}
	args := append(append([]string{}, o.ExeArgs...), "bench", "faults", "--child-run", cfgPath+","+jpath+","+photoDir)
	cmd := exec.CommandContext(ctx, exe, args...)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(5 * time.Minute)
	for {
		select {
		case err := <-exited:
			return 0, fmt.Errorf("the run to be killed ended first (%v): %s", err, textsafe.Clean(errb.String()))
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			return 0, errors.New("the run to be killed stored nothing in 5 minutes")
		case <-time.After(5 * time.Millisecond):
		}
		if n := len(sb.Received()); n >= want/2 {
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			return len(sb.Received()), nil
		}
	}
}

// FaultChild is the run kill9 kills (bench faults --child-run
// CONFIG,JOURNAL,DIR, a hidden flag).
func FaultChild(spec string, stderr io.Writer) int {
	args := strings.Split(spec, ",")
	if len(args) != 3 {
		fmt.Fprintln(stderr, "usage: headshot bench faults --child-run CONFIG,JOURNAL,DIR")
		return exitUsage
	}
	cfg, err := config.Load(args[0])
	if err != nil {
		fmt.Fprintln(stderr, textsafe.Clean(err.Error()))
		return exitFailed
	}
	photos, err := filepath.Glob(filepath.Join(args[2], "*.jpg"))
	if err != nil || len(photos) == 0 {
		fmt.Fprintln(stderr, "no photos in", textsafe.Clean(args[2]))
		return exitFailed
	}
	// benchPhotos names them in person order.
	if _, _, err := faultRun(context.Background(), cfg, args[1], photos); err != nil {
		fmt.Fprintln(stderr, textsafe.Clean(err.Error()))
		return exitFailed
	}
	return exitOK
}

// perRun is "killed,3,0": what each run left to send.
func perRun(r FaultResult) string {
	var parts []string
	if r.Killed > 0 {
		parts = append(parts, "killed")
	}
	for _, n := range r.PerRun {
		parts = append(parts, fmt.Sprint(n))
	}
	return strings.Join(parts, ",")
}
