package correct

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/preview"
	"headshot/upload"
	"headshot/upload/journal"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakePrep prepares a 400x300 photo whose auto crop is 150x150 at 100,50.
type fakePrep struct{}

func (fakePrep) Preview(ctx context.Context, path string, maxSide int, o imageprep.Options) (*imageprep.Preview, error) {
	if filepath.Base(path) == "broken.jpg" {
		return nil, errors.New("not an image: the content is text")
	}
	crop := image.Rect(100, 50, 250, 200)
	method := imageprep.MethodFace
	if o.Manual != nil {
		crop, method = *o.Manual, imageprep.MethodManual
	}
	img := image.NewRGBA(image.Rect(0, 0, 100, 75))
	for i := range img.Pix {
		img.Pix[i] = 90
	}
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	return &imageprep.Preview{Image: img, Scale: 4, Result: &imageprep.Result{
		Source: imageprep.Source{Path: path, Format: imageprep.JPEG, Width: 400, Height: 300, Orientation: 1, Bytes: 1000},
		Hash:   "hash-" + filepath.Base(path), Crop: crop, Method: method, Confidence: 0.9,
		Data: make([]byte, 100), Format: imageprep.JPEG, Quality: 90, Width: 600, Height: 600,
	}}, nil
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// run executes cmd, feeding messages back to m; messages for the root
// (uploads, person changes, status) are returned.
func run(m *Model, cmd tea.Cmd) []tea.Msg {
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
		case common.StartUploadMsg, common.PersonChangedMsg, common.StatusMsg, common.ErrorMsg, common.JournalChangedMsg:
			out = append(out, msg)
		case nil:
		default:
			queue = append(queue, m.Update(msg))
		}
	}
	return out
}

type fixture struct {
	m     *Model
	j     *journal.Journal
	paths []string
}

func setup(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, n := range []string{"alice.jpg", "alice-new.jpg", "bob.png"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(n), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	c := common.NewCommon(common.ColorPlain)
	pv := preview.New(c, fakePrep{}, imageprep.Options{})
	pv.SetDebounce(0)
	m := New(c, []upload.Platform{upload.Zoom, upload.Igloo}, j, pv)
	m.SetSize(80, 22)
	run(m, m.Update(common.OpenCorrectMsg{Path: paths[0], Person: "alice"}))
	return fixture{m: m, j: j, paths: paths}
}

func TestCorrectNudgeAndClamp(t *testing.T) {
	f := setup(t)
	m := f.m
	if m.Crop() != nil {
		t.Fatal("starts on the automatic crop")
	}
	run(m, m.Update(press("l")))
	if got := *m.Crop(); got != image.Rect(107, 50, 257, 200) {
		t.Fatalf("nudge right (150/20 = 7 px): %v", got)
	}
	run(m, m.Update(press("k")))
	if got := *m.Crop(); got != image.Rect(107, 43, 257, 193) {
		t.Fatalf("nudge up: %v", got)
	}
	for i := 0; i < 40; i++ {
		run(m, m.Update(press("left")))
		run(m, m.Update(press("k")))
	}
	if got := *m.Crop(); got.Min != image.Pt(0, 0) || got.Dx() != 150 {
		t.Fatalf("should clamp at the top-left edge: %v", got)
	}
	for i := 0; i < 60; i++ {
		run(m, m.Update(press("l")))
		run(m, m.Update(press("j")))
	}
	if got := *m.Crop(); got.Max != image.Pt(400, 300) {
		t.Fatalf("should clamp at the bottom-right edge: %v", got)
	}
	if !strings.Contains(m.View(), "manual, not saved") {
		t.Fatalf("view:\n%s", m.View())
	}
}

func TestCorrectZoomAndReset(t *testing.T) {
	m := setup(t).m
	run(m, m.Update(press("+")))
	in := *m.Crop()
	if in.Dx() >= 150 || in.Dx() != in.Dy() {
		t.Fatalf("zoom in should shrink the square: %v", in)
	}
	for i := 0; i < 30; i++ {
		run(m, m.Update(press("-")))
	}
	out := *m.Crop()
	if out.Dx() != 300 || out.Dy() != 300 || !out.In(image.Rect(0, 0, 400, 300)) {
		t.Fatalf("zoom out stops at the short side, inside the image: %v", out)
	}
	run(m, m.Update(press("r")))
	if m.Crop() != nil {
		t.Fatal("r resets to auto")
	}
	if !strings.Contains(m.View(), "crop: auto  150x150 at 100,50") {
		t.Fatalf("view:\n%s", m.View())
	}
}

func TestCorrectSavesAndReusesCorrection(t *testing.T) {
	f := setup(t)
	m := f.m
	run(m, m.Update(press("j")))
	want := *m.Crop()
	msgs := run(m, m.Update(press("s")))
	c, ok, err := f.j.Correction("hash-alice.jpg")
	if err != nil || !ok {
		t.Fatalf("correction not saved: %v %v (msgs %v)", ok, err, msgs)
	}
	if c.Crop != want || c.Person != "alice" || c.Path != f.paths[0] {
		t.Fatalf("saved %+v", c)
	}
	if !strings.Contains(m.View(), "manual, saved") {
		t.Fatal("view should say saved")
	}
	// Opening the photo again starts from the saved crop.
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[2], Person: "bob"}))
	if m.Crop() != nil {
		t.Fatal("bob has no correction")
	}
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[0], Person: "alice"}))
	if m.Crop() == nil || *m.Crop() != want {
		t.Fatalf("saved crop not reused: %v", m.Crop())
	}
}

