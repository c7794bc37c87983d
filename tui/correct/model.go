package correct

import (
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/preview"
	"headshot/upload"
	"headshot/upload/journal"
)

// mode is what the keys act on.
type mode int

const (
	modeCrop mode = iota
	modePick
	modeRename
	modeLeave // asking about an unsaved crop before esc or q leaves
)

// zoomStep is the factor one + or - zooms by.
const zoomStep = 1.15

// Model is the Correct screen. It is a common.Component.
type Model struct {
	common.Common
	platforms []upload.Platform
	journal   *journal.Journal
	pv        *preview.Model

	path   string
	person string
	crop   *image.Rectangle // manual crop; nil: auto
	target int              // 0: all platforms; i: platforms[i-1]

	lookedUp  string // hash whose saved correction was looked up
	saved     bool   // the current manual crop is in the journal
	approved  bool   // a human approved this photo although it needs review
	leaveQuit bool   // modeLeave: the question came from q (quit), not esc
	// remapOnly: opened on the person prompt (a failure view's remap);
	// esc on the prompt goes back there rather than to the crop.
	remapOnly bool

	mode   mode
	pick   picker
	rename textinput.Model
}

// New makes the Correct screen. platforms are the upload targets (all
// five when empty); j may be nil (corrections are then not remembered).
func New(c common.Common, platforms []upload.Platform, j *journal.Journal, pv *preview.Model) *Model {
	if len(platforms) == 0 {
		platforms = upload.Platforms()
	}
	ti := textinput.New()
	ti.Prompt = "person: "
	ti.PromptStyle = c.Styles.Key
	ti.TextStyle = c.Styles.Input
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks: quiet over SSH
	return &Model{Common: c, platforms: platforms, journal: j, pv: pv, rename: ti}
}

// Path is the photo being corrected.
func (m *Model) Path() string { return m.path }

// Person is who the photo maps to.
func (m *Model) Person() string { return m.person }

// Crop is the manual crop (nil: automatic).
func (m *Model) Crop() *image.Rectangle { return m.crop }

// Target is the platforms an upload goes to (nil: all).
func (m *Model) Target() []upload.Platform {
	if m.target == 0 {
		return nil
	}
	return []upload.Platform{m.platforms[m.target-1]}
}

// Capturing implements common.Capturer: the picker and the person input
// take every key.
func (m *Model) Capturing() bool { return m.mode != modeCrop }

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// open shows path for person with the automatic (or saved) crop.
func (m *Model) open(path, person string) tea.Cmd {
	m.path, m.person, m.crop = path, person, nil
	m.lookedUp, m.saved, m.approved, m.mode, m.remapOnly = "", false, false, modeCrop, false
	return m.pv.Show(path)
}

// result is the prepared result for the current photo, if ready.
func (m *Model) result() *imageprep.Result {
	p := m.pv.Current()
	if p == nil || p.Result == nil || m.pv.Path() != m.path {
		return nil
	}
	return p.Result
}

// correctionMsg carries a saved crop found in the journal, and whether
// the photo was approved before.
type correctionMsg struct {
	path     string
	c        journal.Correction
	ok       bool
	approved bool
	err      error
}

func lookupCorrection(j *journal.Journal, path, hash string) tea.Cmd {
	return func() tea.Msg {
		c, ok, err := j.Correction(hash)
		_, approved, aerr := j.Approved(hash)
		if err == nil {
			err = aerr
		}
		return correctionMsg{path: path, c: c, ok: ok, approved: approved, err: err}
	}
}

// approvedMsg reports an approval written to the journal.
type approvedMsg struct {
	path, hash string
	err        error
}

// savedMsg reports a saved correction.
type savedMsg struct {
	path string
	hash string
	err  error
}

// saveCorrection saves the crop and, since a human looked at the photo
// to set it, approves the photo (saving a crop approves it).
func saveCorrection(j *journal.Journal, c journal.Correction, reasons []string) tea.Cmd {
	return func() tea.Msg {
		err := j.SaveCorrection(c)
		if err == nil {
			err = j.Approve(journal.Approval{Hash: c.Hash, Path: c.Path, Person: c.Person, Reasons: reasons})
		}
		return savedMsg{path: c.Path, hash: c.Hash, err: err}
	}
}

