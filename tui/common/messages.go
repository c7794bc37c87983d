package common

import (
	"image"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/upload"
	"headshot/upload/engine"
)

// Screen names one of the root model's screens.
type Screen int

// The screens the root routes between.
const (
	ScreenBrowse Screen = iota
	ScreenCorrect
	ScreenUpload
	ScreenFailures
)

var screenNames = [...]string{"browse", "correct", "upload", "failures"}

func (s Screen) String() string {
	if s < 0 || int(s) >= len(screenNames) {
		return "unknown"
	}
	return screenNames[s]
}

// SwitchScreenMsg asks the root to show another screen.
type SwitchScreenMsg struct{ Screen Screen }

// SwitchScreen is the command form of SwitchScreenMsg.
func SwitchScreen(s Screen) tea.Cmd {
	return func() tea.Msg { return SwitchScreenMsg{Screen: s} }
}

// OpenCorrectMsg asks the root to open one photo in the Correct screen.
type OpenCorrectMsg struct {
	Path   string
	Person string
	// Remap opens the person prompt at once (a failure view's "m remap":
	// the photo is fine, the person is not); Platform, when set, becomes
	// the upload target, so the photo goes again only where it failed.
	Remap    bool
	Platform upload.Platform
}

// OpenCorrect is the command form of OpenCorrectMsg.
func OpenCorrect(path, person string) tea.Cmd {
	return func() tea.Msg { return OpenCorrectMsg{Path: path, Person: person} }
}

// OpenRemap opens the photo in Correct with the person prompt showing and
// p (when set) as the upload target.
func OpenRemap(path, person string, p upload.Platform) tea.Cmd {
	return func() tea.Msg { return OpenCorrectMsg{Path: path, Person: person, Remap: true, Platform: p} }
}

// UploadRequest is one photo to send; the root turns it into an engine Job.
type UploadRequest struct {
	Path      string
	Person    string
	People    map[upload.Platform]string // per-platform person override
	Crop      *image.Rectangle           // manual crop; nil: saved correction or auto
	Platforms []upload.Platform          // nil: every configured platform
	Force     bool                       // re-send even if the journal says it was sent unchanged
	Approved  bool                       // a human approved it although it needs review
}

// StartUploadMsg asks the root to send photos and show the upload screen.
type StartUploadMsg struct{ Requests []UploadRequest }

// StartUpload is the command form of StartUploadMsg.
func StartUpload(reqs ...UploadRequest) tea.Cmd {
	return func() tea.Msg { return StartUploadMsg{Requests: reqs} }
}

// UploadEventMsg carries one engine event to the components (the root
// reads them one per message and re-arms; see tui.waitForUploadEvent).
type UploadEventMsg struct{ Event engine.Event }

// UploadsClosedMsg says the engine's event channel is closed.
type UploadsClosedMsg struct{}

// JournalChangedMsg says the journal was written (an upload finished, a
// correction was saved): components showing journal state reload it.
type JournalChangedMsg struct{}

// ErrorMsg reports an error to show in the status line.
type ErrorMsg struct{ Err error }

// ErrorCmd is the command form of ErrorMsg.
func ErrorCmd(err error) tea.Cmd {
	return func() tea.Msg { return ErrorMsg{Err: err} }
}

// StatusMsg is a short note for the status line (plain text; sanitized by
// the root before display).
type StatusMsg struct{ Text string }

// StatusCmd is the command form of StatusMsg.
func StatusCmd(text string) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text} }
}

// PersonChangedMsg says the photo at Path now maps to Person (a remap made
// in Correct or in a failure view); the browser shows and uploads it so.
type PersonChangedMsg struct {
	Path   string
	Person string
}

// EngineStartedMsg is broadcast once, when the root has built and started
// the upload engine (on the first upload): the upload panes and failure
// views keep the handle to poll Snapshot/Items and to pause, resume,
// cancel, slow down and retry.
type EngineStartedMsg struct{ Engine *engine.Engine }

// CorrectionSavedMsg says a manual crop was saved for the photo at Path
// (source content Hash): previews showing it prepare it again.
type CorrectionSavedMsg struct {
	Path string
	Hash string
}

// ApprovedMsg says a human approved the photo at Path (content Hash) for
// sending although it needs review: it is no longer held.
type ApprovedMsg struct {
	Path string
	Hash string
}

// LeaveMsg asks the root to leave the active screen (Quit: quit) after the
// screen asked about unsaved changes and was told to go on.
type LeaveMsg struct{ Quit bool }

// Leaver is a Component that may hold unsaved changes: before esc or q
// leaves it, the root calls AskBeforeLeaving; true means the component now
// shows its question (and captures keys) and answers with a LeaveMsg.
type Leaver interface {
	AskBeforeLeaving(quit bool) bool
}

// HeldMsg lists photos held for review (path -> why), worked out by the
// send question before anything was sent: the browser marks their rows.
type HeldMsg struct{ Held map[string]string }
