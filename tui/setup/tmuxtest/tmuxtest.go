// Package tmuxtest runs headshot's real binary in a detached tmux session of
// a fixed size for end-to-end tests: build the binary, start it, send keys,
// read the screen. Tests using it skip when tmux is not installed. Each
// Session has its own tmux server (-L), killed in t.Cleanup.
package tmuxtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Binary builds headshot into the test's temporary folder and returns its
// path; it skips the test when tmux is not installed.
func Binary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	bin := filepath.Join(t.TempDir(), "headshot")
	if out, err := exec.Command("go", "build", "-o", bin, "headshot").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Session is one program running in tmux.
type Session struct {
	t      *testing.T
	server string
	name   string
}

// Start runs command (a shell command line) in an 80x24 (w x h) session
// with env added to a minimal environment. The command line is followed by
// `echo EXIT=$?` and a long sleep so the final screen stays readable.
func Start(t *testing.T, w, h int, env []string, command string) *Session {
	t.Helper()
	s := &Session{t: t, server: fmt.Sprintf("headshot-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "e2e"}
	var envs []string
	for _, e := range env {
		envs = append(envs, shellQuote(e))
	}
	line := fmt.Sprintf("env -i PATH=%s %s %s; echo EXIT=$?; sleep 600", shellQuote(os.Getenv("PATH")), strings.Join(envs, " "), command)
	args := []string{"-L", s.server, "-f", "/dev/null", "new-session", "-d", "-s", s.name,
		"-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "sh", "-c", line}
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	sock, _ := exec.Command("tmux", "-L", s.server, "display-message", "-p", "#{socket_path}").Output()
	t.Cleanup(func() {
		exec.Command("tmux", "-L", s.server, "kill-server").Run()
		if p := strings.TrimSpace(string(sock)); strings.Contains(p, s.server) {
			os.Remove(p) // tmux may leave its socket file behind
		}
	})
	return s
}

// Keys sends tmux key names (e.g. "Space", "Enter", "C-t", "BTab").
func (s *Session) Keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"-L", s.server, "send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys %v: %v\n%s", keys, err, out)
	}
	time.Sleep(50 * time.Millisecond) // let the program take each batch in order
}

// Type sends text literally.
func (s *Session) Type(text string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "-L", s.server, "send-keys", "-t", s.name, "-l", text).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys -l: %v\n%s", err, out)
	}
	time.Sleep(50 * time.Millisecond)
}

// Screen is the visible pane as text.
func (s *Session) Screen() string {
	s.t.Helper()
	out, err := exec.Command("tmux", "-L", s.server, "capture-pane", "-p", "-t", s.name).CombinedOutput()
	if err != nil {
		s.t.Fatalf("capture-pane: %v\n%s", err, out)
	}
	return string(out)
}

// WaitFor polls the screen until it contains text, failing with the last
// screen after timeout.
func (s *Session) WaitFor(text string, timeout time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.Screen()
		if strings.Contains(screen, text) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q within %s; last screen:\n%s", text, timeout, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