// pickerMsg carries the folder's photos for the picker.
type pickerMsg struct {
	files []string
	err   error
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.OpenCorrectMsg:
		cmd := m.open(msg.Path, msg.Person)
		m.target = m.targetIndex(msg.Platform)
		m.remapOnly = msg.Remap
		if msg.Remap {
			return tea.Batch(cmd, m.startRename())
		}
		return cmd
	case correctionMsg:
		if msg.path != m.path {
			return nil
		}
		if msg.approved {
			m.approved = true
		}
		if m.crop != nil {
			return nil
		}
		if msg.err != nil {
			return common.ErrorCmd(msg.err)
		}
		if msg.ok && !msg.c.Crop.Empty() {
			c := msg.c.Crop
			m.crop, m.saved = &c, true
			return tea.Batch(m.pv.ShowCrop(m.path, m.crop), common.StatusCmd("using the crop saved for this photo"))
		}
		return nil
	case savedMsg:
		if msg.err != nil {
			return common.ErrorCmd(fmt.Errorf("save crop for %s: %w", filepath.Base(msg.path), msg.err))
		}
		if msg.path == m.path {
			m.saved, m.approved = true, true
		}
		saved := common.CorrectionSavedMsg{Path: msg.path, Hash: msg.hash}
		approved := common.ApprovedMsg{Path: msg.path, Hash: msg.hash}
		return tea.Batch(common.StatusCmd("crop saved and photo approved: later batches use it"),
			func() tea.Msg { return common.JournalChangedMsg{} },
			func() tea.Msg { return saved }, func() tea.Msg { return approved })
	case approvedMsg:
		if msg.err != nil {
			return common.ErrorCmd(fmt.Errorf("approve %s: %w", filepath.Base(msg.path), msg.err))
		}
		approved := common.ApprovedMsg{Path: msg.path, Hash: msg.hash}
		return tea.Batch(common.StatusCmd("approved: u sends it, and so do later batches"),
			func() tea.Msg { return common.JournalChangedMsg{} }, func() tea.Msg { return approved })
	case pickerMsg:
		m.pick = picker{files: msg.files, err: msg.err}
		for i, f := range msg.files {
			if f == m.path {
				m.pick.move(i, m.pickRows())
			}
		}
		return nil
	case tea.KeyMsg:
		switch m.mode {
		case modePick:
			return m.updatePick(msg)
		case modeRename:
			return m.updateRename(msg)
		case modeLeave:
			return m.updateLeave(msg)
		}
		return m.handleKey(msg)
	}
	cmd := m.pv.Update(msg)
	if r := m.result(); r != nil && m.journal != nil && m.lookedUp != r.Hash && r.Hash != "" {
		m.lookedUp = r.Hash
		return tea.Batch(cmd, lookupCorrection(m.journal, m.path, r.Hash))
	}
	return cmd
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	if m.path == "" {
		return nil
	}
	switch {
	case key.Matches(msg, k.NudgeUp):
		return m.nudge(0, -1)
	case key.Matches(msg, k.NudgeDown):
		return m.nudge(0, 1)
	case key.Matches(msg, k.NudgeLeft):
		return m.nudge(-1, 0)
	case key.Matches(msg, k.NudgeRight):
		return m.nudge(1, 0)
	case key.Matches(msg, k.ZoomIn):
		return m.zoom(zoomStep)
	case key.Matches(msg, k.ZoomOut):
		return m.zoom(1 / zoomStep)
	case key.Matches(msg, k.Reset):
		m.crop, m.saved = nil, false
		return m.pv.ShowCrop(m.path, nil)
	case key.Matches(msg, k.Target):
		m.target = (m.target + 1) % (len(m.platforms) + 1)
		return nil
	case key.Matches(msg, k.Save):
		return m.save()
	case key.Matches(msg, k.Approve):
		return m.approve()
	case key.Matches(msg, k.Upload):
		return m.upload()
	case key.Matches(msg, k.PickFile):
		m.mode = modePick
		m.pick = picker{}
		dir := filepath.Dir(m.path)
		return func() tea.Msg {
			files, err := listPhotos(dir)
			return pickerMsg{files: files, err: err}
		}
	case key.Matches(msg, k.Rename):
		return m.startRename()
	}
	return nil
}

