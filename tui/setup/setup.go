// Package setup is headshot's guided set-up: a Bubble Tea component that
// lets a technician pick the platforms, fill in each one's credentials with
// inline help saying where the vendor's admin console shows them (secrets
// masked, values checked as they are typed), test each connection off the
// update loop, and save the config file (mode 0600). It runs on its own
// (`headshot setup`) or hosted by the root TUI: it implements
// tui/common.Component and uses the shared styles.
package setup

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/imageprep/textsafe"
	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/config"
)

type stage int

const (
	stagePick stage = iota // choose platforms
	stageForm              // one platform's fields
)

// DoneMsg is sent when the technician saved (Saved true) or left without
// saving. Config is what was saved (nil when nothing was).
type DoneMsg struct {
	Saved  bool
	Path   string
	Config *config.Config
}

// testResultMsg carries one test connection's outcome back to the model.
type testResultMsg struct {
	platform upload.Platform
	seq      int
	err      error
	note     string // the client's Describe, after a passing test
}

// savedMsg carries the outcome of writing the file.
type savedMsg struct {
	cfg *config.Config
	err error
}

// testState is one platform's last test connection.
type testState struct {
	running bool
	seq     int
	ok      bool
	text    string
	at      time.Time // when the last test finished (zero: not tested)
}

// input is one field on a platform's form.
type input struct {
	field config.Field
	in    textinput.Model
	err   string // why the value is not accepted ("" : fine)
}

// Model is the setup component.
type Model struct {
	common.Common
	keys keyMap

	cfg  *config.Config // working copy: every table the file had
	path string

	stage  stage
	cursor int                      // platform list
	chosen map[upload.Platform]bool // platforms to save
	order  []upload.Platform        // chosen, in display order (form pages)
	page   int                      // index into order
	focus  int                      // field on the page
	forms  map[upload.Platform][]*input
	tests  map[upload.Platform]*testState

	status    string // last save result
	statusErr bool
	timeout   time.Duration

	start []byte // the file as it would be written, as loaded or last saved

	// confirmSave is set while asking whether to save after a failed test.
	confirmSave bool
	now         func() time.Time
}

// Option adjusts a Model.
type Option func(*Model)

// WithTestTimeout bounds each test connection (default 20s).
func WithTestTimeout(d time.Duration) Option { return func(m *Model) { m.timeout = d } }

// New builds the setup component editing cfg (nil: a new config), saving to
// path. Platforms cfg already has start chosen; values it holds that setup
// does not show are kept when it saves.
func New(cfg *config.Config, path string, c common.Common, opts ...Option) *Model {
	if cfg == nil {
		cfg = &config.Config{}
	}
	m := &Model{
		Common:  c,
		keys:    defaultKeys(c.Keys),
		cfg:     cfg.Clone(),
		path:    path,
		chosen:  map[upload.Platform]bool{},
		forms:   map[upload.Platform][]*input{},
		tests:   map[upload.Platform]*testState{},
		timeout: 20 * time.Second,
		now:     time.Now,
	}
	for _, o := range opts {
		o(m)
	}
	for _, p := range upload.Platforms() {
		m.chosen[p] = m.cfg.Has(p)
		m.forms[p] = m.buildForm(p)
		m.tests[p] = &testState{}
	}
	m.start, _ = m.toSave().Marshal()
	return m
}

// Unsaved reports whether the technician changed anything (a platform
// chosen or dropped, a value typed) that is not saved: the host asks before
// quitting then.
func (m *Model) Unsaved() bool {
	now, err := m.toSave().Marshal()
	return err != nil || !bytes.Equal(now, m.start)
}

func (m *Model) buildForm(p upload.Platform) []*input {
	var out []*input
	for _, k := range shown(p) {
		f, ok := config.FieldOf(string(p), k)
		if !ok {
			continue
		}
		ti := textinput.New()
		ti.Prompt = ""
		ti.CharLimit = 512
		ti.Placeholder = f.Default
		if f.Required {
			ti.Placeholder = "required"
		}
		if len(f.Choices) > 0 {
			ti.Placeholder = "← " + orDefault(f.Default, "choose") + " →"
		}
		if f.Secret() {
			ti.EchoMode = textinput.EchoPassword
			ti.EchoCharacter = '*'
		}
		ti.PlaceholderStyle = m.Styles.Muted
		ti.TextStyle = m.Styles.Input
		ti.SetValue(m.cfg.Get(string(p), k))
		out = append(out, &input{field: f, in: ti})
	}
	return out
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	for _, form := range m.forms {
		for _, f := range form {
			f.in.Width = m.inputWidth()
			// Scroll a value set before the width was known (a long URL)
			// so the field keeps to its width.
			f.in.SetCursor(f.in.Position())
		}
	}
}

