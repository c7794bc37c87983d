// Package demo is `headshot demo`: the whole product with no account
// anywhere. It starts the platform emulators in-process (with a few faults
// switched on so the error views have something to show), writes sample
// portraits derived from one public-domain photo into a temporary folder,
// points every platform at the emulators with a journal in that folder, and
// hands the result to the TUI, or runs the batch headlessly through the
// upload engine printing its events. Nothing is written outside the
// temporary folder.
package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/sandbox"
)

// Options tune a demo.
type Options struct {
	// Root is the temporary folder to use ("" : a new one under os.TempDir,
	// removed by Close).
	Root string
	// RateScale speeds every platform up (sandbox limits and client rates
	// alike); 1 is real time. Tests and CI use more.
	RateScale float64
	// Faults override the demo faults (nil: DemoFaults()).
	Faults  *sandbox.Faults
	Samples SampleOptions
}

// DemoFaults are the faults the demo shows: a few 5xx answers (retried),
// and Zoom refusing one person's photo.
func DemoFaults() sandbox.Faults {
	return sandbox.Faults{FailureRate: 0.05, ZoomRejects: []string{ZoomRejected}, Seed: 7}
}

// DemoZoomMaxBytes is the demo sandbox's Zoom picture limit: below Zoom's
// real 2 MB so that the Grainy sample's prepared photo (about 130 KB, the
// others are under 80 KB) is answered 413 and re-encoded smaller.
const DemoZoomMaxBytes = 100_000

// InteractDemoRate is the rate the demo's Interact client is set to: above
// what the platform (and the sandbox, at its real 6/min) allows, so the
// demo shows 429s, the countdown and the slowed pace. Real configs keep 6/min.
const InteractDemoRate = "20/min"

// Demo is a running demo environment.
type Demo struct {
	Sandbox *sandbox.Sandbox
	Root    string // temporary folder holding everything below
	Photos  string // the sample portraits
	Samples []Sample
	Config  *config.Config
	// Skipped lists platforms this build has no client for (left out).
	Skipped []upload.Platform

	ownRoot bool
}

// Start builds the demo: sandbox listening on loopback, samples written,
// config pointing at the sandbox. Close undoes all of it.
func Start(o Options) (*Demo, error) {
	if o.RateScale <= 0 {
		o.RateScale = 1
	}
	faults := DemoFaults()
	if o.Faults != nil {
		faults = *o.Faults
	}
	d := &Demo{Root: o.Root}
	if d.Root == "" {
		dir, err := os.MkdirTemp("", "headshot-demo-")
		if err != nil {
			return nil, fmt.Errorf("demo: temporary folder: %w", err)
		}
		d.Root, d.ownRoot = dir, true
	}
	d.Photos = filepath.Join(d.Root, "photos")
	if err := os.MkdirAll(d.Photos, 0o700); err != nil {
		d.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	samples, err := WriteSamples(d.Photos, o.Samples)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Samples = samples
	sb, err := sandbox.Start(sandbox.Options{RateScale: o.RateScale, Faults: faults, ZoomMaxBytes: DemoZoomMaxBytes})
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	d.Sandbox = sb
	cfg := config.FromValues(sb.Credentials())
	cfg.Journal = filepath.Join(d.Root, "journal.db")
	if err := setRates(cfg, o.RateScale); err != nil {
		d.Close()
		return nil, err
	}
	for _, e := range sandbox.Emulators() {
		if p := upload.Platform(e.Platform); !config.Supported(p) {
			d.Skipped = append(d.Skipped, p) // FromValues left it out
		}
	}
	d.Config = cfg
	return d, nil
}

// setRates gives each client its documented rate times scale, except
// Interact, which is set above the platform's limit on purpose.
func setRates(cfg *config.Config, scale float64) error {
	for _, p := range cfg.Platforms() {
		r := cfg.Value(string(p), "rate")
		if p == upload.Interact {
			r = InteractDemoRate
		}
		scaled, err := scaleRate(r, scale)
		if err != nil {
			return err
		}
		if err := cfg.Set(string(p), "rate", scaled); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// scaleRate multiplies a rate's count ("20/s" x 3 = "60/s").
func scaleRate(r string, scale float64) (string, error) {
	rate, err := upload.ParseRate(r)
	if err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	n, per, _ := strings.Cut(rate.String(), "/")
	count, _ := strconv.Atoi(n)
	scaled := int(float64(count)*scale + 0.5)
	if scaled < 1 {
		scaled = 1
	}
	return strconv.Itoa(scaled) + "/" + per, nil
}

// Close stops the sandbox and removes the temporary folder if Start made it.
func (d *Demo) Close() error {
	if d.Sandbox != nil {
		d.Sandbox.Close()
	}
	if d.ownRoot && d.Root != "" {
		return os.RemoveAll(d.Root)
	}
	return nil
}

// Has reports whether the demo uses platform p.
func (d *Demo) Has(p upload.Platform) bool { return d.Config != nil && d.Config.Has(p) }