func TestCorrectUploadOneToTarget(t *testing.T) {
	f := setup(t)
	m := f.m
	run(m, m.Update(press("h")))
	crop := *m.Crop()
	run(m, m.Update(press("t"))) // all -> zoom
	run(m, m.Update(press("t"))) // zoom -> igloo
	msgs := run(m, m.Update(press("u")))
	var up *common.StartUploadMsg
	for _, msg := range msgs {
		if u, ok := msg.(common.StartUploadMsg); ok {
			up = &u
		}
	}
	if up == nil || len(up.Requests) != 1 {
		t.Fatalf("no upload: %v", msgs)
	}
	r := up.Requests[0]
	if r.Path != f.paths[0] || r.Person != "alice" || r.Crop == nil || *r.Crop != crop ||
		len(r.Platforms) != 1 || r.Platforms[0] != upload.Igloo || !r.Force {
		t.Fatalf("request %+v", r)
	}
	if _, ok, _ := f.j.Correction("hash-alice.jpg"); !ok {
		t.Fatal("uploading a manual crop should remember it")
	}
	run(m, m.Update(press("t")))
	if m.Target() != nil {
		t.Fatal("target wraps to all")
	}
}

func TestCorrectChangePersonAndFile(t *testing.T) {
	f := setup(t)
	m := f.m
	run(m, m.Update(press("p")))
	if !m.Capturing() {
		t.Fatal("person input should capture keys")
	}
	for i := 0; i < len("alice"); i++ {
		run(m, m.Update(tea.KeyMsg{Type: tea.KeyBackspace}))
	}
	for _, r := range "alice.smith@example.com" {
		run(m, m.Update(press(string(r))))
	}
	msgs := run(m, m.Update(press("enter")))
	changed := personChanges(msgs)
	if m.Person() != "alice.smith@example.com" || len(changed) != 1 {
		t.Fatalf("person %q msgs %v", m.Person(), msgs)
	}
	if pc := changed[0]; pc.Path != f.paths[0] || pc.Person != "alice.smith@example.com" {
		t.Fatalf("%+v", pc)
	}
	// another file for this person
	run(m, m.Update(press("f")))
	if !strings.Contains(m.View(), "alice-new.jpg") {
		t.Fatalf("picker:\n%s", m.View())
	}
	run(m, m.Update(press("down"))) // alice.jpg is first; alice-new.jpg sorts first? check below
	msgs = run(m, m.Update(press("enter")))
	if m.Path() == f.paths[0] {
		t.Fatal("file not changed")
	}
	if m.Person() != "alice.smith@example.com" {
		t.Fatal("person must stay with the new file")
	}
	found := false
	for _, msg := range msgs {
		if pc, ok := msg.(common.PersonChangedMsg); ok && pc.Path == m.Path() {
			found = true
		}
	}
	if !found {
		t.Fatalf("browser not told about the new file: %v", msgs)
	}
	if m.Capturing() {
		t.Fatal("picker should close")
	}
}

