package browse

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/preview"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// run executes cmd and feeds every resulting message back into m
// (batches expanded), returning the messages m did not consume.
func run(t *testing.T, m *Model, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case dirLoadedMsg, sniffedMsg, statusMsg:
			queue = append(queue, m.Update(msg))
		case nil:
		default:
			out = append(out, msg)
		}
	}
	return out
}

func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func touch(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// bigFolder holds n generated photo names (empty files: listing never
// reads them), a few real images, non-images and a sub-folder.
func bigFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		touch(t, filepath.Join(dir, fmt.Sprintf("staff%05d.jpg", i)), "")
	}
	writePNG(t, filepath.Join(dir, "alice.png"))
	writePNG(t, filepath.Join(dir, "bob.jpeg"))
	writePNG(t, filepath.Join(dir, "carol")) // real PNG, no extension
	touch(t, filepath.Join(dir, "notes.txt"), "not a photo")
	touch(t, filepath.Join(dir, "README"), "plain text, no extension")
	touch(t, filepath.Join(dir, ".hidden.jpg"), "")
	if err := os.Mkdir(filepath.Join(dir, "team"), 0o700); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(dir, "team", "dave.png"))
	touch(t, filepath.Join(dir, "team", "erin.heic"), "")
	return dir
}

func newModel(t *testing.T, dir string, j *journal.Journal) *Model {
	t.Helper()
	m := New(common.NewCommon(common.ColorPlain), dir, nil, j, nil)
	m.SetSize(80, 22)
	run(t, m, m.Init())
	return m
}

func TestBrowseListsThousandsAndHidesNonImages(t *testing.T) {
	dir := bigFolder(t, 3000)
	m := newModel(t, dir, nil)
	vis := m.Visible()
	// team/ + 3000 generated + alice + bob; carol (no extension) waits for
	// identification; notes.txt, README and dot files never show.
	if len(vis) != 1+3000+2 {
		t.Fatalf("visible = %d, want %d", len(vis), 3003)
	}
	if vis[0] != "team" {
		t.Fatalf("folders first: got %q", vis[0])
	}
	for _, v := range vis {
		if v == "notes.txt" || v == "README" || v == ".hidden.jpg" || v == "carol" {
			t.Fatalf("%s should be hidden", v)
		}
	}
	view := m.View()
	if !strings.Contains(view, "3002 photos") || !strings.Contains(view, "staff00000.jpg") {
		t.Fatalf("view:\n%s", view)
	}
	if !strings.Contains(view, "2 files of unknown type") {
		t.Fatalf("unknown-type note missing:\n%s", view)
	}
	if h := lipgloss.Height(view); h != 22 {
		t.Fatalf("view height %d", h)
	}
	// Only the rows that fit are drawn.
	if strings.Count(view, ".jpg") > 22 {
		t.Fatal("list is not virtualised")
	}
}

func TestBrowseSniffFindsImagesByContent(t *testing.T) {
	m := newModel(t, bigFolder(t, 5), nil)
	run(t, m, m.Update(press("i")))
	vis := strings.Join(m.Visible(), ",")
	if !strings.Contains(vis, "carol") {
		t.Fatalf("carol (a PNG without extension) not found: %s", vis)
	}
	if strings.Contains(vis, "README") {
		t.Fatal("README is text and must stay hidden")
	}
}

func TestBrowseFilterNarrows(t *testing.T) {
	m := newModel(t, bigFolder(t, 200), nil)
	run(t, m, m.Update(press("/")))
	if !m.Capturing() {
		t.Fatal("/ should start the filter")
	}
	for _, r := range "alce" {
		run(t, m, m.Update(press(string(r))))
	}
	vis := m.Visible()
	if len(vis) != 1 || vis[0] != "alice.png" {
		t.Fatalf("fuzzy 'alce' = %v", vis)
	}
	// q while filtering is text, not quit.
	run(t, m, m.Update(press("enter")))
	if m.Capturing() {
		t.Fatal("enter should keep the filter and stop typing")
	}
	run(t, m, m.Update(press("esc")))
	if len(m.Visible()) != 203 {
		t.Fatalf("esc should clear the filter: %d", len(m.Visible()))
	}
}

