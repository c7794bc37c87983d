package failures

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// Engine is what the Errors screen needs of the upload engine.
type Engine interface {
	Items() []engine.Item
	Snapshot() []engine.PlatformStats
	Retry(match func(engine.Item) bool) int
	SlowDown(p upload.Platform, factor float64)
	Pause(p upload.Platform, reason string)
	Resume(p upload.Platform)
}

// TickInterval is how often the screen refreshes from the engine (the
// throttle countdowns move in whole seconds).
const TickInterval = 500 * time.Millisecond

// SlowDownFactor is the pace the slow-down action sets, as a fraction of
// the platform's limit.
const SlowDownFactor = 0.5

// PauseReason is the reason given to the engine when a platform is paused
// from this screen.
const PauseReason = "paused from the Errors screen"

// Model is the Errors screen.
type Model struct {
	common.Common
	eng Engine
	now func() time.Time

	items      []engine.Item
	stats      []engine.PlatformStats
	rows       []row
	list       common.Scroll // cursor: index into rows; always a selectable row when any exists
	skipped    map[string]bool
	pausedHere map[upload.Platform]bool

	journal *journal.Journal // earlier runs' failures (nil: none shown)
	past    []journal.Entry  // the journal's failed entries, read on open and when it changes

	pastPlatforms []upload.Platform // platforms configured now (empty: all)

	poll *common.Poller
}

// Option adjusts a Model.
type Option func(*Model)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(m *Model) { m.now = now } }

// WithJournal lists the failures j keeps from earlier sessions and headless
// runs (those this session has not sent again) in their own group, for
// the platforms given (none: every platform).
func WithJournal(j *journal.Journal, platforms ...upload.Platform) Option {
	return func(m *Model) { m.journal, m.pastPlatforms = j, platforms }
}

// New builds the Errors screen. eng may be nil until the first upload
// starts: the root then sends common.EngineStartedMsg.
func New(c common.Common, eng Engine, opts ...Option) *Model {
	m := &Model{Common: c, eng: eng, now: time.Now, skipped: map[string]bool{}, pausedHere: map[upload.Platform]bool{},
		poll: common.NewPoller(TickInterval)}
	for _, o := range opts {
		o(m)
	}
	m.loadPast()
	m.refresh()
	return m
}

// loadPast reads the journal's failed entries (an unreadable journal
// shows none: the browser reports the journal's own trouble).
func (m *Model) loadPast() {
	m.past = nil
	if m.journal == nil {
		return
	}
	all, err := m.journal.All()
	if err != nil {
		return
	}
	for _, e := range all {
		if e.State == journal.StateFailed && (len(m.pastPlatforms) == 0 || slices.Contains(m.pastPlatforms, e.Platform)) {
			m.past = append(m.past, e)
		}
	}
}

// Attach gives the screen the engine once it exists.
func (m *Model) Attach(eng Engine) tea.Cmd {
	m.eng = eng
	m.refresh()
	return m.startTicking()
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return m.startTicking() }

func (m *Model) startTicking() tea.Cmd {
	if m.eng == nil {
		return nil
	}
	return m.poll.Start()
}

// Skipped is how many failures were skipped (hidden) on this screen.
func (m *Model) Skipped() int { return len(m.skipped) }

// Failures is how many failed items of this session are listed (skipped
// ones excluded).
func (m *Model) Failures() int { return m.countRows(rowItem) }

// Earlier is how many failures from earlier runs are listed.
func (m *Model) Earlier() int { return m.countRows(rowPast) }

func (m *Model) countRows(k rowKind) int {
	n := 0
	for _, r := range m.rows {
		if r.kind == k {
			n++
		}
	}
	return n
}

