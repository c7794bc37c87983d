package browse

import (
	"path/filepath"
	"sort"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/tui/preview"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// Model is the browser screen. It is a common.Component.
type Model struct {
	common.Common
	platforms []upload.Platform
	journal   *journal.Journal
	pv        *preview.Model

	dir     string
	loadID  int
	loading bool
	loadErr error
	entries []entry
	unknown int // files of unknown type not yet identified

	visible []int         // indices into entries, in display order
	list    common.Scroll // cursor: index into visible

	selected map[string]bool            // by path
	people   map[string]string          // path -> person (remaps)
	status   map[string][]journal.Entry // by person
	held     map[string]string          // path -> why it is held for review (events, the send question)
	absDir   string                     // dir made absolute, to match journal paths
	sniffing bool

	statusLoading bool // a journal read is running
	statusStale   bool // the journal changed while it ran: read again

	focusAfterLoad string // put the cursor here once the folder loads

	filtering bool
	filter    textinput.Model

	uploading bool // the upload engine has started: v and f show its screens

	listW, listH int // list area
	side         bool
}

// New makes a browser for dir. platforms are the status columns (all five
// when empty); j may be nil; pv is the preview pane it drives.
func New(c common.Common, dir string, platforms []upload.Platform, j *journal.Journal, pv *preview.Model) *Model {
	if len(platforms) == 0 {
		platforms = upload.Platforms()
	}
	ti := textinput.New()
	ti.Prompt = "/"
	ti.PromptStyle = c.Styles.Filter
	ti.TextStyle = c.Styles.Input
	ti.Cursor.Style = c.Styles.Input
	ti.CharLimit = 100
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks: quiet over SSH
	return &Model{
		Common: c, platforms: platforms, journal: j, pv: pv,
		dir: dir, loading: true,
		selected: map[string]bool{}, people: map[string]string{}, status: map[string][]journal.Entry{},
		held:   map[string]string{},
		filter: ti,
	}
}

// Focus puts the cursor on path (a file in the folder, as listed) once the
// folder has loaded.
func (m *Model) Focus(path string) { m.focusAfterLoad = path }

// Dir is the folder shown.
func (m *Model) Dir() string { return m.dir }

// Capturing implements common.Capturer: true while the filter is typed.
func (m *Model) Capturing() bool { return m.filtering }

// Init implements common.Component: list the folder and read the journal.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(loadDir(m.loadID, m.dir), m.reloadStatus())
}

// reloadStatus reads the journal, at most one read at a time: changes
// during a read (a burst of upload events) cause one more read after it.
func (m *Model) reloadStatus() tea.Cmd {
	if m.journal == nil {
		return nil
	}
	if m.statusLoading {
		m.statusStale = true
		return nil
	}
	m.statusLoading = true
	return loadStatus(m.journal)
}

// Open switches to another folder.
func (m *Model) Open(dir string) tea.Cmd {
	m.dir = dir
	m.loadID++
	m.loading = true
	m.filter.SetValue("")
	m.filtering = false
	m.filter.Blur()
	return loadDir(m.loadID, dir)
}

// statusMsg carries the journal's entries by person.
type statusMsg struct {
	byPerson map[string][]journal.Entry
	err      error
}

