package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload/engine"
)

// uploads is the root's hold on the upload engine.
type uploads struct {
	events  <-chan engine.Event
	submit  func([]common.UploadRequest)
	closeFn func()
	busyFn  func() bool
	closed  bool
}

func (u *uploads) busy() bool {
	return u != nil && !u.closed && u.busyFn != nil && u.busyFn()
}

func (u *uploads) close() {
	if u == nil || u.closed {
		return
	}
	u.closed = true
	if u.closeFn != nil {
		u.closeFn()
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

// startUpload hands requests to the engine (starting it on first use) and
// shows the upload screen.
func (m *Model) startUpload(reqs []common.UploadRequest) tea.Cmd {
	if len(reqs) == 0 {
		return common.StatusCmd("nothing selected to upload")
	}
	if m.up == nil {
		return common.ErrorCmd(errNoEngine)
	}
	m.up.submit(reqs)
	m.show(common.ScreenUpload)
	return nil
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
