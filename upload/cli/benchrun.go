package cli

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/rhombus"
	"headshot/upload/sandbox"
)

// BenchOptions configure an upload benchmark run.
type BenchOptions struct {
	// Seconds is how long each platform should be kept busy: each gets
	// enough photos for its limit times Seconds. Default 30.
	Seconds float64
	// Photos caps the photos per platform (0: as many as Seconds needs).
	Photos int
	// RhombusBatch is the Rhombus batch size (photos per request); small so
	// the request rate, which is what Rhombus limits, can be measured with
	// a modest roster. Default 5.
	RhombusBatch int
	// Platforms to run (nil: all five).
	Platforms []upload.Platform
	// Overdrive multiplies every client's configured rate (default 1):
	// above 1 the engine is told a faster limit than the sandbox enforces,
	// to exercise its 429 handling (pause, slow down, recover) for real.
	// Ratios stay relative to the sandbox's (documented) limit.
	Overdrive float64
	// Dir holds the generated photos (default: a temporary directory,
	// removed afterwards).
	Dir string
}

// BenchResult is one platform's figures.
type BenchResult struct {
	Platform   upload.Platform
	Limit      upload.Rate // the client's declared limit (requests)
	Requests   int         // upload requests made (batches count once)
	Photos     int         // photos stored by the sandbox
	Rate       float64     // achieved requests/s from first to last request
	Ratio      float64     // Rate / Limit
	Throttles  int         // 429s the engine received
	Duplicates int         // photos stored more than once for one user
	Failed     int
	Wall       time.Duration // first request to last answer
}

// PerMinute is the 429s per minute of the run.
func (r BenchResult) PerMinute() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Throttles) / r.Wall.Minutes()
}