// On a photo that cannot be prepared the help offers another file and
// another person, not nudging and uploading that cannot work.
func TestCorrectHelpOnUnreadablePhotoOffersAnotherFile(t *testing.T) {
	f := setup(t)
	m := f.m
	broken := filepath.Join(filepath.Dir(f.paths[0]), "broken.jpg")
	if err := os.WriteFile(broken, []byte("text"), 0o600); err != nil {
		t.Fatal(err)
	}
	helpKeys := func() string {
		var ks []string
		for _, b := range m.ShortHelp() {
			ks = append(ks, b.Help().Key)
		}
		return strings.Join(ks, " ")
	}
	if got := helpKeys(); !strings.HasPrefix(got, "hjkl") {
		t.Fatalf("readable photo: help %q", got)
	}
	run(m, m.Update(common.OpenCorrectMsg{Path: broken, Person: "x"}))
	if got := helpKeys(); got != "f p esc" {
		t.Fatalf("unreadable photo: help %q, want f p esc", got)
	}
}

// heldPrep is fakePrep whose photos need review (no face found).
type heldPrep struct{ fakePrep }

func (h heldPrep) Preview(ctx context.Context, path string, maxSide int, o imageprep.Options) (*imageprep.Preview, error) {
	p, err := h.fakePrep.Preview(ctx, path, maxSide, o)
	if err == nil {
		p.Result.Flags = []imageprep.Flag{imageprep.FlagNoFace}
	}
	return p, err
}

func TestApproveAHeldPhoto(t *testing.T) {
	f := setup(t)
	c := common.NewCommon(common.ColorPlain)
	pv := preview.New(c, heldPrep{}, imageprep.Options{})
	pv.SetDebounce(0)
	m := New(c, []upload.Platform{upload.Zoom}, f.j, pv)
	m.SetSize(80, 22)
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[1], Person: "alice"}))
	if v := m.View(); !strings.Contains(v, "⚠ held: a approves") || !strings.Contains(v, "held for review: no face found") {
		t.Fatalf("a held photo must say so, with the reason:\n%s", v)
	}
	// Sending without approving asks for no approval on its behalf.
	msgs := run(m, m.Update(press("u")))
	for _, msg := range msgs {
		if up, ok := msg.(common.StartUploadMsg); ok && up.Requests[0].Approved {
			t.Fatal("u approved the photo by itself")
		}
	}
	run(m, m.Update(press("a")))
	if _, ok, err := f.j.Approved("hash-alice-new.jpg"); !ok || err != nil {
		t.Fatalf("approval not recorded: %v %v", ok, err)
	}
	if v := m.View(); !strings.Contains(v, "approved: u sends it") {
		t.Fatalf("view after approving:\n%s", v)
	}
	msgs = run(m, m.Update(press("u")))
	var approved bool
	for _, msg := range msgs {
		if up, ok := msg.(common.StartUploadMsg); ok {
			approved = up.Requests[0].Approved
		}
	}
	if !approved {
		t.Fatalf("the upload after approving is not marked approved: %v", msgs)
	}
	// Opening it again (another session) reads the approval back.
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[2], Person: "bob"}))
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[1], Person: "alice"}))
	if !strings.Contains(m.View(), "approved: u sends it") {
		t.Fatalf("approval not read back:\n%s", m.View())
	}
}

func TestSavingACropApproves(t *testing.T) {
	f := setup(t)
	m := f.m
	run(m, m.Update(press("j")))
	run(m, m.Update(press("s")))
	if _, ok, _ := f.j.Approved("hash-alice.jpg"); !ok {
		t.Fatal("saving a crop did not approve the photo")
	}
}

func TestUnsavedCropAsksBeforeLeaving(t *testing.T) {
	f := setup(t)
	m := f.m
	if m.AskBeforeLeaving(false) {
		t.Fatal("nothing changed: leaving must not ask")
	}
	run(m, m.Update(press("j")))
	if !m.AskBeforeLeaving(false) || !m.Capturing() || !strings.Contains(m.View(), "not saved") {
		t.Fatalf("an unsaved crop must ask:\n%s", m.View())
	}
	run(m, m.Update(press("n"))) // keep editing
	if m.Capturing() || m.Crop() == nil {
		t.Fatal("n keeps the crop and the screen")
	}
	m.AskBeforeLeaving(true)
	msgs := runAll(m, m.Update(press("s")))
	if _, ok, _ := f.j.Correction("hash-alice.jpg"); !ok {
		t.Fatal("s saves before leaving")
	}
	if !hasLeave(msgs, true) {
		t.Fatalf("after saving, q goes on quitting: %v", msgs)
	}
	run(m, m.Update(press("k")))
	m.AskBeforeLeaving(false)
	msgs = runAll(m, m.Update(press("y")))
	if m.Crop() != nil || !hasLeave(msgs, false) {
		t.Fatalf("y discards and leaves: crop %v msgs %v", m.Crop(), msgs)
	}
}