// refresh reads the engine and rebuilds the rows, keeping the cursor on the
// same failure when it is still listed.
func (m *Model) refresh() {
	cur := ""
	if r, ok := m.current(); ok {
		cur = r.id()
	}
	if m.eng == nil {
		m.items, m.stats = nil, nil
	} else {
		m.items, m.stats = m.eng.Items(), m.eng.Snapshot()
	}
	for p := range m.pausedHere {
		if !m.isPaused(p) {
			delete(m.pausedHere, p) // resumed elsewhere (the panes)
		}
	}
	old := m.list.Cursor
	m.rows = buildRows(m.items, m.stats, m.past, m.skipped, m.pausedHere, m.now())
	m.list.Cursor = -1
	for i, r := range m.rows {
		if cur != "" && r.id() == cur {
			m.list.Cursor = i
			break
		}
	}
	if m.list.Cursor < 0 {
		m.list.Cursor = min(old, len(m.rows)-1)
		m.settle(1)
	}
}

func (m *Model) isPaused(p upload.Platform) bool {
	for _, s := range m.stats {
		if s.Platform == p {
			return s.Paused
		}
	}
	return false
}

// settle moves the cursor off a header, first in direction dir, then back.
func (m *Model) settle(dir int) {
	if len(m.rows) == 0 {
		m.list.Cursor = 0
		return
	}
	m.list.Cursor = min(max(m.list.Cursor, 0), len(m.rows)-1)
	for _, d := range []int{dir, -dir} {
		for i := m.list.Cursor; i >= 0 && i < len(m.rows); i += d {
			if m.rows[i].selectable() {
				m.list.Cursor = i
				return
			}
		}
	}
}

// current is the row under the cursor.
func (m *Model) current() (row, bool) {
	if m.list.Cursor < 0 || m.list.Cursor >= len(m.rows) || !m.rows[m.list.Cursor].selectable() {
		return row{}, false
	}
	return m.rows[m.list.Cursor], true
}

// move steps the cursor over selectable rows.
func (m *Model) move(d int) {
	for i := m.list.Cursor + d; i >= 0 && i < len(m.rows); i += d {
		if m.rows[i].selectable() {
			m.list.Cursor = i
			return
		}
	}
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.EngineStartedMsg:
		if msg.Engine != nil {
			return m.Attach(msg.Engine)
		}
	case common.PollMsg:
		if !m.poll.Due(msg) {
			return nil
		}
		m.refresh()
		return m.poll.Next()
	case common.UploadEventMsg, common.UploadsClosedMsg:
		m.refresh()
	case common.JournalChangedMsg:
		m.loadPast()
		m.refresh()
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
		return nil
	case key.Matches(msg, k.Down):
		m.move(1)
		return nil
	case key.Matches(msg, k.Home):
		m.list.Cursor = 0
		m.settle(1)
		return nil
	case key.Matches(msg, k.End):
		m.list.Cursor = len(m.rows) - 1
		m.settle(-1)
		return nil
	}
	r, ok := m.current()
	if !ok {
		return nil
	}
	if r.kind == rowPast {
		return m.handlePastKey(msg, r)
	}
	if m.eng == nil {
		return nil
	}
	switch {
	case key.Matches(msg, k.RetryAll):
		return m.retryClass(r.group)
	case key.Matches(msg, k.Retry):
		return m.retryRow(r)
	case key.Matches(msg, k.Reencode) && r.group == groupTooLarge && r.kind == rowItem:
		return m.retryItem(r.item, "re-encoding smaller and retrying")
	case key.Matches(msg, k.OpenInEdit) && r.kind == rowItem && (r.group == groupRejected || r.group == groupUnreadable):
		return common.OpenCorrect(r.item.Path, r.item.Person)
	case key.Matches(msg, k.Remap) && r.kind == rowItem && r.group == groupNotFound:
		// The photo is fine, the person is not: straight to the person
		// prompt, sending again only where it failed.
		return common.OpenRemap(r.item.Path, r.item.Person, r.item.Platform)
	case key.Matches(msg, k.Skip) && r.kind == rowItem:
		m.skipped[r.item.ID] = true
		m.refresh()
		return common.StatusCmd(fmt.Sprintf("skipped %s on %s", common.Sanitize(r.item.Person), r.item.Platform.Title()))
	case key.Matches(msg, k.SlowDown) && r.group == groupThrottled:
		p := r.platform()
		m.eng.SlowDown(p, SlowDownFactor)
		m.refresh()
		return common.StatusCmd(fmt.Sprintf("%s: pace capped at %d%%", p.Title(), pct(SlowDownFactor)))
	case key.Matches(msg, k.Pause) && r.group == groupThrottled:
		return m.togglePause(r.platform())
	}
	return nil
}