const labelWidth = 16

func (m *Model) inputWidth() int {
	w := m.Width - labelWidth - 6
	if w < 10 {
		w = 10
	}
	if w > 60 {
		w = 60
	}
	return w
}

// Capturing reports whether keys go to a text field (the root must not act
// on q or ? then).
func (m *Model) Capturing() bool { return m.stage == stageForm || m.confirmSave }

// Config is the working config (what Save would write).
func (m *Model) Config() *config.Config { return m.toSave() }

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case testResultMsg:
		ts := m.tests[msg.platform]
		if ts == nil || msg.seq != ts.seq {
			return nil // a newer test superseded this one
		}
		ts.running, ts.ok, ts.text = false, msg.err == nil, Explain(msg.platform, msg.err)
		if msg.err == nil && msg.note != "" {
			ts.text += "; " + textsafe.CleanN(msg.note, 200)
		}
		ts.at = m.now()
		return nil
	case savedMsg:
		if msg.err != nil {
			m.status, m.statusErr = textsafe.CleanN(msg.err.Error(), 200), true
			return nil
		}
		m.status, m.statusErr = "Saved "+textsafe.Clean(m.path)+" (readable only by you)", false
		m.start, _ = msg.cfg.Marshal()
		cfg, path := msg.cfg, m.path
		return func() tea.Msg { return DoneMsg{Saved: true, Path: path, Config: cfg} }
	case tea.KeyMsg:
		if m.confirmSave {
			return m.updateConfirm(msg)
		}
		if m.stage == stagePick {
			if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
				// Keys typed faster than one read arrive together: take
				// them one by one so "jj" moves twice.
				var cmds []tea.Cmd
				for _, r := range msg.Runes {
					cmds = append(cmds, m.updatePick(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
				}
				return tea.Batch(cmds...)
			}
			return m.updatePick(msg)
		}
		return m.updateForm(msg)
	}
	if m.stage == stageForm {
		return m.updateInput(msg)
	}
	return nil
}

func (m *Model) updatePick(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(msg, m.keys.Down):
		if m.cursor < len(upload.Platforms())-1 {
			m.cursor++
		}
	case key.Matches(msg, m.keys.Toggle):
		p := upload.Platforms()[m.cursor]
		m.chosen[p] = !m.chosen[p]
		m.status = ""
	case key.Matches(msg, m.keys.Save):
		return m.askSave()
	case key.Matches(msg, m.keys.Continue):
		m.order = m.order[:0]
		page := 0
		under := upload.Platforms()[m.cursor]
		for _, p := range upload.Platforms() {
			if m.chosen[p] {
				if p == under {
					page = len(m.order) // open the platform under the cursor
				}
				m.order = append(m.order, p)
			}
		}
		if len(m.order) == 0 {
			m.status, m.statusErr = "Choose at least one platform (space), then enter.", true
			return nil
		}
		m.status = ""
		m.stage, m.page = stageForm, page
		return m.focusField(0)
	}
	return nil
}

func (m *Model) updateForm(msg tea.KeyMsg) tea.Cmd {
	p := m.order[m.page]
	form := m.forms[p]
	switch {
	case key.Matches(msg, m.keys.Platforms):
		m.blurAll()
		m.stage = stagePick
		return nil
	case key.Matches(msg, m.keys.Test):
		return m.test(p)
	case key.Matches(msg, m.keys.Save):
		return m.askSave()
	case key.Matches(msg, m.keys.Reveal):
		in := form[m.focus]
		if in.field.Secret() {
			if in.in.EchoMode == textinput.EchoPassword {
				in.in.EchoMode = textinput.EchoNormal
			} else {
				in.in.EchoMode = textinput.EchoPassword
			}
		}
		return nil
	case key.Matches(msg, m.keys.NextPlatform):
		return m.turnPage(1)
	case key.Matches(msg, m.keys.PrevPlatform):
		return m.turnPage(-1)
	case key.Matches(msg, m.keys.PrevField):
		if m.focus > 0 {
			return m.focusField(m.focus - 1)
		}
		return nil
	case key.Matches(msg, m.keys.NextField):
		if m.focus < len(form)-1 {
			return m.focusField(m.focus + 1)
		}
		if msg.String() == "enter" && m.page < len(m.order)-1 {
			return m.turnPage(1)
		}
		return nil
	}
	return m.updateInput(msg)
}

