package tui

import (
	"context"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload/engine"
)

// uploads is the root's hold on the upload engine.
type uploads struct {
	events  <-chan engine.Event
	submit  func([]common.UploadRequest)
	closeFn func()
	// workFn says what is left (busy: anything; the quit question: what).
	workFn func() workLeft

	mu     sync.Mutex
	closed bool
}

// busy says whether anything is queued or in flight (and the engine is
// still open): quitting then asks first.
func (u *uploads) busy() bool {
	if u == nil {
		return false
	}
	u.mu.Lock()
	closed := u.closed
	u.mu.Unlock()
	w := u.work()
	return !closed && w.InFlight+w.Queued > 0
}

// workLeft is what quitting now would leave unsent.
type workLeft struct {
	InFlight, Queued int
	// Paused: every platform with photos queued is paused, so nothing
	// is moving (the question must not say "in flight").
	Paused bool
}

// work is what is left (zero when unknown).
func (u *uploads) work() workLeft {
	if u == nil || u.workFn == nil {
		return workLeft{}
	}
	return u.workFn()
}

// close stops the engine once (in-flight items are recorded as
// interrupted); safe to call twice and from a command.
func (u *uploads) close() {
	if u == nil {
		return
	}
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return
	}
	u.closed = true
	u.mu.Unlock()
	if u.closeFn != nil {
		u.closeFn()
	}
}

// engineUploads wraps a started engine.
func engineUploads(e *engine.Engine) *uploads {
	return &uploads{
		events:  e.Events(),
		submit:  func(reqs []common.UploadRequest) { e.Submit(jobsOf(reqs)...) },
		closeFn: e.Close,
		workFn: func() workLeft {
			var w workLeft
			paused, waiting := 0, 0
			for _, s := range e.Snapshot() {
				w.InFlight += s.InFlight
				w.Queued += s.Queued
				if s.InFlight > 0 || s.Queued > 0 {
					waiting++
					if s.Paused {
						paused++
					}
				}
			}
			w.Paused = waiting > 0 && paused == waiting && w.InFlight == 0
			return w
		},
	}
}

// waitForUploadEvent reads one engine event; the root re-arms it after
// each UploadEventMsg so events arrive one message at a time and the
// engine never waits on the TUI.
func waitForUploadEvent(ch <-chan engine.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return common.UploadsClosedMsg{}
		}
		return common.UploadEventMsg{Event: ev}
	}
}

// startEngine builds and starts the engine on the first upload.
func (m *Model) startEngine() (tea.Cmd, error) {
	if len(m.opts.Clients) == 0 && m.opts.NewEngine == nil {
		return nil, errNoEngine
	}
	cfg := engine.Config{Clients: m.opts.Clients, Preparer: m.opts.Preparer, Prep: m.opts.Prep, Journal: m.opts.Journal, People: m.opts.People}
	build := m.opts.NewEngine
	if build == nil {
		build = engine.New
	}
	e, err := build(cfg)
	if err != nil {
		return nil, err
	}
	e.Start(context.Background())
	m.up = engineUploads(e)
	m.engine = e
	started := common.EngineStartedMsg{Engine: e}
	return tea.Batch(waitForUploadEvent(m.up.events), func() tea.Msg { return started }), nil
}

// startUpload hands requests to the engine (starting it on first use) and
// shows the upload screen.
func (m *Model) startUpload(reqs []common.UploadRequest) tea.Cmd {
	if len(reqs) == 0 {
		return common.StatusCmd("nothing selected to upload")
	}
	var first tea.Cmd
	if m.up == nil {
		cmd, err := m.startEngine()
		if err != nil {
			return common.ErrorCmd(err)
		}
		first = cmd
	}
	m.up.submit(reqs)
	m.show(common.ScreenUpload)
	// No "13 photos queued" in the status line: it would stay there after
	// the queue is done. The panes count what is queued, live.
	return tea.Batch(first, common.StatusCmd(""))
}

// afterEvent re-arms the event reader and tells the browser the journal
// changed when an item reached a final state.
func (m *Model) afterEvent(ev engine.Event) tea.Cmd {
	var cmds []tea.Cmd
	if m.up != nil && m.up.events != nil {
		cmds = append(cmds, waitForUploadEvent(m.up.events))
	}
	switch ev.Kind {
	case engine.EventUploaded, engine.EventFailed, engine.EventSkipped, engine.EventDone:
		cmds = append(cmds, func() tea.Msg { return common.JournalChangedMsg{} })
	}
	return tea.Batch(cmds...)
}