func TestBrowseSelection(t *testing.T) {
	m := newModel(t, bigFolder(t, 10), nil)
	// cursor on team/: space does not select folders, moves down.
	run(t, m, m.Update(press("space")))
	if len(m.Selected()) != 0 {
		t.Fatal("folders are not selectable")
	}
	run(t, m, m.Update(press("space"))) // alice.png
	run(t, m, m.Update(press("space"))) // bob.jpeg
	sel := m.Selected()
	if len(sel) != 2 || filepath.Base(sel[0]) != "alice.png" || filepath.Base(sel[1]) != "bob.jpeg" {
		t.Fatalf("selected %v", sel)
	}
	if !strings.Contains(m.View(), "2 selected") {
		t.Fatal("selection count not shown")
	}
	run(t, m, m.Update(press("a")))
	if len(m.Selected()) != 12 {
		t.Fatalf("select all: %d", len(m.Selected()))
	}
	run(t, m, m.Update(press("n")))
	if len(m.Selected()) != 0 {
		t.Fatal("select none")
	}
	// select all with a filter selects only the matches
	run(t, m, m.Update(press("/")))
	run(t, m, m.Update(press("b")))
	run(t, m, m.Update(press("o")))
	run(t, m, m.Update(press("b")))
	run(t, m, m.Update(press("enter")))
	run(t, m, m.Update(press("a")))
	if sel := m.Selected(); len(sel) != 1 || filepath.Base(sel[0]) != "bob.jpeg" {
		t.Fatalf("filtered select all: %v", sel)
	}
	// u uploads the selection
	msgs := run(t, m, m.Update(press("u")))
	var up *common.StartUploadMsg
	for _, msg := range msgs {
		if u, ok := msg.(common.StartUploadMsg); ok {
			up = &u
		}
	}
	if up == nil || len(up.Requests) != 1 || up.Requests[0].Person != "bob" {
		t.Fatalf("upload request: %+v", msgs)
	}
}

func TestBrowseSubfolders(t *testing.T) {
	dir := bigFolder(t, 10)
	m := newModel(t, dir, nil)
	run(t, m, m.Update(press("enter"))) // into team/
	if m.Dir() != filepath.Join(dir, "team") {
		t.Fatalf("dir %s", m.Dir())
	}
	if got := strings.Join(m.Visible(), ","); got != "dave.png,erin.heic" {
		t.Fatalf("team: %s", got)
	}
	run(t, m, m.Update(press("backspace")))
	if m.Dir() != dir {
		t.Fatalf("back up: %s", m.Dir())
	}
	if p, isDir := m.Cursor(); !isDir || filepath.Base(p) != "team" {
		t.Fatalf("cursor should return to team/: %s", p)
	}
}

func TestBrowseEnterOpensCorrect(t *testing.T) {
	m := newModel(t, bigFolder(t, 3), nil)
	run(t, m, m.Update(press("down")))
	msgs := run(t, m, m.Update(press("enter")))
	if len(msgs) != 1 {
		t.Fatalf("msgs %v", msgs)
	}
	oc, ok := msgs[0].(common.OpenCorrectMsg)
	if !ok || filepath.Base(oc.Path) != "alice.png" || oc.Person != "alice" {
		t.Fatalf("got %#v", msgs[0])
	}
	// a remap changes the person shown and uploaded
	m.Update(common.PersonChangedMsg{Path: oc.Path, Person: "alice.smith@example.com"})
	if !strings.Contains(m.View(), "alice.smith") {
		t.Fatal("remapped person not shown")
	}
}

func TestBrowseStatusFromJournal(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(j.Put(journal.Entry{Person: "alice", Platform: upload.Zoom, State: journal.StateUploaded}))
	must(j.Put(journal.Entry{Person: "alice", Platform: upload.Igloo, State: journal.StateFailed}))
	m := newModel(t, bigFolder(t, 2), j)
	var row string
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "alice.png") {
			row = l
		}
	}
	// zo rh ig in ne
	if !strings.Contains(row, "✓  ·  ✗  ·  ·") {
		t.Fatalf("status cells wrong: %q", row)
	}
	must(j.Put(journal.Entry{Person: "alice", Platform: upload.Rhombus, State: journal.StateUploaded}))
	run(t, m, m.Update(common.JournalChangedMsg{}))
	if !strings.Contains(m.View(), "✓  ✓  ✗  ·  ·") {
		t.Fatal("journal change not reloaded")
	}
}