// updateInput passes a message to the focused field and re-checks it.
func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	if m.page >= len(m.order) {
		return nil
	}
	p := m.order[m.page]
	in := m.forms[p][m.focus]
	before := in.in.Value()
	var cmd tea.Cmd
	if len(in.field.Choices) > 0 {
		m.choose(in, msg)
	} else {
		in.in, cmd = in.in.Update(msg)
	}
	if in.in.Value() != before {
		m.commit(p, in)
		m.tests[p].text, m.tests[p].ok = "", false // the result no longer applies
		m.status = ""
	}
	return cmd
}

// choose moves a choice field: ←/→ step through its choices, a typed
// letter picks the first choice starting with it, backspace/delete clear it
// (the default applies). Nothing else is typed into it: a space or a word
// that is no choice is refused.
func (m *Model) choose(in *input, msg tea.Msg) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return
	}
	choices := in.field.Choices
	cur := -1
	for i, c := range choices {
		if c == in.in.Value() {
			cur = i
		}
	}
	if cur < 0 {
		for i, c := range choices {
			if c == in.field.Default {
				cur = i
			}
		}
	}
	switch k.Type {
	case tea.KeyRight:
		in.in.SetValue(choices[(cur+1)%len(choices)])
	case tea.KeyLeft:
		if cur < 0 {
			cur = 0
		}
		in.in.SetValue(choices[(cur-1+len(choices))%len(choices)])
	case tea.KeyBackspace, tea.KeyDelete, tea.KeyCtrlU:
		in.in.SetValue("")
	case tea.KeyRunes:
		// The next choice after the current one starting with the letter.
		for i := 1; i <= len(choices); i++ {
			c := choices[(cur+i+len(choices))%len(choices)]
			if len(k.Runes) == 1 && strings.HasPrefix(c, strings.ToLower(string(k.Runes))) {
				in.in.SetValue(c)
				return
			}
		}
		in.err = ""
		m.status, m.statusErr = label(in.field.Key)+" is a choice: ←/→ pick one of "+strings.Join(choices, ", "), true
	case tea.KeySpace:
		m.status, m.statusErr = label(in.field.Key)+" is a choice: ←/→ pick one of "+strings.Join(choices, ", "), true
	}
}

// failedTests lists the chosen platforms whose last test failed.
func (m *Model) failedTests() []string {
	var out []string
	for _, p := range upload.Platforms() {
		if ts := m.tests[p]; m.chosen[p] && !ts.running && !ts.ok && !ts.at.IsZero() {
			out = append(out, p.Title())
		}
	}
	return out
}

// askSave saves, first asking when the last test of a chosen platform
// failed (a refused secret is not saved by a reflex ctrl+s).
func (m *Model) askSave() tea.Cmd {
	if len(m.failedTests()) > 0 {
		m.confirmSave = true
		return nil
	}
	return m.save()
}

// updateConfirm answers "Save anyway?": y saves, anything else goes back.
func (m *Model) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	m.confirmSave = false
	if key.Matches(msg, m.keys.Yes) {
		return m.save()
	}
	m.status, m.statusErr = "Not saved.", false
	return nil
}

// commit validates a field's text and stores it in the working config.
func (m *Model) commit(p upload.Platform, in *input) {
	if err := m.cfg.Set(string(p), in.field.Key, in.in.Value()); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, fmt.Sprintf("[%s] %s: ", p, in.field.Key))
		in.err = textsafe.CleanN(msg, 120)
		return
	}
	in.err = ""
}