// runAll is run, also returning the LeaveMsgs for the root.
func runAll(m *Model, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case nil:
			continue
		case common.LeaveMsg, common.StartUploadMsg, common.StatusMsg, common.ErrorMsg, common.JournalChangedMsg, common.ApprovedMsg:
			out = append(out, msg)
			continue
		}
		queue = append(queue, m.Update(msg))
	}
	return out
}

func hasLeave(msgs []tea.Msg, quit bool) bool {
	for _, msg := range msgs {
		if l, ok := msg.(common.LeaveMsg); ok && l.Quit == quit {
			return true
		}
	}
	return false
}

func personChanges(msgs []tea.Msg) []common.PersonChangedMsg {
	var out []common.PersonChangedMsg
	for _, msg := range msgs {
		if pc, ok := msg.(common.PersonChangedMsg); ok {
			out = append(out, pc)
		}
	}
	return out
}

// A failure view's "m remap" opens Correct with the person prompt already
// showing (no p to press first), aimed at the platform that failed; enter
// sets the person, and u sends the photo to that platform only.
func TestRemapOpensThePersonPromptAtOnce(t *testing.T) {
	f := setup(t)
	m := f.m
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[2], Person: "bob", Remap: true, Platform: upload.Igloo}))
	if !m.Capturing() || !strings.Contains(m.View(), "person: bob") {
		t.Fatalf("remap should open on the person prompt:\n%s", m.View())
	}
	if tg := m.Target(); len(tg) != 1 || tg[0] != upload.Igloo {
		t.Fatalf("target %v, want igloo", tg)
	}
	for i := 0; i < len("bob"); i++ {
		run(m, m.Update(tea.KeyMsg{Type: tea.KeyBackspace}))
	}
	for _, r := range "bob.jones" {
		run(m, m.Update(press(string(r))))
	}
	msgs := run(m, m.Update(press("enter")))
	if pc := personChanges(msgs); len(pc) != 1 || pc[0].Person != "bob.jones" || pc[0].Path != f.paths[2] {
		t.Fatalf("person change %v", msgs)
	}
	status := ""
	for _, msg := range msgs {
		if st, ok := msg.(common.StatusMsg); ok {
			status = st.Text
		}
	}
	if !strings.Contains(status, "u sends it to Igloo") {
		t.Fatalf("status %q", status)
	}
	if m.Capturing() {
		t.Fatal("enter should close the prompt")
	}
	var up *common.StartUploadMsg
	for _, msg := range run(m, m.Update(press("u"))) {
		if u, ok := msg.(common.StartUploadMsg); ok {
			up = &u
		}
	}
	if up == nil || up.Requests[0].Person != "bob.jones" || len(up.Requests[0].Platforms) != 1 || up.Requests[0].Platforms[0] != upload.Igloo {
		t.Fatalf("upload after remap: %+v", up)
	}
	// Opening a photo the ordinary way shows the crop and sends to all.
	run(m, m.Update(common.OpenCorrectMsg{Path: f.paths[0], Person: "alice"}))
	if m.Capturing() || m.Target() != nil {
		t.Fatalf("plain open: capturing %v, target %v", m.Capturing(), m.Target())
	}
}

// squareLeft is the column of the crop square's top-left corner drawn in
// characters, or -1.
func squareLeft(v string) int {
	for _, l := range strings.Split(v, "\n") {
		if i := strings.IndexRune(l, '┏'); i >= 0 {
			return len([]rune(l[:i]))
		}
	}
	return -1
}

// Without colour Correct used to show the coordinates only; now the crop
// square is drawn in box lines over the photo in characters, and moves
// with the keys.
func TestCorrectNoColorDrawsTheCropSquare(t *testing.T) {
	f := setup(t) // ColorPlain: as NO_COLOR, no colours at all
	m := f.m
	before := squareLeft(m.View())
	if before < 0 || !strings.Contains(m.View(), "┛") {
		t.Fatalf("no crop square:\n%s", m.View())
	}
	for i := 0; i < 6; i++ {
		run(m, m.Update(press("l")))
	}
	after := squareLeft(m.View())
	if after <= before {
		t.Fatalf("six nudges right: square at %d, was %d:\n%s", after, before, m.View())
	}
	if !strings.Contains(m.View(), "crop: manual, not saved") {
		t.Fatalf("crop line:\n%s", m.View())
	}
}
