// Package tui is headshot's terminal app: one root model that routes keys
// and messages to the active screen component (browse, correct, upload
// panes, failures), sizes them all, builds the help bar from the active
// component's keys plus its own, feeds upload engine events to the panes
// one message at a time, and quits safely.
package tui
