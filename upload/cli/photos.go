package cli

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/engine"
)

// The glyphs of a photo's row, one per platform: the browser's own (✓
// sent, ✗ failed, ? held, ! interrupted), plus = for a photo the platform
// already has unchanged and ~ for a dry run that could not check the person.
const (
	glyphOK         = "✓"
	glyphUnverified = "~"
	glyphFailed     = "✗"
	glyphHeld       = "?"
	glyphSkipped    = "="
	glyphNotSent    = "!"
)

// maxNameWidth bounds the photo column: longer names end in "…".
const maxNameWidth = 32

// photoTable turns the engine's events into one line per photo, printed
// when every platform has settled it: the person, one glyph per platform
// in the platforms' columns, and what went wrong, said once (a file that
// cannot be read is one problem, not one per platform).
type photoTable struct {
	plats  []upload.Platform
	dry    bool
	width  int // terminal columns; 0: a pipe, lines are not cut
	nameW  int
	rows   map[string]*photoRow // by photo path
	header bool                 // the header line is out
	used   map[string]bool      // glyphs printed, for the legend
}

// photoRow is one photo's outcomes so far.
type photoRow struct {
	path    string
	person  string
	want    int // platforms the photo goes to
	cells   map[upload.Platform]photoCell
	printed bool
}

// photoCell is one platform's outcome for a photo.
type photoCell struct {
	glyph string
	err   *upload.Error
	note  string // held reason
}

func newPhotoTable(plats []upload.Platform, jobs []engine.Job, dry bool, width int) *photoTable {
	t := &photoTable{plats: plats, dry: dry, width: width, rows: map[string]*photoRow{}, used: map[string]bool{}, nameW: len("photo")}
	for _, j := range jobs {
		want := len(j.Platforms)
		if want == 0 {
			want = len(plats)
		}
		t.rows[j.Path] = &photoRow{path: j.Path, person: j.Person, want: want, cells: map[upload.Platform]photoCell{}}
		if w := ansi.StringWidth(textsafe.Clean(j.Person)); w > t.nameW {
			t.nameW = w
		}
	}
	t.nameW = min(t.nameW, maxNameWidth)
	if width > 0 {
		// On a narrow terminal the names give way (to 12 columns) before
		// the platforms' columns are cut off.
		cells := 0
		for _, p := range plats {
			cells += 2 + len(p)
		}
		t.nameW = max(min(t.nameW, width-cells), min(t.nameW, 12))
	}
	return t
}

// add records an event and returns the lines it completes (the header
// before the first row, then the photo's row), or nil.
func (t *photoTable) add(ev engine.Event) []string {
	var c photoCell
	switch ev.Kind {
	case engine.EventUploaded:
		c.glyph = glyphOK
	case engine.EventChecked:
		c.glyph = glyphOK
		if ev.Message != "" { // engine.CannotCheck
			c.glyph = glyphUnverified
		}
	case engine.EventSkipped:
		c.glyph = glyphSkipped
	case engine.EventHeld:
		c.glyph, c.note = glyphHeld, ev.Message
	case engine.EventFailed:
		c.glyph, c.err = glyphFailed, ev.Err
	case engine.EventCanceled:
		c.glyph = glyphNotSent
	default:
		return nil
	}
	r := t.rows[ev.Path]
	if r == nil || r.printed {
		return nil
	}
	r.cells[ev.Platform] = c
	if len(r.cells) < r.want {
		return nil
	}
	r.printed = true
	var out []string
	if !t.header {
		t.header = true
		out = append(out, t.headerLine())
	}
	return append(out, t.rowLines(r)...)
}

// headerLine names the columns.
func (t *photoTable) headerLine() string {
	var b strings.Builder
	b.WriteString(padRight("photo", t.nameW))
	for _, p := range t.plats {
		b.WriteString("  " + string(p))
	}
	return fitWidth(strings.TrimRight(b.String(), " "), t.width)
}

