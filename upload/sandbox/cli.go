package sandbox

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"headshot/imageprep/textsafe"
	"headshot/upload"
)

// Main is `headshot sandbox`: it serves until SIGINT or SIGTERM.
func Main(o Options, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, o, stdout, stderr)
}

// checkFlags refuses options no sandbox can serve, and tidies the
// --zoom-reject list.
func (o *Options) checkFlags() error {
	switch {
	case o.RateScale <= 0:
		return fmt.Errorf("--rate-scale %v: want a number above 0", o.RateScale)
	case o.Faults.FailureRate < 0 || o.Faults.FailureRate > 1:
		return fmt.Errorf("--fail-rate %v: want a fraction between 0 and 1", o.Faults.FailureRate)
	case o.Faults.ResetRate < 0 || o.Faults.ResetRate > 1:
		return fmt.Errorf("--reset-rate %v: want a fraction between 0 and 1", o.Faults.ResetRate)
	case o.Faults.Latency < 0:
		return fmt.Errorf("--latency %v: want a positive duration", o.Faults.Latency)
	case o.ZoomMaxBytes < 0:
		return fmt.Errorf("--zoom-max-bytes %d: want a positive number of bytes", o.ZoomMaxBytes)
	case o.IglooCutAfter < 0:
		return fmt.Errorf("--igloo-cut-after %d: want a positive number of bytes", o.IglooCutAfter)
	case o.IglooLookupRate < 0:
		return fmt.Errorf("--igloo-lookup-rate %v: want requests a second, 0 for one bucket", o.IglooLookupRate)
	case o.IglooListMax < 0:
		return fmt.Errorf("--igloo-list-max %d: want members a page, 0 for as many as asked", o.IglooListMax)
	}
	switch o.NetexFailPart {
	case "", "training", "social", "play", "management":
	default:
		return fmt.Errorf("--netex-fail-part %q: want training, social, play or management", o.NetexFailPart)
	}
	// What the vendors leave open: each side of it (docs/fidelity.md).
	for _, c := range []struct {
		flag, value string
		allowed     []string
	}{
		{"igloo-login", o.IglooLogin, []string{"", "v1", "v2", "both"}},
		{"interact-usernames", o.InteractUsernames, []string{"", "local", "email"}},
		{"rhombus-match", o.RhombusMatch, []string{"", "email", "uuid"}},
		{"google-padding", o.GooglePadding, []string{"", "any", "equals", "asterisk", "period", "none"}},
	} {
		if !slices.Contains(c.allowed, c.value) {
			return fmt.Errorf("--%s %q: want %s", c.flag, c.value, strings.Join(c.allowed[1:], " or "))
		}
	}
	if st := o.M365ThrottleStatus; st != 0 && st != 429 && st != 503 && st != 504 {
		return fmt.Errorf("--m365-throttle-status %d: want 429, 503 or 504", st)
	}
	if o.M365PhotoStatus != 0 && o.M365PhotoStatus != 200 && o.M365PhotoStatus != 204 {
		return fmt.Errorf("--m365-photo-status %d: want 200 or 204", o.M365PhotoStatus)
	}
	if o.ZoomDailyLimit < 0 {
		return fmt.Errorf("--zoom-daily-limit %d: want a number of uploads, 0 for none", o.ZoomDailyLimit)
	}
	if o.ZoomScopes != nil {
		var scopes []string
		for _, sc := range o.ZoomScopes {
			if sc = strings.TrimSpace(sc); sc != "" {
				scopes = append(scopes, sc)
			}
		}
		o.ZoomScopes = append([]string{}, scopes...)
	}
	var rejects []string
	for _, e := range o.Faults.ZoomRejects {
		if e = strings.TrimSpace(e); e != "" {
			rejects = append(rejects, e)
		}
	}
	o.Faults.ZoomRejects = rejects
	return nil
}

