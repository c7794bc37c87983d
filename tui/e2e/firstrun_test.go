package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFirstRunOpensSetupThenTheBrowser runs `headshot DIR` with no config
// at all: guided setup comes first (issue 6: "headshot with no config ...
// walks a technician through it"); leaving it without saving opens the
// browser on DIR, which says no platform is set up yet.
func TestFirstRunOpensSetupThenTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary in tmux")
	}
	needTmux(t)
	env := cleanEnv(t)
	dir := t.TempDir()
	portrait(t, filepath.Join(dir, "jane.doe@example.com.jpg"), 300, 400, 0)
	x := startTmux(t, 80, 24, env, headshot(t), dir)
	waitFor(t, x, "Which platforms", 30*time.Second)
	x.keys("q")
	s := waitFor(t, x, "jane.doe", 30*time.Second)
	if !strings.Contains(s, "no config yet") {
		t.Errorf("browser after leaving setup should say there is no config:\n%s", frame(s))
	}
	quit(t, x)
}