func loadStatus(j *journal.Journal) tea.Cmd {
	if j == nil {
		return nil
	}
	return func() tea.Msg {
		m, err := j.ByPerson()
		return statusMsg{byPerson: m, err: err}
	}
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dirLoadedMsg:
		if msg.id != m.loadID {
			return nil
		}
		return m.applyListing(msg.listing)
	case sniffedMsg:
		if msg.id != m.loadID {
			return nil
		}
		m.sniffing = false
		return m.applySniff(msg.images)
	case statusMsg:
		m.statusLoading = false
		var again tea.Cmd
		if m.statusStale {
			m.statusStale = false
			again = m.reloadStatus()
		}
		if msg.err != nil {
			return tea.Batch(again, common.ErrorCmd(msg.err))
		}
		m.status = msg.byPerson
		m.refreshHistory()
		return again
	case common.JournalChangedMsg:
		return m.reloadStatus()
	case common.PersonChangedMsg:
		m.people[msg.Path] = msg.Person
		return nil
	case common.EngineStartedMsg:
		m.uploading = true
		return nil
	case common.UploadEventMsg:
		switch ev := msg.Event; ev.Kind {
		case engine.EventHeld:
			m.held[ev.Path] = ev.Message
		case engine.EventUploaded, engine.EventChecked:
			delete(m.held, ev.Path)
		}
		return nil
	case common.HeldMsg:
		for path, why := range msg.Held {
			m.held[path] = why
		}
		return nil
	case common.ApprovedMsg:
		delete(m.held, msg.Path)
		return nil
	case tea.KeyMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
		return m.handleKey(msg)
	}
	if m.pv != nil {
		return m.pv.Update(msg)
	}
	return nil
}

func (m *Model) applyListing(l listing) tea.Cmd {
	m.loading = false
	if abs, err := filepath.Abs(m.dir); err == nil {
		m.absDir = abs
	}
	m.loadErr = l.err
	m.entries = m.entries[:0]
	m.unknown = 0
	for _, e := range l.entries {
		if e.kind == kindUnknown {
			m.unknown++
		}
		m.entries = append(m.entries, e)
	}
	m.list = common.Scroll{}
	m.refilter()
	if m.focusAfterLoad != "" {
		m.moveTo(m.focusAfterLoad)
		m.focusAfterLoad = ""
	}
	if l.err != nil {
		return common.ErrorCmd(l.err)
	}
	return m.cursorMoved()
}

func (m *Model) applySniff(images map[string]bool) tea.Cmd {
	keep := m.entries[:0]
	found := 0
	for _, e := range m.entries {
		if e.kind == kindUnknown {
			if !images[e.path] {
				continue
			}
			e.kind = kindImage
			found++
		}
		keep = append(keep, e)
	}
	m.entries = keep
	m.unknown = 0
	cur := m.cursorPath()
	m.refilter()
	m.moveTo(cur)
	return common.StatusCmd(common.Plural(found, "more photo") + " found by content")
}

// refilter recomputes the visible rows from the filter.
func (m *Model) refilter() {
	m.visible = m.visible[:0]
	pattern := m.filter.Value()
	if pattern == "" {
		for i, e := range m.entries {
			if e.kind != kindUnknown {
				m.visible = append(m.visible, i)
			}
		}
	} else {
		idx := make([]int, 0, len(m.entries))
		names := make([]string, 0, len(m.entries))
		for i, e := range m.entries {
			if e.kind != kindUnknown {
				idx = append(idx, i)
				names = append(names, e.name)
			}
		}
		for _, i := range filterNames(pattern, names) {
			m.visible = append(m.visible, idx[i])
		}
	}
	if m.list.Cursor >= len(m.visible) {
		m.list.Cursor = max(len(m.visible)-1, 0)
	}
	m.clampOffset()
}

// Visible returns the names of the rows after filtering, in order.
func (m *Model) Visible() []string {
	out := make([]string, len(m.visible))
	for i, v := range m.visible {
		out[i] = m.entries[v].name
	}
	return out
}

// Selected returns the selected photos' paths, in natural order. The
// selection is kept by path, so it survives moving between folders.
func (m *Model) Selected() []string {
	out := make([]string, 0, len(m.selected))
	for p := range m.selected {
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return naturalLess(out[a], out[b]) })
	return out
}

// Cursor returns the entry under the cursor (path, is-folder).
func (m *Model) Cursor() (string, bool) {
	if m.list.Cursor < 0 || m.list.Cursor >= len(m.visible) {
		return "", false
	}
	e := m.entries[m.visible[m.list.Cursor]]
	return e.path, e.kind == kindDir
}

func (m *Model) cursorPath() string {
	p, _ := m.Cursor()
	return p
}

