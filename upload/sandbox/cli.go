package sandbox

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"headshot/imageprep/textsafe"
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
	}
	switch o.NetexFailPart {
	case "", "training", "social", "play", "management":
	default:
		return fmt.Errorf("--netex-fail-part %q: want training, social, play or management", o.NetexFailPart)
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
	fmt.Fprintf(&b, "  Zoom      %s   token %s   account %s   client %s / %s\n", c.Zoom.BaseURL, c.Zoom.TokenURL, c.Zoom.AccountID, c.Zoom.ClientID, c.Zoom.ClientSecret)
	fmt.Fprintf(&b, "  Rhombus   %s   api key %s (scheme api-token)\n", c.Rhombus.BaseURL, c.Rhombus.APIKey)
	fmt.Fprintf(&b, "  Igloo     %s   community %s   app %s / %s   admin %s / %s\n", c.Igloo.BaseURL, c.Igloo.CommunityKey, c.Igloo.AppID, c.Igloo.AppPassword, c.Igloo.Username, c.Igloo.Password)
	fmt.Fprintf(&b, "  Interact  %s   domain %s   X-ApiKey %s\n", c.Interact.BaseURL, c.Interact.DomainID, c.Interact.APIKey)
	fmt.Fprintf(&b, "  Netex     %s   token %s\n", c.Netex.BaseURL, c.Netex.Token)
	b.WriteString("\nConfig to paste into headshot's config file (sandbox values):\n\n")
	b.WriteString(ConfigSnippet(c, s.opts.RateScale))
	b.WriteString("\nPhotos received (platform, user, size):\n")
	return b.String()
}

// ConfigSnippet is a TOML config that points every platform at the sandbox.
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
	fmt.Fprintf(&b, "[zoom]\nbase_url = %q\ntoken_url = %q\naccount_id = %q\nclient_id = %q\nclient_secret = %q\n%s\n",
		c.Zoom.BaseURL, c.Zoom.TokenURL, c.Zoom.AccountID, c.Zoom.ClientID, c.Zoom.ClientSecret, rate(20, "s"))
	fmt.Fprintf(&b, "[rhombus]\nbase_url = %q\napi_key = %q\nauth_scheme = \"api-token\"\n%s\n", c.Rhombus.BaseURL, c.Rhombus.APIKey, rate(10, "s"))
	fmt.Fprintf(&b, "[igloo]\nbase_url = %q\ncommunity_key = %q\napp_id = %q\napp_password = %q\nusername = %q\npassword = %q\n\n",
		c.Igloo.BaseURL, c.Igloo.CommunityKey, c.Igloo.AppID, c.Igloo.AppPassword, c.Igloo.Username, c.Igloo.Password)
	fmt.Fprintf(&b, "[interact]\nbase_url = %q\ndomain_id = %q\napi_key = %q\n%s\n", c.Interact.BaseURL, c.Interact.DomainID, c.Interact.APIKey, rate(6, "min"))
	fmt.Fprintf(&b, "[netex]\nbase_url = %q\ntoken = %q\n", c.Netex.BaseURL, c.Netex.Token)
	return b.String()
}