func TestBrowseSanitizesNames(t *testing.T) {
	dir := t.TempDir()
	touch(t, filepath.Join(dir, "evil\x1b[2J\x07name.jpg"), "")
	m := newModel(t, dir, nil)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07") {
		t.Fatalf("control characters reached the view: %q", v)
	}
}

func TestBrowseJournalReloadsCoalesce(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	m := newModel(t, bigFolder(t, 2), j)
	first := m.Update(common.JournalChangedMsg{})
	if first == nil {
		t.Fatal("a change should read the journal")
	}
	for i := 0; i < 50; i++ {
		if cmd := m.Update(common.JournalChangedMsg{}); cmd != nil {
			t.Fatal("a read is running: no second one")
		}
	}
	if err := j.Put(journal.Entry{Person: "bob", Platform: upload.Zoom, State: journal.StateUploaded}); err != nil {
		t.Fatal(err)
	}
	again := m.Update(first()) // the first read lands; one more read follows
	if again == nil {
		t.Fatal("changes during the read need one more read")
	}
	run(t, m, again)
	if !regexp.MustCompile(`bob +✓`).MatchString(m.View()) { // bob's first platform column

		t.Fatalf("latest journal not shown:\n%s", m.View())
	}
}

func BenchmarkReadDir10k(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < 10000; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("person%05d@example.com.jpg", i)), nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l := readDir(dir); len(l.entries) != 10000 {
			b.Fatal(len(l.entries))
		}
	}
}

func BenchmarkFilterAndView10k(b *testing.B) {
	m := New(common.NewCommon(common.ColorPlain), "", nil, nil, nil)
	m.SetSize(120, 40)
	l := listing{}
	for i := 0; i < 10000; i++ {
		n := fmt.Sprintf("person%05d@example.com.jpg", i)
		l.entries = append(l.entries, entry{name: n, path: "/x/" + n, kind: kindImage, person: personOf(n)})
	}
	m.applyListing(l)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.filter.SetValue("p99")
		m.refilter()
		_ = m.View()
		m.filter.SetValue("")
		m.refilter()
		_ = m.View()
	}
}

func TestBrowseSelectionSurvivesFolders(t *testing.T) {
	dir := bigFolder(t, 3)
	m := newModel(t, dir, nil)
	run(t, m, m.Update(press("down")))
	run(t, m, m.Update(press("space"))) // alice.png
	run(t, m, m.Update(press("up")))
	run(t, m, m.Update(press("up")))
	run(t, m, m.Update(press("enter"))) // into team/
	run(t, m, m.Update(press("space"))) // dave.png
	run(t, m, m.Update(press("esc")))   // esc clears a filter, never the selection
	sel := m.Selected()
	if len(sel) != 2 || filepath.Base(sel[0]) != "alice.png" || filepath.Base(sel[1]) != "dave.png" {
		t.Fatalf("selected %v", sel)
	}
	msgs := run(t, m, m.Update(press("u")))
	if len(msgs) != 1 || len(msgs[0].(common.StartUploadMsg).Requests) != 2 {
		t.Fatalf("upload should carry both folders' photos: %v", msgs)
	}
}

// Once uploads run, v and f lead back to the upload panes and the failure
// list (before, nothing in the browser did); before that they say why not.
func TestBrowseKeysBackToUploadScreens(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "alice.png"))
	m := newModel(t, dir, nil)
	for _, k := range []string{"v", "f"} {
		msgs := run(t, m, m.Update(press(k)))
		if len(msgs) != 1 {
			t.Fatalf("%s before uploads: %v", k, msgs)
		}
		if st, ok := msgs[0].(common.StatusMsg); !ok || !strings.Contains(st.Text, "nothing uploaded yet") {
			t.Fatalf("%s before uploads: %#v", k, msgs[0])
		}
	}
	m.Update(common.EngineStartedMsg{})
	want := map[string]common.Screen{"v": common.ScreenUpload, "f": common.ScreenFailures}
	for k, s := range want {
		msgs := run(t, m, m.Update(press(k)))
		if len(msgs) != 1 || msgs[0] != (common.SwitchScreenMsg{Screen: s}) {
			t.Fatalf("%s: %#v, want switch to %v", k, msgs, s)
		}
	}
	var help []string
	for _, b := range m.ShortHelp() {
		help = append(help, b.Help().Key)
	}
	if !strings.Contains(strings.Join(help, " "), "v") {
		t.Fatalf("short help after uploads started lacks v: %v", help)
	}
}