func (m *Model) current() (entry, bool) {
	if m.list.Cursor < 0 || m.list.Cursor >= len(m.visible) {
		return entry{}, false
	}
	return m.entries[m.visible[m.list.Cursor]], true
}

func (m *Model) moveTo(path string) {
	for i, v := range m.visible {
		if m.entries[v].path == path {
			m.list.Cursor = i
			break
		}
	}
	m.clampOffset()
}

// PersonFor is the person a photo maps to (remap, else its stem).
func (m *Model) PersonFor(path string) string {
	if p, ok := m.people[path]; ok {
		return p
	}
	return personOf(filepath.Base(path))
}

func (m *Model) updateFilter(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case msg.Type == tea.KeyEnter:
		m.filtering = false
		m.filter.Blur()
		return nil
	case key.Matches(msg, k.Back):
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue("")
		cur := m.cursorPath()
		m.refilter()
		m.moveTo(cur)
		return m.cursorMoved()
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown:
		return m.handleKey(msg)
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if m.filter.Value() != before {
		m.list = common.Scroll{}
		m.refilter()
		return tea.Batch(cmd, m.cursorMoved())
	}
	return cmd
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Up):
		return m.move(-1)
	case key.Matches(msg, k.Down):
		return m.move(1)
	case key.Matches(msg, k.PageUp):
		return m.move(-max(m.rows(), 1))
	case key.Matches(msg, k.PageDown):
		return m.move(max(m.rows(), 1))
	case key.Matches(msg, k.Home):
		return m.move(-len(m.visible))
	case key.Matches(msg, k.End):
		return m.move(len(m.visible))
	case key.Matches(msg, k.Filter):
		m.filtering = true
		return m.filter.Focus()
	case key.Matches(msg, k.Back):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			cur := m.cursorPath()
			m.refilter()
			m.moveTo(cur)
			return m.cursorMoved()
		}
		return nil
	case key.Matches(msg, k.Open):
		e, ok := m.current()
		if !ok {
			return nil
		}
		if e.kind == kindDir {
			return m.Open(e.path)
		}
		return common.OpenCorrect(e.path, m.PersonFor(e.path))
	case key.Matches(msg, k.Parent):
		parent := filepath.Dir(m.dir)
		if parent == m.dir {
			return nil
		}
		m.focusAfterLoad = m.dir
		return m.Open(parent)
	case key.Matches(msg, k.Select):
		if e, ok := m.current(); ok && e.kind == kindImage {
			if m.selected[e.path] {
				delete(m.selected, e.path)
			} else {
				m.selected[e.path] = true
			}
		}
		return m.move(1)
	case key.Matches(msg, k.SelectAll):
		for _, v := range m.visible {
			if e := m.entries[v]; e.kind == kindImage {
				m.selected[e.path] = true
			}
		}
		return nil
	case key.Matches(msg, k.SelectNone):
		m.selected = map[string]bool{}
		return nil
	case key.Matches(msg, k.Sniff):
		if m.unknown == 0 || m.sniffing {
			return nil
		}
		m.sniffing = true
		var paths []string
		for _, e := range m.entries {
			if e.kind == kindUnknown {
				paths = append(paths, e.path)
			}
		}
		return sniffUnknown(m.loadID, paths)
	case key.Matches(msg, k.Upload):
		return m.upload()
	case key.Matches(msg, k.Reload):
		// Photos copied in while the browser is open show up; the
		// cursor stays on the same file.
		m.focusAfterLoad = m.cursorPath()
		return tea.Batch(m.Open(m.dir), m.reloadStatus())
	case key.Matches(msg, k.Failures) && (m.uploading || m.journalHasFailures()):
		// Earlier runs' failures (the journal's) are listed there too.
		return common.SwitchScreen(common.ScreenFailures)
	case key.Matches(msg, k.Uploads), key.Matches(msg, k.Failures):
		if !m.uploading {
			return common.StatusCmd("nothing uploaded yet: select photos (space, a) and press u")
		}
		return common.SwitchScreen(common.ScreenUpload)
	}
	return nil
}

