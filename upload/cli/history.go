package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/journal"
)

// HistoryOptions are `headshot history`'s flags.
type HistoryOptions struct {
	Person   string // only this person
	Platform string // only this platform
	Config   string // config file whose journal to read ("": config.DefaultPath)
	Journal  string // journal file ("": config.JournalPath's rule)
}

// History is `headshot history`.
func History(o HistoryOptions, stdout, stderr io.Writer) int {
	plats, err := parsePlatforms(o.Platform)
	if err != nil || len(plats) > 1 {
		if err == nil {
			err = fmt.Errorf("--platform: one platform at a time")
		}
		fmt.Fprintln(stderr, "headshot history:", err)
		return exitUsage
	}
	var cfg *config.Config
	if o.Journal == "" {
		// Only the journal key matters here; a missing config file is fine
		// (the default journal), a broken one is not silently skipped.
		cfgPath := config.Resolve(o.Config)
		c, err := config.Load(cfgPath)
		switch {
		case err == nil:
			cfg = c
		case config.IsNotExist(err) && o.Config == "":
		case config.IsNotExist(err):
			fmt.Fprintf(stderr, "headshot history: no config file at %s\n", textsafe.Clean(cfgPath))
			return exitUsage
		default:
			fmt.Fprintln(stderr, "headshot history:", textsafe.Clean(err.Error()))
			return exitUsage
		}
	}
	path := config.JournalPath(o.Journal, cfg)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		fmt.Fprintf(stdout, "Nothing recorded yet (no journal at %s).\n", textsafe.Clean(path))
		return exitOK
	}
	// Read-only and without the writer's lock: history works while the
	// TUI or an upload runs in another pane.
	j, err := journal.OpenReadOnly(path)
	if err != nil {
		fmt.Fprintln(stderr, "headshot history:", textsafe.Clean(err.Error()))
		return exitFailed
	}
	defer j.Close()
	if d := j.Damage(); d != nil {
		fmt.Fprintln(stderr, "headshot history: warning:", textsafe.CleanN(d.Warning(path), 1000),
			"(showing what could be read; the next upload or browse keeps the damaged file aside)")
	}
	all, err := j.All()
	if err != nil {
		fmt.Fprintln(stderr, "headshot history:", textsafe.Clean(err.Error()))
		return exitFailed
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tPLATFORM\tSTATE\tATTEMPTS\tBYTES\tUPDATED\tFILE\tLAST ERROR")
	n := 0
	for _, e := range all {
		if o.Person != "" && e.Person != o.Person {
			continue
		}
		if len(plats) == 1 && e.Platform != plats[0] {
			continue
		}
		n++
		lastErr := ""
		if e.LastError != "" || e.Class != upload.ClassNone {
			lastErr = e.Class.String()
			if e.LastError != "" {
				lastErr += ": " + e.LastError
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", cell(e.Person), e.Platform, e.State, e.Attempts,
			strconv.Itoa(e.Bytes), e.Updated.Local().Format("2006-01-02 15:04:05"), cell(e.Path), cell(lastErr))
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(stdout, "(no entries match)")
	}
	return exitOK
}

// cell is a sanitised table cell without tabs or newlines.
func cell(s string) string {
	s = textsafe.Clean(s)
	out := []rune{}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	if len(out) > 80 {
		out = append(out[:77], '.', '.', '.')
	}
	return string(out)
}