// startRename shows the person prompt, filled with the current person.
func (m *Model) startRename() tea.Cmd {
	m.mode = modeRename
	m.rename.SetValue(m.person)
	m.rename.CursorEnd()
	return m.rename.Focus()
}

// targetIndex is the target for platform p: its place in the list, or 0
// (all platforms) when p is empty or not configured.
func (m *Model) targetIndex(p upload.Platform) int {
	for i, q := range m.platforms {
		if q == p {
			return i + 1
		}
	}
	return 0
}

// base is the crop being edited: the manual one, else the automatic one.
func (m *Model) base() (image.Rectangle, int, int, bool) {
	r := m.result()
	if r == nil {
		return image.Rectangle{}, 0, 0, false
	}
	w, h := r.Source.Width, r.Source.Height
	if m.crop != nil {
		return *m.crop, w, h, true
	}
	return r.Crop, w, h, true
}

// nudge moves the crop by 1/20 of its side per press.
func (m *Model) nudge(dx, dy int) tea.Cmd {
	c, w, h, ok := m.base()
	if !ok {
		return common.StatusCmd("still preparing this photo")
	}
	step := max(c.Dx()/20, 1)
	n := imageprep.NudgeCrop(c, dx*step, dy*step, w, h)
	return m.setCrop(n)
}

func (m *Model) zoom(f float64) tea.Cmd {
	c, w, h, ok := m.base()
	if !ok {
		return common.StatusCmd("still preparing this photo")
	}
	return m.setCrop(imageprep.ZoomCrop(c, f, w, h))
}

func (m *Model) setCrop(c image.Rectangle) tea.Cmd {
	if m.crop != nil && *m.crop == c {
		return nil
	}
	m.crop, m.saved = &c, false
	return m.pv.ShowCrop(m.path, m.crop)
}

// save remembers the manual crop for this photo's content.
func (m *Model) save() tea.Cmd {
	if m.crop == nil {
		return common.StatusCmd("automatic crop: nothing to save")
	}
	if m.journal == nil {
		return common.ErrorCmd(errors.New("no journal: the crop cannot be remembered"))
	}
	r := m.result()
	if r == nil || r.Hash == "" {
		return common.StatusCmd("still preparing this photo")
	}
	return saveCorrection(m.journal, journal.Correction{Hash: r.Hash, Path: m.path, Crop: *m.crop, Person: m.person}, r.Review())
}

// approve lets this photo be sent although it needs review (recorded in
// the journal, so later batches and `headshot upload` send it too).
func (m *Model) approve() tea.Cmd {
	r := m.result()
	if r == nil {
		return common.StatusCmd("still preparing this photo")
	}
	if !r.NeedsReview() {
		return common.StatusCmd("nothing to approve: this photo is not held")
	}
	m.approved = true
	path, hash := m.path, r.Hash
	if m.journal == nil || hash == "" {
		approved := common.ApprovedMsg{Path: path, Hash: hash}
		return tea.Batch(common.StatusCmd("approved for this session: u sends it"), func() tea.Msg { return approved })
	}
	j, a := m.journal, journal.Approval{Hash: hash, Path: path, Person: m.person, Reasons: r.Review()}
	return func() tea.Msg { return approvedMsg{path: path, hash: hash, err: j.Approve(a)} }
}

// Unsaved reports whether the crop was changed and not saved.
func (m *Model) Unsaved() bool { return m.path != "" && m.crop != nil && !m.saved }

// AskBeforeLeaving implements common.Leaver: with an unsaved crop, esc
// and q ask first (s save, y discard, n stay), as setup does.
func (m *Model) AskBeforeLeaving(quit bool) bool {
	if !m.Unsaved() || m.mode != modeCrop {
		return false
	}
	m.mode, m.leaveQuit = modeLeave, quit
	return true
}