// upload sends the selection, or the photo under the cursor when nothing
// is selected.
func (m *Model) upload() tea.Cmd {
	paths := m.Selected()
	if len(paths) == 0 {
		if e, ok := m.current(); ok && e.kind == kindImage {
			paths = []string{e.path}
		}
	}
	if len(paths) == 0 {
		return common.StatusCmd("select photos first (space, a)")
	}
	reqs := make([]common.UploadRequest, len(paths))
	for i, p := range paths {
		reqs[i] = common.UploadRequest{Path: p, Person: m.PersonFor(p)}
	}
	return common.StartUpload(reqs...)
}

func (m *Model) move(delta int) tea.Cmd {
	if len(m.visible) == 0 {
		return nil
	}
	if !m.list.Move(delta, len(m.visible), m.rows()) {
		return nil
	}
	return m.cursorMoved()
}

// cursorMoved points the preview at the photo under the cursor.
func (m *Model) cursorMoved() tea.Cmd {
	if m.pv == nil {
		return nil
	}
	e, ok := m.current()
	if !ok || e.kind != kindImage {
		m.pv.SetHistory(nil)
		return m.pv.Show("")
	}
	m.pv.SetHistory(m.pastFailures(e.path))
	return m.pv.Show(e.path)
}

// pastFailures is one line per platform whose journal entry for the file
// at path failed (from this session, an earlier one or a headless run):
// "Zoom ✗ 2 h ago: HTTP 413 ...", sanitized. Another file of the same
// person (a text file named jane.jpg) adds nothing.
func (m *Model) pastFailures(path string) []string {
	entries := m.status[m.PersonFor(path)]
	now := time.Now()
	var lines []string
	for _, p := range m.platforms {
		for _, e := range entries {
			if e.Platform != p || e.State != journal.StateFailed || !m.sameFile(e.Path, path) {
				continue
			}
			l := p.Title() + " ✗"
			if ago := common.Ago(e.Updated, now); ago != "" {
				l += " " + ago
			}
			if msg := common.SanitizeN(e.LastError, 200); msg != "" {
				l += ": " + msg
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// journalHasFailures reports whether the journal holds a failed upload
// (from this session, an earlier one or a headless run).
func (m *Model) journalHasFailures() bool {
	for _, es := range m.status {
		for _, e := range es {
			if e.State == journal.StateFailed {
				return true
			}
		}
	}
	return false
}

// refreshHistory re-reads the past failures of the photo under the cursor
// (after the journal changed).
func (m *Model) refreshHistory() {
	if m.pv == nil {
		return
	}
	if e, ok := m.current(); ok && e.kind == kindImage {
		m.pv.SetHistory(m.pastFailures(e.path))
	}
}

// ShortHelp implements common.Component.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	if m.filtering {
		return []key.Binding{
			common.Relabel(k.Open, "enter", "keep filter"),
			common.Relabel(k.Back, "esc", "clear filter"),
		}
	}
	// Shorter words than the full help's, and one order in every state:
	// v and f join at the end once uploads run (before, they have
	// nothing to show).
	keys := []key.Binding{k.Select,
		common.Relabel(k.SelectAll, "a", "all"),
		common.Relabel(k.Open, "enter", "correct"),
		k.Upload, k.Filter}
	if m.uploading {
		keys = append(keys, common.Relabel(k.Uploads, "v", "uploads"), k.Failures)
	}
	return keys
}

// DropFirst implements common.HelpTrimmer: once uploads run, the way back
// to the panes matters more than "a all" and "f failures" (the panes
// reach the failures too).
func (m *Model) DropFirst() []key.Binding {
	return []key.Binding{m.Keys.SelectAll, m.Keys.Failures}
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.Parent, k.Filter, common.Relabel(k.Back, "esc", "clear filter"), k.Sniff, k.Reload},
		{k.Select, k.SelectAll, k.SelectNone, k.Upload, k.Uploads, k.Failures},
	}
}