// handlePastKey acts on a failure from an earlier run: there is no engine
// item to retry, so r and R send the photo again as a new upload (the
// usual question comes first), c opens it in Correct, s hides it.
func (m *Model) handlePastKey(msg tea.KeyMsg, r row) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Retry):
		return m.sendAgain([]row{r})
	case key.Matches(msg, k.RetryAll):
		var rs []row
		for _, x := range m.rows {
			if x.kind == rowPast {
				rs = append(rs, x)
			}
		}
		return m.sendAgain(rs)
	case key.Matches(msg, k.OpenInEdit), key.Matches(msg, k.Remap):
		if _, err := os.Stat(r.past.Path); err != nil {
			return common.StatusCmd(fmt.Sprintf("%s: %s is no longer there", common.Sanitize(r.past.Person), common.Sanitize(filepath.Base(r.past.Path))))
		}
		if key.Matches(msg, k.Remap) && r.past.Class == upload.ClassNotFound {
			// As for this session's "person not found": the person
			// prompt at once, the photo sent again only where it failed.
			return common.OpenRemap(r.past.Path, r.past.Person, r.past.Platform)
		}
		return common.OpenCorrect(r.past.Path, r.past.Person)
	case key.Matches(msg, k.Skip):
		m.skipped[r.id()] = true
		m.refresh()
		return common.StatusCmd(fmt.Sprintf("skipped %s on %s", common.Sanitize(r.past.Person), r.past.Platform.Title()))
	}
	return nil
}

// sendAgain asks the root to send the photos of earlier failures again,
// each to the platforms it failed on. A file that is gone is reported,
// not sent.
func (m *Model) sendAgain(rs []row) tea.Cmd {
	type photo struct{ path, person string }
	var order []photo
	platforms := map[photo][]upload.Platform{}
	var gone []string
	for _, r := range rs {
		if _, err := os.Stat(r.past.Path); err != nil {
			gone = append(gone, common.Sanitize(filepath.Base(r.past.Path)))
			continue
		}
		ph := photo{r.past.Path, r.past.Person}
		if _, ok := platforms[ph]; !ok {
			order = append(order, ph)
		}
		platforms[ph] = append(platforms[ph], r.past.Platform)
	}
	var reqs []common.UploadRequest
	for _, ph := range order {
		reqs = append(reqs, common.UploadRequest{Path: ph.path, Person: ph.person, Platforms: platforms[ph]})
	}
	var cmds []tea.Cmd
	if len(gone) > 0 {
		cmds = append(cmds, common.StatusCmd(fmt.Sprintf("not sent again, no longer there: %s", strings.Join(gone, ", "))))
	}
	if len(reqs) > 0 {
		cmds = append(cmds, common.StartUpload(reqs...))
	}
	return tea.Batch(cmds...)
}

// platform is the platform a row is about.
func (r row) platform() upload.Platform {
	if r.kind == rowPlatform {
		return r.stats.Platform
	}
	return r.item.Platform
}

// retryRow retries the item under the cursor, or for a platform paused for
// credentials resumes it (its items are still queued) and retries its
// failed auth items.
func (m *Model) retryRow(r row) tea.Cmd {
	if r.kind == rowItem {
		return m.retryItem(r.item, "retrying")
	}
	if r.group != groupAuth {
		return nil
	}
	p := r.stats.Platform
	m.eng.Resume(p)
	n := m.eng.Retry(func(it engine.Item) bool {
		return it.Platform == p && it.State == journal.StateFailed && groupOf(it) == groupAuth && !m.skipped[it.ID]
	})
	m.refresh()
	return common.StatusCmd(fmt.Sprintf("%s: resumed, %d failed retried", p.Title(), n))
}