// blurAll leaves every field; a secret shown with ctrl+r is masked again,
// so it is never left readable on screen once the cursor moves on.
func (m *Model) blurAll() {
	for _, form := range m.forms {
		for _, f := range form {
			f.in.Blur()
			if f.field.Secret() {
				f.in.EchoMode = textinput.EchoPassword
			}
		}
	}
}

func (m *Model) focusField(i int) tea.Cmd {
	m.blurAll()
	m.focus = i
	form := m.forms[m.order[m.page]]
	if i < len(form) {
		return form[i].in.Focus()
	}
	return nil
}

func (m *Model) turnPage(d int) tea.Cmd {
	n := m.page + d
	if n < 0 || n >= len(m.order) {
		return nil
	}
	m.page = n
	return m.focusField(0)
}

// invalid lists the fields of p whose text was refused.
func (m *Model) invalid(p upload.Platform) []string {
	var out []string
	for _, f := range m.forms[p] {
		if f.err != "" {
			out = append(out, label(f.field.Key))
		}
	}
	return out
}

// test starts a test connection for p off the update loop.
func (m *Model) test(p upload.Platform) tea.Cmd {
	ts := m.tests[p]
	if bad := m.invalid(p); len(bad) > 0 {
		ts.running, ts.ok = false, false
		ts.text = p.Title() + ": fix " + strings.Join(bad, ", ") + " first"
		return nil
	}
	cfg := m.cfg.Clone()
	cfg.Enable(p)
	ts.seq++
	ts.running, ts.ok, ts.text = true, false, p.Title()+": testing..."
	seq, timeout := ts.seq, m.timeout
	return func() tea.Msg {
		cl, err := cfg.Client(p)
		if err != nil {
			return testResultMsg{platform: p, seq: seq, err: err}
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		err = TestConnection(ctx, cl)
		if err != nil && ctx.Err() != nil {
			err = &upload.Error{Platform: p, Class: upload.ClassNetwork,
				Message: fmt.Sprintf("no answer within %s", timeout)}
		}
		return testResultMsg{platform: p, seq: seq, err: err, note: Describe(cl)}
	}
}

// toSave is the config as it would be written: the chosen platforms'
// tables (with every value the file had), the others removed.
func (m *Model) toSave() *config.Config {
	out := m.cfg.Clone()
	for _, p := range upload.Platforms() {
		if m.chosen[p] {
			out.Enable(p)
		} else {
			out.Disable(p)
		}
	}
	return out
}

// save writes the file off the update loop.
func (m *Model) save() tea.Cmd {
	for _, p := range upload.Platforms() {
		if !m.chosen[p] {
			continue
		}
		if bad := m.invalid(p); len(bad) > 0 {
			m.status, m.statusErr = fmt.Sprintf("Not saved: %s: fix %s", p.Title(), strings.Join(bad, ", ")), true
			return nil
		}
	}
	cfg, path := m.toSave(), m.path
	m.status, m.statusErr = "Saving...", false
	return func() tea.Msg { return savedMsg{cfg: cfg, err: cfg.Save(path)} }
}

// ShortHelp implements common.Component.
func (m *Model) ShortHelp() []key.Binding {
	if m.confirmSave {
		return []key.Binding{m.keys.Yes, m.keys.No}
	}
	if m.stage == stagePick {
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Toggle, m.keys.Continue, m.keys.Save, m.keys.Quit}
	}
	return []key.Binding{m.keys.NextField, m.keys.Test, m.keys.Save, m.keys.NextPlatform, m.keys.Platforms}
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.Toggle, m.keys.Continue},
		{m.keys.NextField, m.keys.PrevField, m.keys.NextPlatform, m.keys.PrevPlatform},
		{m.keys.Test, m.keys.Reveal, m.keys.Save, m.keys.Platforms, m.keys.Quit},
	}
}

// View implements common.Component.
func (m *Model) View() string {
	var b strings.Builder
	s := m.Styles
	b.WriteString(s.Title.Render("headshot setup") + "  " + s.Muted.Render(common.TruncateLeft(textsafe.Clean(m.path), m.Width-17)) + "\n")
	if m.stage == stagePick {
		m.viewPick(&b)
	} else {
		m.viewForm(&b)
	}
	if m.confirmSave {
		msg := "The last test failed (" + strings.Join(m.failedTests(), ", ") + "). Save anyway? y: save · n/esc: go back"
		b.WriteString("\n" + s.Err.Render(wrap(msg, m.Width)))
		return b.String()
	}
	if m.status != "" {
		st := s.OK
		if m.statusErr {
			st = s.Err
		}
		b.WriteString("\n" + st.Render(wrap(m.status, m.Width)))
	}
	return b.String()
}

