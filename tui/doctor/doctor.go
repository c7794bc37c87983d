// Package doctor checks what headshot needs before a technician relies on
// it: the config file (loads, which platforms, nothing missing), each
// platform's credentials and connectivity (its client's Check, bounded by a
// timeout), that the upload journal can be written, and the terminal
// (TERM, COLORTERM, NO_COLOR, size, tmux and its passthrough, which
// images it shows). Each finding says what to fix.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"headshot/imageprep/textsafe"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/tui/setup"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/journal"
)

// Level grades a finding.
type Level int

// Finding levels.
const (
	OK   Level = iota
	Warn       // works, but could be better
	Fail       // headshot will not work until fixed
)

// Finding is one check's result.
type Finding struct {
	Area   string // "config", "zoom", "journal", "terminal"
	Level  Level
	Detail string // what was found
	Fix    string // what to do ("" when nothing)
}

// Options say what to check. Zero values take the process's own.
type Options struct {
	ConfigPath string
	Journal    string         // --journal ("": config.JournalPath's rule)
	Config     *config.Config // already loaded (skips loading ConfigPath)
	Timeout    time.Duration  // per platform check; default 15s
	Getenv     func(string) string
	// TerminalSize reports the terminal size; ok false when stdout is not
	// a terminal.
	TerminalSize func() (w, h int, ok bool)
	// Graphics asks the terminal which images it shows (nil: not asked;
	// ok false when it is not a terminal).
	Graphics func() (caps graphics.Caps, ok bool)
	// Passthrough reads tmux's allow-passthrough (nil:
	// graphics.TmuxPassthrough).
	Passthrough func() string
}

// Run performs every check.
func Run(ctx context.Context, o Options) []Finding {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	var out []Finding
	cfg := o.Config
	if cfg == nil {
		var err error
		cfg, err = config.Load(o.ConfigPath)
		var permErr *config.PermError
		switch {
		case config.IsNotExist(err):
			out = append(out, Finding{Area: "config", Level: Fail,
				Detail: "no config file at " + textsafe.Clean(o.ConfigPath),
				Fix:    "run `headshot setup` (or `headshot demo` to try it without an account)"})
		case errors.As(err, &permErr):
			out = append(out, Finding{Area: "config", Level: Fail, Detail: textsafe.CleanN(permErr.Path+" is "+permErr.Why+": refused, as ssh refuses such a key", 600),
				Fix: textsafe.CleanN(permErr.Fix, 300)})
		case err != nil:
			// Setup refuses to overwrite a file it cannot read, so the
			// only fix is the edit.
			fix := "edit the line named above (setup will not open a file it cannot read; or move the file away and run `headshot setup`)"
			if !namesLine.MatchString(err.Error()) {
				fix = "make the file readable as a headshot config, or move it away and run `headshot setup` (setup will not open a file it cannot read)"
			}
			out = append(out, Finding{Area: "config", Level: Fail, Detail: textsafe.CleanN(err.Error(), 600), Fix: fix})
		}
	}
	if cfg != nil {
		out = append(out, checkConfig(cfg, o.ConfigPath)...)
		out = append(out, checkPlatforms(ctx, cfg, o.Timeout)...)
	}
	out = append(out, checkJournal(config.JournalPath(o.Journal, cfg)))
	return append(out, checkTerminal(o)...)
}

func checkConfig(cfg *config.Config, path string) []Finding {
	ps := cfg.Platforms()
	if len(ps) == 0 {
		return []Finding{{Area: "config", Level: Fail, Detail: "no platform configured",
			Fix: "run `headshot setup` and choose at least one platform"}}
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Title())
	}
	where := "config"
	if path != "" {
		where = textsafe.Clean(path)
	}
	out := []Finding{{Area: "config", Level: OK, Detail: where + ": " + strings.Join(names, ", ")}}
	for _, w := range cfg.Warnings() {
		if strings.HasPrefix(w, "environment variable") {
			out = append(out, Finding{Area: "config", Level: Warn, Detail: textsafe.CleanN(w, 300),
				Fix: "unset it, or correct its name (README, \"Configuration\", lists the variables)"})
		}
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		out = append(out, Finding{Area: "config", Level: Warn,
			Detail: fmt.Sprintf("the file is readable by others (mode %v) and holds credentials", st.Mode().Perm()),
			Fix:    "chmod 600 " + where})
	}
	return out
}

