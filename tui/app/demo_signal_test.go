package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while Demo writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// `kill PID` (SIGTERM) during `headshot demo --headless` stops the run and
// removes the temporary folder; it used to end the process on the spot and
// leave /tmp/headshot-demo-* behind.
func TestDemoHeadlessSIGTERMRemovesTheTemporaryFolder(t *testing.T) {
	testDemoSignal(t, syscall.SIGTERM)
}

// `headshot demo --headless | head` closes the pipe: the run stops and the
// folder goes (the runtime used to end the process at the next write).
func TestDemoHeadlessSIGPIPERemovesTheTemporaryFolder(t *testing.T) {
	testDemoSignal(t, syscall.SIGPIPE)
}

func testDemoSignal(t *testing.T, sig syscall.Signal) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Demo(Globals{}, DemoOptions{Headless: true, Fast: 0.2}, &out, &errb) }()

	// The handler is registered before the folder is made, so once the
	// photos exist the signal is Demo's to handle.
	// Generous: under -race on a busy 2-core machine the samples take
	// over 30 s to write; this waits for start-up, it times nothing.
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "sample photos in") {
		if time.Now().After(deadline) {
			t.Fatalf("demo did not start:\n%s\n%s", out.String(), errb.String())
		}
		select {
		case code := <-done:
			t.Fatalf("demo ended early (exit %d):\n%s\n%s", code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, "headshot-demo-*")); len(m) != 1 {
		t.Fatalf("temporary folders before the signal: %v", m)
	}
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("exit %d, want 130\n%s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("demo did not stop on %v", sig)
	}
	if !strings.Contains(errb.String(), "stopped; temporary files removed") {
		t.Errorf("stderr %q", errb.String())
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, "headshot-demo-*")); len(m) != 0 {
		t.Errorf("temporary folder left behind: %v", m)
	}
}