// With the preview beside the list (120 columns), a typical file name and
// person still show whole; a narrow list keeps every legend word.
func TestBrowseLayoutKeepsNamesAndLegend(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "chloe.martin@example.com.jpg"))
	c := common.NewCommon(common.ColorPlain)
	m := New(c, dir, nil, nil, preview.New(c, imageprep.NewPreparer(), imageprep.Options{Crop: imageprep.MethodCenter}))
	m.SetSize(120, 38)
	run(t, m, m.Init())
	v := m.View()
	if !strings.Contains(v, "chloe.martin@example.com.jpg") || !strings.Contains(v, "chloe.martin@exam") {
		t.Fatalf("120 columns: name cut:\n%s", v)
	}
	m.SetSize(44, 20)
	if v := m.View(); !strings.Contains(v, "·new") || !strings.Contains(v, "!interrupted") {
		t.Fatalf("44 columns: legend lost words:\n%s", v)
	}
}

// The person is the name without its image extension; a photo found by
// content with no image extension keeps its whole name as the person.
func TestPersonOfDropsOnlyImageExtensions(t *testing.T) {
	cases := map[string]string{
		"jane.doe@example.com.jpg":     "jane.doe@example.com",
		"OMAR.HADDAD@example.com.JPEG": "OMAR.HADDAD@example.com",
		"lukas.berg@example.com":       "lukas.berg@example.com",
		"carol":                        "carol",
		"mei.tanaka.heic":              "mei.tanaka",
	}
	for name, want := range cases {
		if got := personOf(name); got != want {
			t.Errorf("personOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// In the browser esc clears the filter (there is nothing to go back to):
// the full help says so.
func TestBrowseFullHelpSaysEscClearsTheFilter(t *testing.T) {
	m := newModel(t, t.TempDir(), nil)
	for _, col := range m.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "esc" && b.Help().Desc != "clear filter" {
				t.Fatalf("esc is %q in the browser's help", b.Help().Desc)
			}
		}
	}
}

// ctrl+r reads the folder again: a photo copied in meanwhile shows, and
// the cursor stays on the file it was on.
func TestBrowseReloadShowsNewFiles(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "b.png"))
	writePNG(t, filepath.Join(dir, "c.png"))
	m := newModel(t, dir, nil)
	run(t, m, m.Update(press("down")))
	writePNG(t, filepath.Join(dir, "a.png"))
	if strings.Contains(m.View(), "a.png") {
		t.Fatal("listed before the reload")
	}
	run(t, m, m.Update(tea.KeyMsg{Type: tea.KeyCtrlR}))
	if got := m.Visible(); len(got) != 3 || got[0] != "a.png" {
		t.Fatalf("after reload: %v", got)
	}
	if p, _ := m.Cursor(); filepath.Base(p) != "c.png" {
		t.Fatalf("cursor moved to %s", p)
	}
}

// A row's glyphs describe that file: a failed text file named alice.jpg
// does not mark alice.png (sent) as failed; a photo held for review shows
// "?" until it is approved.
func TestBrowseGlyphsArePerFile(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	dir := t.TempDir()
	good, text := filepath.Join(dir, "alice.png"), filepath.Join(dir, "alice.jpg")
	writePNG(t, good)
	touch(t, text, "not a photo")
	bob := filepath.Join(dir, "bob.png")
	writePNG(t, bob)
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Zoom, Path: good, State: journal.StateUploaded}); err != nil {
		t.Fatal(err)
	}
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Igloo, Path: text, State: journal.StateFailed}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, dir, j)
	rowOf := func(name string) string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, name+" ") {
				return l
			}
		}
		return ""
	}
	// zo rh ig in ne
	if row := rowOf("alice.png"); !strings.Contains(row, "✓  ·  ·  ·  ·") {
		t.Errorf("alice.png shows another file's failure: %q", row)
	}
	if row := rowOf("alice.jpg"); !strings.Contains(row, "·  ·  ✗  ·  ·") {
		t.Errorf("alice.jpg: %q", row)
	}
	run(t, m, m.Update(common.UploadEventMsg{Event: engine.Event{Kind: engine.EventHeld, Path: bob, Person: "bob", Message: "held for review: no face found"}}))
	if row := rowOf("bob.png"); !strings.Contains(row, "?  ?  ?  ?  ?") {
		t.Errorf("held bob.png: %q", row)
	}
	run(t, m, m.Update(common.ApprovedMsg{Path: bob}))
	if row := rowOf("bob.png"); strings.Contains(row, "?") {
		t.Errorf("approved bob.png still held: %q", row)
	}
}

