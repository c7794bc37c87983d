package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/people"
	"headshot/upload/sandbox"
)

// BenchmarkDryRunResolve is issue 12's scale figure: one dry run (prepare
// skipped, every person resolved) of 10,000 photos on all five platforms
// at once against the sandbox at its documented limits (rate scale 1), as
// `headshot upload --dry-run` runs it. It prints when each platform
// finished and the whole run's time, first with an empty people cache
// (the first run), then again with the cache the first run left (a later
// run within people_ttl):
//
//	go test -run '^$' -bench DryRunResolve -benchtime 1x ./upload/cli
//
// HEADSHOT_BENCH_PEOPLE sets another number of photos,
// HEADSHOT_BENCH_PLATFORMS other platforms (comma-separated, e.g.
// m365,google).
func BenchmarkDryRunResolve(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("HEADSHOT_BENCH_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	sb, err := sandbox.Start(sandbox.Options{Users: sandbox.Roster(n), RateScale: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	dir := b.TempDir()
	photos, err := benchPhotos(dir, n)
	if err != nil {
		b.Fatal(err)
	}
	cfg := benchConfig(sb, 5, 1)
	five := []upload.Platform{upload.Zoom, upload.Rhombus, upload.Igloo, upload.Interact, upload.Netex}
	if v := os.Getenv("HEADSHOT_BENCH_PLATFORMS"); v != "" {
		five = nil
		for _, p := range strings.Split(v, ",") {
			five = append(five, upload.Platform(strings.TrimSpace(p)))
		}
	}
	prepare := func(ctx context.Context, path string, _ imageprep.Options) (*imageprep.Result, error) {
		data, err := os.ReadFile(path)
		return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 600, Height: 600}, err
	}
	tenants := map[upload.Platform]string{}
	for _, p := range five {
		tenants[p] = cfg.Tenant(p)
	}
	cachePath := people.PathFor(filepath.Join(b.TempDir(), "journal.db"))
	for i := 0; i < b.N; i++ {
		_ = os.Remove(cachePath)
		for _, run := range []string{"first run (no people cache)", "next run (people cache)"} {
			var clients []upload.Client
			for _, p := range five {
				c, err := cfg.Client(p)
				if err != nil {
					b.Fatal(err)
				}
				clients = append(clients, c)
			}
			pc, warn := people.Open(cachePath, tenants)
			if warn != "" {
				b.Fatal(warn)
			}
			e, err := engine.New(engine.Config{Clients: clients, Prepare: prepare, DryRun: true, People: pc})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			last := map[upload.Platform]time.Duration{}
			done := make(chan struct{})
			go func() {
				defer close(done)
				for ev := range e.Events() {
					if ev.Kind == engine.EventChecked || ev.Kind == engine.EventFailed {
						last[ev.Platform] = ev.Time.Sub(start)
					}
				}
			}()
			e.Start(context.Background())
			e.Submit(faultJobs(photos)...)
			if err := e.Wait(context.Background()); err != nil {
				b.Fatal(err)
			}
			total := time.Since(start)
			stats := e.Snapshot()
			e.Close()
			<-done
			if err := pc.Save(); err != nil {
				b.Fatal(err)
			}
			hits, _ := pc.Stats()
			fmt.Printf("%s, %d photos x %d platforms: %.1f s (%d remembered)\n", run, n, len(five), total.Seconds(), hits)
			is, il, _ := sb.IglooLookups()
			zg, zl, _ := sb.ZoomLookups()
			fmt.Printf("  lookups so far: igloo %d list pages + %d searches; zoom %d list pages + %d gets; netex %d list pages and gets\n",
				il, is, zl, zg, len(sb.NetexLookups()))
			for _, st := range stats {
				fmt.Printf("  %-9s %.1f s (%d checked, %d failed)\n", st.Platform, last[st.Platform].Seconds(), st.Done, st.Failed)
				if st.Done != n {
					b.Errorf("%s: %d of %d checked", st.Platform, st.Done, n)
				}
			}
			if i == 0 && run == "first run (no people cache)" {
				b.ReportMetric(total.Seconds(), "s/first-run")
				for _, st := range stats {
					b.ReportMetric(last[st.Platform].Seconds(), string(st.Platform)+"-s")
				}
			} else if i == 0 {
				b.ReportMetric(total.Seconds(), "s/next-run")
			}
		}
	}
}
