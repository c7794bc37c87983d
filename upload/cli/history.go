package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

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
	JSON     bool   // print JSON (HistoryJSONHelp) instead of a table
	Width    int    // table width; 0: the terminal's, else $COLUMNS, else 80
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
		if o.JSON {
			fmt.Fprintln(stdout, "[]")
			return exitOK
		}
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
	var shown []journal.Entry
	for _, e := range all {
		if o.Person != "" && e.Person != o.Person {
			continue
		}
		if len(plats) == 1 && e.Platform != plats[0] {
			continue
		}
		shown = append(shown, e)
	}
	if o.JSON {
		if err := writeHistoryJSON(stdout, shown); err != nil {
			fmt.Fprintln(stderr, "headshot history:", textsafe.Clean(err.Error()))
			return exitFailed
		}
		return exitOK
	}
	if len(shown) == 0 {
		fmt.Fprintln(stdout, "(no entries match)")
		return exitOK
	}
	width := o.Width
	if width <= 0 {
		if w, ok := terminalWidth(stdout); ok {
			width = w
		} else {
			width = columnsEnv()
		}
	}
	for _, l := range historyTable(shown, width) {
		fmt.Fprintln(stdout, l)
	}
	return exitOK
}

// historyEntry is one journal entry in `headshot history --json`. The
// field names are stable: scripts may rely on them.
type historyEntry struct {
	Person     string `json:"person"`
	Platform   string `json:"platform"`
	State      string `json:"state"`
	Attempts   int    `json:"attempts"`
	Bytes      int    `json:"bytes"`
	Updated    string `json:"updated"` // RFC 3339, UTC
	File       string `json:"file"`    // the photo's path as the run that sent it named it
	ErrorClass string `json:"error_class,omitempty"`
	Error      string `json:"error,omitempty"`
	Partial    string `json:"partial,omitempty"`
}

// HistoryJSONHelp documents --json's fields (the command's --help).
const HistoryJSONHelp = `With --json, prints a JSON array, one object per journal entry, with these
fields (stable names): person, platform, state (uploaded, failed,
interrupted, queued, uploading), attempts, bytes, updated (RFC 3339, UTC),
file (the photo's path as recorded), and when set error_class (rejected,
too large, throttled, auth, not found, server, network, canceled), error
(the platform's words) and partial (sub-platforms that refused the photo).`

// writeHistoryJSON prints entries as a JSON array. JSON escapes control
// characters; DEL, C1 and invisible format characters (which a terminal
// may obey) are escaped too, so the output is safe to print.
func writeHistoryJSON(w io.Writer, entries []journal.Entry) error {
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		h := historyEntry{Person: e.Person, Platform: string(e.Platform), State: string(e.State), Attempts: e.Attempts,
			Bytes: e.Bytes, Updated: itemTime(e.Updated), File: e.Path, Error: e.LastError, Partial: e.Partial}
		if e.Class != upload.ClassNone {
			h.ErrorClass = e.Class.String()
		}
		out = append(out, h)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, r := range string(data) {
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteString("\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// historyColumn is one column of the history table.
type historyColumn struct {
	title string
	cell  func(e journal.Entry) string
	// keep: the lower, the longer the column stays as the terminal
	// narrows (0: always shown).
	keep int
}

// historyTable lays the entries out in width columns. The table drops
// columns, least useful first (attempts, bytes, file), until it fits; the
// last error takes what is left of the line, wrapped in its column, or,
// when too little is left, goes on lines of its own under the entry.
// Names longer than their column end in "…". Files are shown by name
// (one form whatever the run that recorded them): the path is in --json.
func historyTable(entries []journal.Entry, width int) []string {
	lastErr := func(e journal.Entry) string {
		if e.LastError == "" && e.Class == upload.ClassNone {
			return ""
		}
		s := e.Class.String()
		if e.LastError != "" {
			s += ": " + e.LastError
		}
		return cell(s)
	}
	cols := []historyColumn{
		{"PERSON", func(e journal.Entry) string { return cell(e.Person) }, 0},
		{"PLATFORM", func(e journal.Entry) string { return string(e.Platform) }, 0},
		{"STATE", func(e journal.Entry) string { return string(e.State) }, 0},
		{"ATTEMPTS", func(e journal.Entry) string { return strconv.Itoa(e.Attempts) }, 4},
		{"BYTES", func(e journal.Entry) string { return strconv.Itoa(e.Bytes) }, 3},
		{"UPDATED", func(e journal.Entry) string { return e.Updated.Local().Format("2006-01-02 15:04") }, 1},
		{"FILE", func(e journal.Entry) string { return cell(filepath.Base(e.Path)) }, 2},
	}
	const gap, minInlineErr, maxPerson, maxFile, maxErrLines = 2, 30, 32, 36, 3
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = ansi.StringWidth(c.title)
		for _, e := range entries {
			widths[i] = max(widths[i], ansi.StringWidth(c.cell(e)))
		}
	}
	widths[0] = min(widths[0], maxPerson)
	widths[6] = min(widths[6], maxFile)
	hasErr := false
	for _, e := range entries {
		hasErr = hasErr || lastErr(e) != ""
	}
	shown := make([]bool, len(cols))
	total := func() int {
		n := 0
		for i := range cols {
			if shown[i] {
				n += widths[i] + gap
			}
		}
		return n
	}
	for i := range cols {
		shown[i] = cols[i].keep == 0
	}
	for total() > width && widths[0] > 12 { // a narrow terminal: shorter names
		widths[0]--
	}
	for keep := 1; keep <= 4; keep++ {
		for i := range cols {
			if cols[i].keep == keep {
				shown[i] = true
				if total() > width {
					shown[i] = false
				}
			}
		}
	}
	errW := width - total()
	inline := errW >= minInlineErr
	row := func(cells []string, errText string) []string {
		var b strings.Builder
		indent := 0
		for i := range cols {
			if shown[i] {
				b.WriteString(padRight(fitWidth(cells[i], widths[i]), widths[i]) + strings.Repeat(" ", gap))
				indent += widths[i] + gap
			}
		}
		line := strings.TrimRight(b.String(), " ")
		if errText == "" {
			return []string{line}
		}
		wrapAt := errW
		if !inline {
			indent, wrapAt = 4, max(width-4, 16)
		}
		parts := strings.Split(ansi.Wrap(errText, wrapAt, " "), "\n")
		if len(parts) > maxErrLines { // the whole text is in --json
			parts = parts[:maxErrLines]
			parts[maxErrLines-1] = fitWidth(parts[maxErrLines-1]+" …", wrapAt)
		}
		var lines []string
		if inline {
			lines = []string{b.String() + parts[0]}
			parts = parts[1:]
		} else {
			lines = []string{line}
		}
		for _, p := range parts {
			lines = append(lines, strings.Repeat(" ", indent)+p)
		}
		return lines
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	errTitle := ""
	if hasErr && inline {
		errTitle = "LAST ERROR"
	}
	lines := row(titles, errTitle)
	for _, e := range entries {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.cell(e)
		}
		lines = append(lines, row(cells, lastErr(e))...)
	}
	return lines
}

// cell is a sanitised table cell without tabs or newlines.
func cell(s string) string {
	s = textsafe.Clean(s)
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
