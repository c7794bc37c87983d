package cli

import (
	"context"
	"testing"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/sandbox"
)

// BenchmarkUploadAllPlatforms runs the engine against the in-process
// sandbox (limits enforced) on every platform whose client this build has,
// for about 5 s, and reports each platform's achieved/limit ratio, 429s and
// duplicates. Targets: ratio >= 0.95, <= 1 429/min, 0 duplicates.
func BenchmarkUploadAllPlatforms(b *testing.B) {
	plats := availablePlatforms(b)
	for i := 0; i < b.N; i++ {
		res, err := RunUploadBench(context.Background(), BenchOptions{Seconds: 5, Platforms: plats, Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			b.ReportMetric(r.Ratio, string(r.Platform)+"-ratio")
			b.ReportMetric(float64(r.Throttles), string(r.Platform)+"-429s")
			b.ReportMetric(float64(r.Duplicates), string(r.Platform)+"-dups")
			if r.Duplicates > 0 || r.Failed > 0 {
				b.Errorf("%s: %d duplicates, %d failed", r.Platform, r.Duplicates, r.Failed)
			}
		}
	}
}

// availablePlatforms are the platforms this build has clients for.
func availablePlatforms(tb testing.TB) []upload.Platform {
	sb := sandbox.New(sandbox.Options{})
	sb.URL = "http://127.0.0.1:1"
	cfg := config.FromValues(sb.Credentials())
	var out []upload.Platform
	for _, p := range upload.Platforms() {
		if _, err := cfg.Client(p); err == nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		tb.Skip("no platform clients in this build")
	}
	return out
}

func TestBenchShortRunMeetsLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a few seconds against the sandbox")
	}
	// Functional check of the bench itself (not a speed assertion): every
	// photo stored exactly once, none failed, requests counted.
	res, err := RunUploadBench(context.Background(), BenchOptions{Seconds: 1, Platforms: []upload.Platform{upload.Zoom, upload.Netex}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d results", len(res))
	}
	for _, r := range res {
		if r.Duplicates != 0 || r.Failed != 0 || r.Requests == 0 || r.Photos != r.Requests {
			t.Errorf("%s: %+v", r.Platform, r)
		}
	}
}