// rowLines is a photo's line: name, glyphs under the platforms' names,
// and the problems in words. On a terminal too narrow for the words they
// go on a second line, indented, rather than being cut to nothing.
func (t *photoTable) rowLines(r *photoRow) []string {
	var b strings.Builder
	b.WriteString(padRight(fitWidth(textsafe.Clean(r.person), t.nameW), t.nameW))
	for _, p := range t.plats {
		g := " "
		if c, ok := r.cells[p]; ok {
			g = c.glyph
			t.used[g] = true
		}
		b.WriteString("  " + padRight(g, len(p)))
	}
	line := strings.TrimRight(b.String(), " ")
	note := t.rowNote(r)
	switch {
	case note == "":
		return []string{fitWidth(line, t.width)}
	case t.width > 0 && ansi.StringWidth(line)+3+ansi.StringWidth(note) > t.width:
		return []string{fitWidth(line, t.width), fitWidth("    "+note, t.width)}
	}
	return []string{line + "   " + note}
}

// rowNote says in words what kept the photo from a platform: a file
// problem once, a hold once, failures by kind ("not found", "rejected").
func (t *photoTable) rowNote(r *photoRow) string {
	var notes []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			notes = append(notes, s)
		}
	}
	for _, p := range t.plats {
		c, ok := r.cells[p]
		if !ok {
			continue
		}
		switch {
		case c.note != "":
			add(textsafe.Clean(c.note))
		case isFileProblem(c.err):
			add(textsafe.Clean(fileProblemText(c.err.Message, r.path)))
		case c.err != nil:
			add(c.err.Class.String())
		}
	}
	return strings.Join(notes, "; ")
}

// legend explains the glyphs the rows used ("" when no row was printed).
func (t *photoTable) legend() string {
	sent := "sent"
	if t.dry {
		sent = "would send"
	}
	var parts []string
	for _, g := range []struct{ glyph, words string }{
		{glyphOK, sent}, {glyphUnverified, sent + " (person cannot be checked first)"}, {glyphSkipped, "unchanged (skipped)"},
		{glyphHeld, "held for review"}, {glyphFailed, "failed"}, {glyphNotSent, "not sent"},
	} {
		if t.used[g.glyph] {
			parts = append(parts, g.glyph+" "+g.words)
		}
	}
	return fitWidth(strings.Join(parts, "  "), t.width)
}

// isFileProblem reports whether err is about the photo file itself (it
// could not be read or prepared), the same on every platform.
func isFileProblem(err *upload.Error) bool {
	return err != nil && err.Local && err.Code == upload.CodeUnreadable
}

// fileProblemText is what is wrong with a photo file without its name
// repeated: "cannot prepare the photo: truncated: ..." (imageprep's errors
// start with the file's base name, which the line already shows).
func fileProblemText(msg, path string) string {
	return strings.Replace(msg, ": "+filepath.Base(path)+": ", ": ", 1)
}

// failureLines groups the report's failures per photo: a file problem
// once for the photo, "not found" once with the platforms that do not know
// the person, any other failure per platform with its words.
func failureLines(failures []reportRow) []string {
	type group struct {
		key, text string
		plats     []string
	}
	var order []string
	byPhoto := map[string][]*group{}
	for _, f := range failures {
		photo := f.File + "\x00" + f.Person
		if _, ok := byPhoto[photo]; !ok {
			order = append(order, photo)
		}
		var key, text string
		switch {
		case f.fileProblem:
			key, text = "file", fileProblemText(f.message, f.File)
		case f.Class == upload.ClassNotFound.String():
			key, text = "notfound", "not found"
		default:
			key, text = "platform\x00"+f.Platform, f.Error
		}
		var g *group
		for _, have := range byPhoto[photo] {
			if have.key == key {
				g = have
			}
		}
		if g == nil {
			g = &group{key: key, text: text}
			byPhoto[photo] = append(byPhoto[photo], g)
		}
		g.plats = append(g.plats, f.Platform)
	}
	var lines []string
	for _, photo := range order {
		file, person, _ := strings.Cut(photo, "\x00")
		who := textsafe.Clean(person) + " (" + textsafe.Clean(filepath.Base(file)) + ")"
		for _, g := range byPhoto[photo] {
			sort.Slice(g.plats, func(a, b int) bool { return platIndex(g.plats[a]) < platIndex(g.plats[b]) })
			switch g.key {
			case "file":
				lines = append(lines, "  "+who+": "+textsafe.Clean(g.text))
			case "notfound":
				lines = append(lines, "  "+who+": not found on "+strings.Join(g.plats, ", "))
			default:
				lines = append(lines, "  "+who+": "+strings.Join(g.plats, ", ")+": "+textsafe.Clean(g.text))
			}
		}
	}
	return lines
}