// lockedWriter serialises writes from the handlers' goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// run serves until ctx ends.
func run(ctx context.Context, opts Options, stdout, stderr io.Writer) int {
	if err := opts.checkFlags(); err != nil {
		fmt.Fprintf(stderr, "headshot sandbox: %v\n", err)
		return 2
	}
	out := &lockedWriter{w: stdout}
	opts.OnReceive = func(r Received) {
		dims := "undecodable"
		if r.Width > 0 {
			dims = fmt.Sprintf("%dx%d %s", r.Width, r.Height, r.Format)
		}
		fmt.Fprintf(out, "%s  %-8s %-32s %s, %d bytes\n", r.At.Format("15:04:05"),
			r.Platform, textsafe.CleanN(r.User, 60), dims, r.Bytes)
	}
	s, err := Start(opts)
	if err != nil {
		fmt.Fprintf(stderr, "headshot sandbox: %v\n", err)
		return 1
	}
	fmt.Fprint(out, banner(s))
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.srv != nil {
		_ = s.srv.Shutdown(shut)
	}
	_ = s.Close()
	fmt.Fprintf(out, "sandbox stopped; photos received: %d\n", len(s.Received()))
	return 0
}

// banner tells where each platform is served, its demo credentials and a
// config file that points headshot at the sandbox.
func banner(s *Sandbox) string {
	c := s.Credentials()
	f := s.Faults()
	var b strings.Builder
	fmt.Fprintf(&b, "headshot sandbox serving on %s (%d demo users, e.g. %s)\n", s.URL, len(s.users), s.users[0].Email)
	fmt.Fprintf(&b, "rate scale x%g", s.opts.RateScale)
	if f.FailureRate > 0 || f.ResetRate > 0 || f.Latency > 0 || f.No429RetryAfter || len(f.ZoomRejects) > 0 {
		fmt.Fprintf(&b, "; faults: fail %.0f%%, reset %.0f%%, latency %v, 429 without Retry-After %v, Zoom rejects %s",
			100*f.FailureRate, 100*f.ResetRate, f.Latency, f.No429RetryAfter, strings.Join(f.ZoomRejects, ","))
	}
	b.WriteString("\n\nThe credentials below are sandbox-only demo values, not secrets: they work nowhere else.\n\n")
	for _, e := range Emulators() {
		fmt.Fprintf(&b, "  %-20s", upload.Platform(e.Platform).Title())
		for i, kv := range e.demo(s) {
			if i == 0 {
				fmt.Fprintf(&b, " %s", kv[1]) // the base URL
			} else {
				fmt.Fprintf(&b, "   %s %s", kv[0], kv[1])
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nConfig to paste into headshot's config file (sandbox values):\n\n")
	b.WriteString(ConfigSnippet(c, s.opts.RateScale))
	b.WriteString("\nPhotos received (platform, user, size):\n")
	return b.String()
}

// ConfigSnippet is a TOML config that points every platform this build has
// a client for at the sandbox.
// With a rate scale other than 1 the rate-limited platforms get a matching
// rate, so headshot paces itself to the scaled sandbox.
func ConfigSnippet(c Credentials, rateScale float64) string {
	rate := func(n float64, unit string) string {
		if rateScale == 1 || rateScale <= 0 {
			return ""
		}
		scaled := n * rateScale
		if scaled < 1 || scaled != float64(int(scaled)) {
			return ""
		}
		return fmt.Sprintf("rate = \"%d/%s\"\n", int(scaled), unit)
	}
	var b strings.Builder
	for _, e := range Emulators() {
		values, ok := c[e.Platform]
		if _, known := upload.Lookup(upload.Platform(e.Platform)); !ok || !known {
			continue // a config with a table this build has no client for would not load
		}
		fmt.Fprintf(&b, "[%s]\n", e.Platform)
		var keys []string
		for _, kv := range e.Demo("") { // the keys, in order
			keys = append(keys, kv[0])
		}
		for _, k := range slices.Sorted(maps.Keys(values)) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k) // demo files' paths
			}
		}
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %q\n", k, values[k])
		}
		fmt.Fprintf(&b, "%s\n", rate(e.Rate, e.RateUnit))
	}
	return b.String()
}