// updateLeave answers the unsaved-crop question.
func (m *Model) updateLeave(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	leave := common.LeaveMsg{Quit: m.leaveQuit}
	go_ := func() tea.Msg { return leave }
	switch {
	case key.Matches(msg, k.Save):
		m.mode = modeCrop
		// The save finishes on its own (its message reaches this screen
		// wherever the root goes).
		return tea.Batch(m.save(), go_)
	case key.Matches(msg, k.Confirm):
		m.mode = modeCrop
		m.crop, m.saved = nil, false
		return tea.Batch(m.pv.ShowCrop(m.path, nil), go_)
	case key.Matches(msg, k.Deny):
		m.mode = modeCrop
	}
	return nil
}

// upload sends just this photo (with its crop) to the target, saving a
// manual crop first.
func (m *Model) upload() tea.Cmd {
	req := common.UploadRequest{Path: m.path, Person: m.person, Crop: m.crop, Platforms: m.Target(), Force: true,
		Approved: m.approved || m.saved}
	var cmds []tea.Cmd
	if m.crop != nil && !m.saved && m.journal != nil && m.result() != nil {
		cmds = append(cmds, m.save())
	}
	return tea.Batch(append(cmds, common.StartUpload(req))...)
}

func (m *Model) updatePick(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeCrop
	case key.Matches(msg, k.Up):
		m.pick.move(-1, m.pickRows())
	case key.Matches(msg, k.Down):
		m.pick.move(1, m.pickRows())
	case key.Matches(msg, k.PageUp):
		m.pick.move(-m.pickRows(), m.pickRows())
	case key.Matches(msg, k.PageDown):
		m.pick.move(m.pickRows(), m.pickRows())
	case msg.Type == tea.KeyEnter:
		m.mode = modeCrop
		if len(m.pick.files) == 0 {
			return nil
		}
		path, person := m.pick.files[m.pick.list.Cursor], m.person
		if path == m.path {
			return nil
		}
		return tea.Batch(m.open(path, person), func() tea.Msg {
			return common.PersonChangedMsg{Path: path, Person: person}
		})
	}
	return nil
}

func (m *Model) updateRename(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.Keys.Back):
		m.mode = modeCrop
		m.rename.Blur()
		if m.remapOnly {
			m.remapOnly = false
			return func() tea.Msg { return common.LeaveMsg{} }
		}
		return nil
	case msg.Type == tea.KeyEnter:
		m.mode = modeCrop
		m.rename.Blur()
		m.remapOnly = false
		v := strings.TrimSpace(m.rename.Value())
		if v == "" || v == m.person {
			return nil
		}
		m.person = v
		path := m.path
		where := "every platform"
		if t := m.Target(); len(t) == 1 {
			where = t[0].Title()
		}
		return tea.Batch(func() tea.Msg { return common.PersonChangedMsg{Path: path, Person: v} },
			common.StatusCmd("person set to "+v+": u sends it to "+where))
	}
	var cmd tea.Cmd
	m.rename, cmd = m.rename.Update(msg)
	return cmd
}

// ShortHelp implements common.Component.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	switch m.mode {
	case modePick:
		return []key.Binding{k.Up, k.Down,
			common.Relabel(k.Open, "enter", "use this file"), k.Back}
	case modeRename:
		esc := "cancel"
		if m.remapOnly {
			esc = "back" // to the failure list it came from
		}
		return []key.Binding{common.Relabel(k.Open, "enter", "set person"),
			common.Relabel(k.Back, "esc", esc)}
	case modeLeave:
		return []key.Binding{k.Save, common.Relabel(k.Confirm, "y", "discard"),
			common.Relabel(k.Deny, "n/esc", "keep editing")}
	}
	if m.pv.Err() != nil && m.pv.Path() == m.path {
		// The photo cannot be prepared: nudging and uploading cannot
		// help, another file or another person can.
		return []key.Binding{k.PickFile, k.Rename, k.Back}
	}
	return []key.Binding{
		common.Relabel(k.NudgeLeft, "hjkl", "move"),
		common.Relabel(k.ZoomIn, "+/-", "zoom"),
		k.Upload, k.Save, k.Reset, k.Approve, k.Target, k.PickFile, k.Rename, k.Back,
	}
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{
		{k.NudgeUp, k.NudgeDown, k.NudgeLeft, k.NudgeRight},
		{k.ZoomIn, k.ZoomOut, k.Reset, k.Save},
		{k.PickFile, k.Rename, k.Target, k.Upload, k.Approve, k.Back},
	}
}
