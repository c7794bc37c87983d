package demo_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"headshot/tui/demo"
	"headshot/tui/setup/tmuxtest"
)

// TestDemoInTmux runs `headshot demo` in an 80x24 tmux window: the browser
// shows the sample photos, q quits cleanly, and the temporary folder is gone.
func TestDemoInTmux(t *testing.T) {
	bin := tmuxtest.Binary(t)
	samples, err := demo.WriteSamples(t.TempDir(), demo.SampleOptions{BigWidth: 600, BigHeight: 400})
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	s := tmuxtest.Start(t, 80, 24, []string{"HOME=" + tmp, "TMPDIR=" + tmp, "TERM=xterm-256color"}, bin+" demo --fast 20")
	screen := s.WaitFor(fmt.Sprintf("%d photos", len(samples)), 60*time.Second)
	for _, name := range []string{"jane.doe@example.com.jpg", "amara.okafor@example.com.jpg"} {
		if !strings.Contains(screen, name) {
			t.Fatalf("browser lacks %s:\n%s", name, screen)
		}
	}
	s.Keys("q")
	s.WaitFor("EXIT=0", 20*time.Second)
	s.WaitFor("Temporary files removed", time.Second)
	left, _ := filepath.Glob(filepath.Join(tmp, "headshot-demo-*"))
	if len(left) > 0 {
		t.Fatalf("left behind: %v", left)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		for _, e := range entries {
			t.Logf("in TMPDIR: %s", e.Name())
		}
	}
}