func (m *Model) retryItem(it engine.Item, what string) tea.Cmd {
	id := it.ID
	n := m.eng.Retry(func(x engine.Item) bool { return x.ID == id && x.State == journal.StateFailed })
	m.refresh()
	if n == 0 {
		return common.StatusCmd(fmt.Sprintf("%s on %s: no longer failed", common.Sanitize(it.Person), it.Platform.Title()))
	}
	return common.StatusCmd(fmt.Sprintf("%s %s on %s", what, common.Sanitize(it.Person), it.Platform.Title()))
}

// retryClass retries every listed failure of group g (skipped ones stay
// skipped). For credentials it also resumes the platforms paused for them.
func (m *Model) retryClass(g group) tea.Cmd {
	if g == groupAuth {
		for _, r := range m.rows {
			if r.kind == rowPlatform && r.group == groupAuth {
				m.eng.Resume(r.stats.Platform)
			}
		}
	}
	n := m.eng.Retry(classMatcher(g, m.skipped))
	m.refresh()
	return common.StatusCmd(fmt.Sprintf("retrying %d %s", n, groups[g].title))
}

// classMatcher is the predicate retry-all uses: failed items of group g not
// skipped on this screen.
func classMatcher(g group, skipped map[string]bool) func(engine.Item) bool {
	return func(it engine.Item) bool {
		return it.State == journal.StateFailed && groupOf(it) == g && !skipped[it.ID]
	}
}

// togglePause pauses a throttled platform, or resumes one paused here.
func (m *Model) togglePause(p upload.Platform) tea.Cmd {
	if m.isPaused(p) {
		m.eng.Resume(p)
		delete(m.pausedHere, p)
		m.refresh()
		return common.StatusCmd(p.Title() + ": resumed")
	}
	m.eng.Pause(p, PauseReason)
	m.pausedHere[p] = true
	m.refresh()
	return common.StatusCmd(p.Title() + ": paused (p again to resume)")
}

// ShortHelp implements common.Component: the keys that act on the row
// under the cursor, always in one order (the class's own fix, retry,
// skip, retry all, slow down, pause, back): moving between classes leaves
// keys out, never moves them.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	r, ok := m.current()
	if !ok {
		return []key.Binding{k.Back}
	}
	item := r.kind == rowItem
	var use map[*key.Binding]bool
	switch r.group {
	case groupEarlier:
		use = map[*key.Binding]bool{&k.OpenInEdit: true, &k.Remap: r.past.Class == upload.ClassNotFound, &k.Retry: true, &k.Skip: true, &k.RetryAll: true}
	case groupRejected, groupUnreadable:
		use = map[*key.Binding]bool{&k.OpenInEdit: true, &k.Retry: true, &k.Skip: true, &k.RetryAll: r.group == groupRejected}
	case groupTooLarge:
		use = map[*key.Binding]bool{&k.Reencode: true, &k.Skip: true, &k.RetryAll: true}
	case groupThrottled:
		use = map[*key.Binding]bool{&k.Retry: item, &k.RetryAll: item, &k.SlowDown: true, &k.Pause: true}
	case groupNotFound:
		use = map[*key.Binding]bool{&k.Remap: true, &k.Retry: true, &k.Skip: true, &k.RetryAll: true}
	default:
		use = map[*key.Binding]bool{&k.Retry: true, &k.Skip: true, &k.RetryAll: true}
	}
	var out []key.Binding
	for _, b := range []*key.Binding{&k.OpenInEdit, &k.Remap, &k.Reencode, &k.Retry, &k.Skip, &k.RetryAll, &k.SlowDown, &k.Pause} {
		if use[b] {
			out = append(out, *b)
		}
	}
	return append(out, k.Back)
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Home, k.End},
		{k.Retry, k.RetryAll, k.Skip, k.Back},
		{k.OpenInEdit, k.Remap, k.Reencode},
		{k.SlowDown, k.Pause},
	}
}