// RunUploadBench starts the sandbox in-process with its limits enforced
// (rate scale 1), and runs the engine with every platform at once over
// distinct small prepared photos for the sandbox's roster.
func RunUploadBench(ctx context.Context, o BenchOptions) ([]BenchResult, error) {
	if o.Seconds <= 0 {
		o.Seconds = 30
	}
	if o.RhombusBatch <= 0 {
		o.RhombusBatch = 5
	}
	if o.Overdrive <= 0 {
		o.Overdrive = 1
	}
	if o.Platforms == nil {
		o.Platforms = upload.Platforms()
	}
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "headshot-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		o.Dir = dir
	}

	// Quotas: photos per platform to keep it busy for Seconds.
	probe, err := sandbox.Start(sandbox.Options{Users: sandbox.Roster(1)})
	if err != nil {
		return nil, err
	}
	cfgProbe := benchConfig(probe, o.RhombusBatch, 1)
	quota := map[upload.Platform]int{}
	documented := map[upload.Platform]upload.Rate{}
	most := 0
	for _, p := range o.Platforms {
		c, err := cfgProbe.Client(p)
		if err != nil {
			probe.Close()
			return nil, fmt.Errorf("bench: %s: %w", p, err)
		}
		lim := c.Limits()
		documented[p] = lim.Rate
		batch := max(1, lim.BatchSize)
		n := int(math.Ceil(lim.Rate.PerSecond()*o.Seconds))*batch + 1
		if o.Photos > 0 && n > o.Photos {
			n = o.Photos
		}
		quota[p] = n
		most = max(most, n)
	}
	probe.Close()

	sb, err := sandbox.Start(sandbox.Options{Users: sandbox.Roster(most), RateScale: 1})
	if err != nil {
		return nil, err
	}
	defer sb.Close()
	cfg := benchConfig(sb, o.RhombusBatch, o.Overdrive)
	var clients []upload.Client
	counters := map[upload.Platform]*requestLog{}
	for _, p := range o.Platforms {
		c, err := cfg.Client(p)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", p, err)
		}
		log := &requestLog{}
		counters[p] = log
		clients = append(clients, countRequests(c, log))
	}

	photos, err := benchPhotos(o.Dir, most)
	if err != nil {
		return nil, err
	}
	prepared := map[string][]byte{}
	for i, p := range photos {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		prepared[photos[i]] = data
	}
	prepare := func(ctx context.Context, path string, opt imageprep.Options) (*imageprep.Result, error) {
		data, ok := prepared[path]
		if !ok {
			return nil, fmt.Errorf("bench: no photo %s", path)
		}
		return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 600, Height: 600}, nil
	}
	jobs := make([]engine.Job, most)
	for i := range jobs {
		var plats []upload.Platform
		for _, p := range o.Platforms {
			if i < quota[p] {
				plats = append(plats, p)
			}
		}
		jobs[i] = engine.Job{Path: photos[i], Person: fmt.Sprintf("staff%03d@example.com", i+1), Platforms: plats}
	}

	e, err := engine.New(engine.Config{Clients: clients, Prepare: prepare})
	if err != nil {
		return nil, err
	}
	go func() {
		for range e.Events() {
		}
	}()
	e.Start(ctx)
	e.Submit(jobs...)
	werr := e.Wait(ctx)
	stats := e.Snapshot()
	e.Close()
	if werr != nil {
		return nil, werr
	}

	stored := map[upload.Platform]map[string]int{}
	for _, r := range sb.Received() {
		p := upload.Platform(r.Platform)
		if stored[p] == nil {
			stored[p] = map[string]int{}
		}
		stored[p][r.User]++
	}
	var out []BenchResult
	for _, s := range stats {
		log := counters[s.Platform]
		r := BenchResult{Platform: s.Platform, Limit: documented[s.Platform], Throttles: s.Throttles, Failed: s.Failed}
		r.Requests, r.Rate, r.Wall = log.figures()
		if ps := r.Limit.PerSecond(); ps > 0 {
			r.Ratio = r.Rate / ps
		}
		for _, n := range stored[s.Platform] {
			r.Photos += n
			if n > 1 {
				r.Duplicates += n - 1
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// benchConfig points every platform at the sandbox, with each client's
// default rate multiplied by overdrive.
func benchConfig(sb *sandbox.Sandbox, rhombusBatch int, overdrive float64) *config.Config {
	cfg := config.FromValues(sb.Credentials())
	if cfg.Has(upload.Rhombus) {
		config.Settings[rhombus.Config](cfg, upload.Rhombus).BatchSize = rhombusBatch
	}
	if overdrive != 1 {
		for _, p := range cfg.Platforms() {
			r, err := upload.ParseRate(cfg.Value(string(p), "rate"))
			if err != nil {
				continue
			}
			perMinute := r.PerSecond() * 60
			_ = cfg.Set(string(p), "rate", fmt.Sprintf("%d/min", int(math.Round(perMinute*overdrive))))
		}
	}
	return cfg
}

// benchPhotos writes n distinct 600x600 JPEGs (one base image, each with
// its own comment segment so every file and its hash differ).
func benchPhotos(dir string, n int) ([]string, error) {
	img := image.NewRGBA(image.Rect(0, 0, 600, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 600; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 3), 128, 255})
		}
	}
	var base bytes.Buffer
	if err := jpeg.Encode(&base, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	b := base.Bytes()
	out := make([]string, n)
	for i := range out {
		com := []byte(fmt.Sprintf("headshot bench photo %d", i))
		seg := append([]byte{0xFF, 0xFE, byte((len(com) + 2) >> 8), byte(len(com) + 2)}, com...)
		data := append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
		out[i] = filepath.Join(dir, fmt.Sprintf("staff%03d@example.com.jpg", i+1))
		if err := os.WriteFile(out[i], data, 0o600); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// requestLog records a client's upload requests.
type requestLog struct {
	mu    sync.Mutex
	start []time.Time
	end   time.Time
}

func (l *requestLog) begin() {
	l.mu.Lock()
	l.start = append(l.start, time.Now())
	l.mu.Unlock()
}

func (l *requestLog) finish() {
	l.mu.Lock()
	l.end = time.Now()
	l.mu.Unlock()
}

// figures: requests, achieved rate (first to last request) and wall time.
func (l *requestLog) figures() (int, float64, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.start)
	if n == 0 {
		return 0, 0, 0
	}
	ts := append([]time.Time(nil), l.start...)
	sort.Slice(ts, func(a, b int) bool { return ts[a].Before(ts[b]) })
	wall := l.end.Sub(ts[0])
	if n < 2 {
		return n, 0, wall
	}
	return n, float64(n-1) / ts[n-1].Sub(ts[0]).Seconds(), wall
}

// countRequests wraps a client to log its upload requests, keeping the
// batch interface when the client has it.
func countRequests(c upload.Client, log *requestLog) upload.Client {
	if bc, ok := c.(upload.BatchClient); ok {
		return countingBatch{countingClient{c, log}, bc}
	}
	return countingClient{c, log}
}

type countingClient struct {
	upload.Client
	log *requestLog
}

func (c countingClient) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	c.log.begin()
	defer c.log.finish()
	return c.Client.Upload(ctx, t, p)
}

type countingBatch struct {
	countingClient
	bc upload.BatchClient
}

func (c countingBatch) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	c.log.begin()
	defer c.log.finish()
	return c.bc.UploadBatch(ctx, items)
}