func (m *Model) viewPick(b *strings.Builder) {
	s := m.Styles
	b.WriteString("\nWhich platforms should headshot send photos to?\n\n")
	for i, p := range upload.Platforms() {
		mark := "[ ]"
		if m.chosen[p] {
			mark = "[x]"
		}
		line := fmt.Sprintf("%s %-20s %s %s", mark, p.Title(), m.lastTest(p), descriptor(p).Summary)
		line = common.Truncate(line, m.Width-2)
		if i == m.cursor {
			b.WriteString(s.CursorRow.Render("> "+line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	b.WriteString("\n" + s.Muted.Render("space: use or skip a platform · enter: fill in its details") + "\n")
}

// lastTest is p's last test result for the platform list: "✓ 05:31",
// "✗ 05:31", "… now" while testing, blanks when not tested.
func (m *Model) lastTest(p upload.Platform) string {
	ts := m.tests[p]
	switch {
	case ts.running:
		return "…      "
	case ts.at.IsZero():
		return "       "
	case ts.ok:
		return "✓ " + ts.at.Format("15:04")
	}
	return "✗ " + ts.at.Format("15:04")
}

func (m *Model) viewForm(b *strings.Builder) {
	s := m.Styles
	p := m.order[m.page]
	var tabs []string
	for i, q := range m.order {
		name := descriptor(q).Short
		if name == "" {
			name = q.Title()
		}
		if i == m.page {
			tabs = append(tabs, s.CursorRow.Render("["+name+"]"))
		} else {
			tabs = append(tabs, " "+name+" ")
		}
	}
	b.WriteString(strings.Join(tabs, " ") + "\n")
	b.WriteString(s.Muted.Render(wrap("Where: "+descriptor(p).Console, m.Width)) + "\n\n")
	form := m.forms[p]
	for i, f := range form {
		mark := "  "
		if i == m.focus {
			mark = s.Key.Render("> ")
		}
		lbl := fmt.Sprintf("%-*s", labelWidth, label(f.field.Key))
		tail := ""
		if f.err != "" {
			tail = " " + s.Err.Render("✗")
		}
		field := f.in.View()
		if len(f.field.Choices) > 0 && f.in.Value() != "" {
			field = s.Input.Render("← " + f.in.Value() + " →")
		}
		b.WriteString(mark + lbl + field + tail + "\n")
	}
	b.WriteString("\n")
	if m.focus < len(form) {
		f := form[m.focus]
		text := f.field.Help()
		if f.field.Kind == config.KindURL && f.field.Default != "" {
			text = "Empty: " + f.field.Default + ". " + text
		}
		if len(f.field.Choices) > 0 {
			text = "←/→: " + strings.Join(f.field.Choices, " | ") + ". " + text
		}
		if env := m.cfg.FromEnv(string(p), f.field.Key); env != "" {
			text += " Now set by " + env + ", which wins over the file."
		}
		if f.err != "" {
			b.WriteString(s.Err.Render(wrap(label(f.field.Key)+": "+f.err, m.Width)) + "\n")
		} else {
			b.WriteString(wrap(text, m.Width) + "\n")
		}
	}
	if ts := m.tests[p]; ts.text != "" {
		st := s.Err
		switch {
		case ts.running:
			st = s.Info
		case ts.ok:
			st = s.OK
		}
		mark := "✗ "
		if ts.ok {
			mark = "✓ "
		} else if ts.running {
			mark = "… "
		}
		b.WriteString(st.Render(wrap(mark+ts.text, m.Width)) + "\n")
	}
}

// wrap breaks text at spaces to fit width (no wrapping when width is unknown).
func wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	return ansi.Wrap(text, width, " ")
}

// The root TUI can host setup as one of its screens.
var (
	_ common.Component = (*Model)(nil)
	_ common.Capturer  = (*Model)(nil)
)

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
