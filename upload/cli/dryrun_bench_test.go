package cli

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/sandbox"
)

// BenchmarkDryRunResolve is issue 12's scale figure: a dry run (prepare
// skipped, every person resolved) of 500 photos on all five platforms
// against the sandbox at its documented limits (rate scale 1), reporting
// each platform's seconds and the extrapolation to 10,000 photos:
//
//	go test -run '^$' -bench DryRunResolve -benchtime 1x ./upload/cli
func BenchmarkDryRunResolve(b *testing.B) {
	const n = 500
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
	for i := 0; i < b.N; i++ {
		for _, p := range []upload.Platform{upload.Zoom, upload.Rhombus, upload.Igloo, upload.Interact, upload.Netex} {
			c, err := cfg.Client(p)
			if err != nil {
				b.Fatal(err)
			}
			prepare := func(ctx context.Context, path string, _ imageprep.Options) (*imageprep.Result, error) {
				data, err := os.ReadFile(path)
				return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 600, Height: 600}, err
			}
			e, err := engine.New(engine.Config{Clients: []upload.Client{c}, Prepare: prepare, DryRun: true})
			if err != nil {
				b.Fatal(err)
			}
			go func() {
				for range e.Events() {
				}
			}()
			start := time.Now()
			e.Start(context.Background())
			e.Submit(faultJobs(photos)...)
			if err := e.Wait(context.Background()); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			e.Close()
			st := e.Snapshot()[0]
			fmt.Printf("%-9s %d photos: %.1f s (%d checked, %d failed); 10,000 photos: about %.0f s\n",
				p, n, d.Seconds(), st.Done, st.Failed, d.Seconds()*10000/n)
			b.ReportMetric(d.Seconds()*10000/n, string(p)+"-s/10k")
		}
	}
}
