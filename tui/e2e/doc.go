// Package e2e holds end-to-end tests of the real headshot binary: the TUI
// driven inside tmux (send-keys, capture-pane) against the sandbox, and the
// headless commands against a sandbox started in the background. It has no
// code of its own; everything is in its _test.go files. The tmux tests skip
// when tmux is not installed (CI installs it).
package e2e