// The preview lists the journal's past failures of the photo under the
// cursor, one line per platform ("Zoom ✗ 2 h ago: HTTP 413 ..."), cut to
// the pane; a failure of another file of the same person (a text file
// named alice.jpg) is not alice.png's.
func TestPreviewShowsPastFailuresOfThisFile(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	dir := t.TempDir()
	good, text := filepath.Join(dir, "alice.png"), filepath.Join(dir, "alice.jpg")
	writePNG(t, good)
	touch(t, text, "not a photo")
	ago := time.Now().Add(-2*time.Hour - time.Minute)
	long := "HTTP 413 request entity too large \x1b[31m" + strings.Repeat("x", 300)
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Zoom, Path: good, State: journal.StateFailed, LastError: long, Updated: ago}); err != nil {
		t.Fatal(err)
	}
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Igloo, Path: text, State: journal.StateFailed, LastError: "HTTP 400 not an image", Updated: ago}); err != nil {
		t.Fatal(err)
	}
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Rhombus, Path: good, State: journal.StateUploaded, Updated: ago}); err != nil {
		t.Fatal(err)
	}
	c := common.NewCommon(common.ColorPlain)
	m := New(c, dir, nil, j, preview.New(c, imageprep.NewPreparer(), imageprep.Options{Crop: imageprep.MethodCenter}))
	m.SetSize(80, 22)
	run(t, m, m.Init())
	m.moveTo(good)
	run(t, m, m.cursorMoved())
	v := m.View()
	if !strings.Contains(v, upload.Zoom.Title()+" ✗ 2 h ago: HTTP 413 request entity too large") {
		t.Fatalf("past Zoom failure of alice.png missing:\n%s", v)
	}
	if strings.Contains(v, "\x1b[31m") {
		t.Fatalf("server text not sanitized:\n%q", v)
	}
	if strings.Contains(v, "HTTP 400") || strings.Contains(v, upload.Igloo.Title()+" ✗") || strings.Contains(v, upload.Rhombus.Title()+" ✗") {
		t.Fatalf("alice.png shows another file's failure or a success as failed:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > 80 {
			t.Fatalf("line %d cells wide: %q", w, l)
		}
	}
	// The text file's own preview says its Igloo failure, not alice.png's.
	m.moveTo(text)
	run(t, m, m.cursorMoved())
	if h := m.pastFailures(text); len(h) != 1 || !strings.Contains(h[0], "HTTP 400") {
		t.Fatalf("alice.jpg history = %q", h)
	}
}

// f opens the failure list before any upload of this session when the
// journal holds failures of earlier runs (they are listed there).
func TestFailuresKeyOpensEarlierRunsFailures(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "alice.png"))
	c := common.NewCommon(common.ColorPlain)
	m := New(c, dir, nil, j, preview.New(c, imageprep.NewPreparer(), imageprep.Options{Crop: imageprep.MethodCenter}))
	m.SetSize(80, 22)
	run(t, m, m.Init())
	if msgs := run(t, m, m.Update(press("f"))); len(msgs) != 1 || msgs[0] == (common.SwitchScreenMsg{Screen: common.ScreenFailures}) {
		t.Fatalf("f with a journal without failures: %#v, want the 'nothing uploaded yet' status", msgs)
	}
	if err := j.Put(journal.Entry{Person: "alice", Platform: upload.Zoom, Path: filepath.Join(dir, "alice.png"), State: journal.StateFailed, LastError: "HTTP 413"}); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.Update(common.JournalChangedMsg{}))
	if msgs := run(t, m, m.Update(press("f"))); len(msgs) != 1 || msgs[0] != (common.SwitchScreenMsg{Screen: common.ScreenFailures}) {
		t.Fatalf("f with an earlier failure in the journal: %#v, want the failures screen", msgs)
	}
}