// checkPlatforms builds each client and runs its Check concurrently, each
// bounded by timeout; results come back in display order.
func checkPlatforms(ctx context.Context, cfg *config.Config, timeout time.Duration) []Finding {
	ps := cfg.Platforms()
	out := make([]Finding, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = checkPlatform(ctx, cfg, p, timeout)
		}()
	}
	wg.Wait()
	return out
}

func checkPlatform(ctx context.Context, cfg *config.Config, p upload.Platform, timeout time.Duration) Finding {
	f := Finding{Area: string(p)}
	cl, err := cfg.Client(p)
	if err != nil {
		f.Level, f.Detail = Fail, textsafe.CleanN(err.Error(), 300)
		f.Fix = "run `headshot setup` to fill in " + p.Title() + "'s details"
		return f
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	err = setup.TestConnection(ctx, cl)
	if err != nil && ctx.Err() != nil {
		err = &upload.Error{Platform: p, Class: upload.ClassNetwork, Message: fmt.Sprintf("no answer within %s", timeout)}
	}
	f.Detail = setup.Explain(p, err)
	if err == nil {
		f.Detail += fmt.Sprintf(" in %s; %s", time.Since(start).Round(time.Millisecond), limitText(cfg, p, cl.Limits().Rate))
		if note := setup.Describe(cl); note != "" {
			f.Detail += "; " + textsafe.CleanN(note, 200)
		}
		if a, ok := cl.(upload.Advisor); ok {
			if advice := a.Advice(); len(advice) > 0 {
				f.Level, f.Fix = Warn, textsafe.CleanN(strings.Join(advice, "; "), 300)
			}
		}
		return f
	}
	f.Level = Fail
	switch upload.ClassOf(err) {
	case upload.ClassAuth:
		f.Fix = "re-enter the credentials with `headshot setup` (ctrl+t tests them)"
		if vars := cfg.EnvVars(string(p)); len(vars) > 0 {
			// The file is not what was used: setup cannot fix these.
			f.Fix = "check " + strings.Join(vars, ", ") + ": set in the environment, it wins over the file; correct or unset it"
		}
	case upload.ClassNetwork, upload.ClassNotFound:
		f.Fix = "check " + setup.URLKeys(p) + " in the config and that this machine can reach it (proxy, VPN, firewall)"
	case upload.ClassThrottled:
		f.Level, f.Fix = Warn, "the credentials work; the platform asked to slow down, try again shortly"
	default:
		f.Fix = "try again later; if it persists check " + setup.URLKeys(p)
		if e, ok := upload.AsError(err); ok && e.Status < 500 && e.Class == upload.ClassServer {
			// An answer, but not the API's (a web page, a 404 router):
			// waiting will not change it.
			f.Fix = "check " + setup.URLKeys(p) + " in the config: the address answers, but not as " + p.Title() + "'s API"
		}
	}
	return f
}

// limitText is the platform's pace in the config's words: the rate key as
// written (or its default), plus photos per second when a photo takes more
// than one request (Igloo's client declares rate/4: search, attachment,
// PATCH, association), so "5/s" in the file does not read back as "5/4s".
func limitText(cfg *config.Config, p upload.Platform, photo upload.Rate) string {
	req := cfg.Value(string(p), "rate")
	r, err := upload.ParseRate(req)
	if req == "" || err != nil || r.PerSecond() == photo.PerSecond() {
		return "limit " + photo.String()
	}
	return fmt.Sprintf("limit %s requests (about %.3g photos/s)", r, photo.PerSecond())
}

// checkJournal says whether the journal can be opened for writing, without
// creating it: an existing file must be writable; otherwise the nearest
// existing parent folder must accept a new file.
func checkJournal(path string) Finding {
	f := Finding{Area: "journal", Detail: textsafe.Clean(path)}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			f.Level, f.Fix = Fail, "the journal path is a folder: set journal = \"FILE\" in the config"
			return f
		}
		fh, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			f.Level, f.Fix = Fail, "make it writable: "+textsafe.CleanN(err.Error(), 200)
			return f
		}
		fh.Close()
		rep, err := journal.Verify(path)
		switch {
		case err != nil:
			f.Level, f.Fix = Fail, textsafe.CleanN(err.Error(), 300)
		case rep.Damage != nil:
			f.Level = Fail
			f.Detail += " (damaged: " + textsafe.CleanN(rep.Damage.Reason, 200) + ")"
			f.Fix = fmt.Sprintf("the next `headshot upload` or browse keeps it aside as %s.damaged-<time> and starts a new journal with the %d records that can be read", filepath.Base(path), rep.Entries+rep.Corrections)
			if rep.Damage.Lost > 0 {
				f.Fix += fmt.Sprintf("; up to %d photo(s) may be sent again", rep.Damage.Lost)
			} else if rep.Damage.Lost < 0 {
				f.Fix += "; photos it recorded may be sent again"
			}
		default:
			f.Detail += fmt.Sprintf(" (exists, writable, %d records checked, sound)", rep.Records)
			if rep.InUse {
				f.Detail += ", in use by a running headshot"
			}
		}
		return f
	}
	dir := filepath.Dir(path)
	for {
		st, err := os.Stat(dir)
		if err == nil {
			if !st.IsDir() {
				f.Level, f.Fix = Fail, textsafe.Clean(dir)+" is a file: choose another journal path"
				return f
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	probe, err := os.CreateTemp(dir, ".headshot-doctor-*")
	if err != nil {
		f.Level = Fail
		f.Fix = "cannot create files in " + textsafe.Clean(dir) + ": " + textsafe.CleanN(errors.Unwrap(err).Error(), 100)
		return f
	}
	probe.Close()
	os.Remove(probe.Name())
	f.Detail += " (will be created)"
	return f
}

func checkTerminal(o Options) []Finding {
	env := o.Getenv
	var out []Finding
	term := env("TERM")
	mode := common.DetectColorMode(env)
	desc := fmt.Sprintf("TERM=%s COLORTERM=%s colours: %s", orNone(term), orNone(env("COLORTERM")), mode)
	if mode == common.ColorNone {
		desc += " (NO_COLOR set: no colour; photos drawn in plain characters)"
	}
	f := Finding{Area: "terminal", Detail: textsafe.Clean(desc)}
	switch {
	case term == "" || term == "dumb":
		f.Level, f.Fix = Warn, "run in a real terminal (TERM is "+orNone(term)+"); the TUI needs cursor movement"
	case mode < common.Color256:
		f.Level, f.Fix = Warn, "colour photo previews need 256 colours (they are drawn in plain characters until then): use TERM=xterm-256color (or tmux-256color inside tmux)"
	}
	out = append(out, f)
	if env("TMUX") != "" {
		t := Finding{Area: "terminal", Detail: "inside tmux"}
		if !strings.Contains(term, "256") && env("COLORTERM") == "" {
			t.Level = Warn
			t.Fix = "add `set -g default-terminal tmux-256color` to ~/.tmux.conf for colour previews"
		}
		out = append(out, t)
		passthrough := o.Passthrough
		if passthrough == nil {
			passthrough = func() string { return graphics.TmuxPassthrough(env) }
		}
		switch pt := passthrough(); pt {
		case "off":
			out = append(out, Finding{Area: "terminal", Level: Warn,
				Detail: "tmux allow-passthrough is off: photos show as blocks, not real pixels",
				Fix:    graphics.TmuxPassthroughHelp})
		case "":
		default:
			out = append(out, Finding{Area: "terminal", Detail: "tmux allow-passthrough " + textsafe.CleanN(pt, 10)})
		}
	}
	if o.Graphics != nil {
		if caps, ok := o.Graphics(); ok {
			out = append(out, graphicsFinding(caps, mode))
		}
	}
	if o.TerminalSize != nil {
		if w, h, ok := o.TerminalSize(); ok {
			s := Finding{Area: "terminal", Detail: fmt.Sprintf("size %dx%d", w, h)}
			if w < 80 || h < 24 {
				s.Level, s.Fix = Fail, "make the window at least 80x24"
			}
			out = append(out, s)
		} else {
			out = append(out, Finding{Area: "terminal", Detail: "output is not a terminal (size unknown)"})
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

// Print writes the findings and returns how many failed.
func Print(w io.Writer, fs []Finding) int { return PrintWidth(w, fs, 0) }

// indent is where a finding's text starts ("FAIL  terminal ").
const indent = "              "

// PrintWidth is Print for a terminal width columns wide (0: no limit):
// long details and fixes wrap between words onto indented lines instead of
// the terminal cutting words at the edge.
func PrintWidth(w io.Writer, fs []Finding, width int) int {
	if width > 0 && width < len(indent)+20 {
		width = len(indent) + 20
	}
	failed := 0
	for _, f := range fs {
		mark := "ok  "
		switch f.Level {
		case Warn:
			mark = "warn"
		case Fail:
			mark = "FAIL"
			failed++
		}
		head := fmt.Sprintf("%s  %-8s ", mark, f.Area)
		fmt.Fprintln(w, head+wrapText(f.Detail, width, len(head)))
		if f.Fix != "" {
			fmt.Fprintln(w, indent+wrapText("fix: "+f.Fix, width, len(indent)))
		}
	}
	if failed == 0 {
		fmt.Fprintln(w, "\nAll good.")
	} else {
		fmt.Fprintf(w, "\n%d problem(s) to fix.\n", failed)
	}
	return failed
}

// wrapText breaks s between words so that, printed from column start, no
// line passes width (0: only the text's own line breaks); continuation
// lines start at the indent. A word longer than a line stays whole.
func wrapText(s string, width, start int) string {
	var b strings.Builder
	for i, para := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("\n" + indent)
		}
		if width <= 0 {
			b.WriteString(para)
			continue
		}
		col := start
		for j, word := range strings.Fields(para) {
			n := utf8.RuneCountInString(word)
			if j > 0 && col+1+n > width {
				b.WriteString("\n" + indent)
				col = len(indent)
			} else if j > 0 {
				b.WriteByte(' ')
				col++
			}
			b.WriteString(word)
			col += n
		}
	}
	return b.String()
}

// graphicsFinding says how the browser will draw photos here.
func graphicsFinding(c graphics.Caps, mode common.ColorMode) Finding {
	p := graphics.Choose(c, graphics.Choice{Auto: true}, mode.Images())
	d := "images: " + p.String()
	var why []string
	if c.Version != "" {
		why = append(why, textsafe.CleanN(c.Version, 40))
	}
	if p == graphics.Sixel && c.SixelColors > 0 {
		why = append(why, fmt.Sprintf("%d colour registers", c.SixelColors))
	}
	if c.CellW > 0 {
		why = append(why, fmt.Sprintf("cell %dx%d px", c.CellW, c.CellH))
	}
	if !c.Answered && !c.Tmux {
		why = append(why, "the terminal did not answer")
	}
	if len(why) > 0 {
		d += " (" + strings.Join(why, ", ") + ")"
	}
	f := Finding{Area: "terminal", Detail: d}
	if !p.Pixels() {
		f.Fix = "this terminal shows no real images; --graphics quadrants or sextants draws finer blocks where the font has them"
		if c.Tmux && !c.Passthrough {
			f.Fix = graphics.TmuxPassthroughHelp
		}
	}
	return f
}

// namesLine matches an error that names a line of the file ("file:12: ...").
var namesLine = regexp.MustCompile(`:\d+:`)
