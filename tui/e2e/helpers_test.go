package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"headshot/imageprep/benchdata"
)

// binary is the headshot binary built once for every test in the package.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// headshot builds the real binary from the module root (once) and returns
// its path.
func headshot(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		gomod, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(gomod)))
		buildDir, err = os.MkdirTemp("", "headshot-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(buildDir, "headshot")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// cleanEnv is an environment with HOME and the XDG folders in a fresh
// temporary directory, so no test reads or writes the user's config or
// journal.
func cleanEnv(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"TERM=xterm-256color",
		"PATH=" + os.Getenv("PATH"),
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
	}
	return env
}

// portrait writes a real portrait (imageprep/benchdata's, one face) filled
// to w x h, so the review gate has nothing to hold; tint goes into a JPEG
// comment, so every file is its own photo.
func portrait(t *testing.T, path string, w, h int, tint uint8) {
	t.Helper()
	data, err := benchdata.Render(benchdata.SmallJPEG)
	if err != nil {
		t.Fatal(err)
	}
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	img := imaging.Fill(src, w, h, imaging.Center, imaging.Linear)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("%s %d", filepath.Base(path), tint)
	com := append([]byte{0xFF, 0xFE, 0, byte(len(name) + 2)}, name...)
	out := append(append(append([]byte{}, b.Bytes()[:2]...), com...), b.Bytes()[2:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sandbox is `headshot sandbox` running in the background.
type sandbox struct {
	cmd    *exec.Cmd
	config string // the config snippet it printed
	mu     sync.Mutex
	out    bytes.Buffer // everything it printed after the banner
	done   chan struct{}
}

// Output is what the sandbox printed after its banner (received photos).
func (s *sandbox) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// startSandbox runs `headshot sandbox ARGS` and reads its banner for the
// config snippet. It is stopped (SIGINT) in t.Cleanup.
func startSandbox(t *testing.T, env []string, args ...string) *sandbox {
	t.Helper()
	cmd := exec.Command(headshot(t), append([]string{"sandbox", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &sandbox{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() { s.stop(t) })

	banner := make(chan string, 1)
	go func() {
		defer close(s.done)
		r := bufio.NewReader(stdout)
		var head strings.Builder
		sent := false
		for {
			line, err := r.ReadString('\n')
			if !sent {
				head.WriteString(line)
				if strings.HasPrefix(line, "Photos received") {
					banner <- head.String()
					sent = true
				}
			} else {
				s.mu.Lock()
				s.out.WriteString(line)
				s.mu.Unlock()
			}
			if err != nil {
				if !sent {
					banner <- head.String()
				}
				return
			}
		}
	}()
	select {
	case b := <-banner:
		i := strings.Index(b, "Config to paste")
		j := strings.Index(b, "Photos received")
		if i < 0 || j < i {
			t.Fatalf("sandbox banner has no config snippet:\n%s\nstderr: %s", b, stderr.String())
		}
		snippet := b[i:j]
		snippet = snippet[strings.Index(snippet, "\n")+1:]
		s.config = snippet
	case <-time.After(30 * time.Second):
		t.Fatalf("sandbox printed no banner in 30s; stderr: %s", stderr.String())
	}
	return s
}

// stop interrupts the sandbox and waits for it.
func (s *sandbox) stop(t *testing.T) {
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	waited := make(chan error, 1)
	go func() { <-s.done; waited <- s.cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-waited
		t.Errorf("sandbox did not stop on SIGINT within 10s")
	}
}

// writeConfig writes the config to HOME's default location and returns its
// path.
func writeConfig(t *testing.T, env []string, text string) string {
	t.Helper()
	dir := filepath.Join(envValue(env, "XDG_CONFIG_HOME"), "headshot")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func envValue(env []string, k string) string {
	for _, kv := range env {
		if strings.HasPrefix(kv, k+"=") {
			return kv[len(k)+1:]
		}
	}
	return ""
}

// runCmd runs the binary to completion with a deadline and returns its
// exit code, stdout and stderr.
func runCmd(t *testing.T, env []string, timeout time.Duration, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, headshot(t), args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("headshot %s: no exit within %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), timeout, out.String(), errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("headshot %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errb.String()
}

// tmux is one detached tmux session on a private server socket.
type tmux struct {
	t       *testing.T
	socket  string
	session string
	home    string // HOME for the tmux client and server
}

var sessionSeq atomic.Int64

// needTmux skips the test when tmux is not installed.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it): skipping the terminal end-to-end test")
	}
}

// startTmux runs argv in a new 80x24 (or w x h) session with env, the pane
// kept after the process exits so its exit status can be read. The server
// is killed in t.Cleanup.
func startTmux(t *testing.T, w, h int, env []string, argv ...string) *tmux {
	t.Helper()
	needTmux(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g history-limit 100\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	x := &tmux{t: t, socket: filepath.Join(dir, "sock"), home: dir,
		session: fmt.Sprintf("headshot-e2e-%d-%d", os.Getpid(), sessionSeq.Add(1))}
	args := []string{"-f", conf, "new-session", "-d", "-s", x.session, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "env", "-i"}
	args = append(args, env...)
	args = append(args, argv...)
	if out, err := x.cmd(args...); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = x.cmd("kill-server") })
	return x
}

func (x *tmux) cmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "tmux", append([]string{"-S", x.socket}, args...)...)
	c.Env = []string{"PATH=" + os.Getenv("PATH"), "TMUX=", "HOME=" + x.home, "TERM=xterm-256color"}
	out, err := c.CombinedOutput()
	return string(out), err
}

// keys sends literal text (each rune a key press).
func (x *tmux) keys(text string) {
	x.t.Helper()
	if out, err := x.cmd("send-keys", "-t", x.session, "-l", text); err != nil {
		x.t.Fatalf("send-keys %q: %v\n%s", text, err, out)
	}
}

// screen is the pane's visible text now.
func (x *tmux) screen() string {
	out, err := x.cmd("capture-pane", "-p", "-t", x.session)
	if err != nil {
		return "(capture-pane failed: " + err.Error() + ": " + out + ")"
	}
	return out
}

// dead reports whether the pane's process has exited, and its status.
func (x *tmux) dead() (bool, string) {
	out, err := x.cmd("display-message", "-p", "-t", x.session, "#{pane_dead} #{pane_dead_status} #{pane_dead_signal}")
	if err != nil {
		return true, "session gone"
	}
	f := strings.Fields(out)
	if len(f) >= 1 && f[0] == "1" {
		switch {
		case len(f) > 2 && f[2] != "0":
			return true, "signal " + f[2]
		case len(f) > 1:
			return true, f[1]
		}
		return true, ""
	}
	return false, ""
}

// waitFor polls the screen until it holds text or timeout passes; then it
// fails the test with the screen dumped.
func waitFor(t *testing.T, x *tmux, text string, timeout time.Duration) string {
	t.Helper()
	return waitUntil(t, x, fmt.Sprintf("%q on screen", text), timeout, func(s string) bool { return strings.Contains(s, text) })
}

// waitUntil polls the screen until ok(screen) holds; on timeout (or when the
// process exits first) it fails with the last screen.
func waitUntil(t *testing.T, x *tmux, what string, timeout time.Duration, ok func(string) bool) string {
	t.Helper()
	s, found := poll(x, timeout, ok)
	if !found {
		dead, status := x.dead()
		t.Fatalf("waited %v for %s; process exited: %v %s; screen:\n%s", timeout, what, dead, status, frame(s))
	}
	return s
}

// poll is waitUntil without failing: it reports whether ok held in time.
func poll(x *tmux, timeout time.Duration, ok func(string) bool) (string, bool) {
	deadline := time.Now().Add(timeout)
	for {
		s := x.screen()
		if ok(s) {
			return s, true
		}
		if time.Now().After(deadline) {
			return s, false
		}
		if dead, _ := x.dead(); dead {
			return x.screen(), ok(x.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// frame draws a screen dump with a border so blank lines show.
func frame(s string) string {
	var b strings.Builder
	b.WriteString("+" + strings.Repeat("-", 80) + "\n")
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("|" + l + "\n")
	}
	b.WriteString("+" + strings.Repeat("-", 80))
	return b.String()
}

// zombieStatus reads the exit status of the pane's process from
// /proc/PID/stat (field 52, exit_code) when it has exited but tmux has not
// reaped it yet: "0", "2", or "signal N".
func (x *tmux) zombieStatus() (string, bool) {
	out, err := x.cmd("display-message", "-p", "-t", x.session, "#{pane_pid}")
	pid := strings.TrimSpace(out)
	if err != nil || pid == "" {
		return "", false
	}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", false
	}
	// Fields after the command name in parentheses start at field 3.
	rest := string(stat)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 50 || f[0] != "Z" {
		return "", false
	}
	code, err := strconv.Atoi(f[49])
	if err != nil {
		return "", false
	}
	if sig := code & 0x7f; sig != 0 {
		return "signal " + strconv.Itoa(sig), true
	}
	return strconv.Itoa(code >> 8), true
}

// paneProcess says whether the pane's process is still alive and in what
// state (from /proc), to tell a headshot that hangs after closing its
// terminal from a tmux that has not reaped an exited process.
func (x *tmux) paneProcess() string {
	out, err := x.cmd("display-message", "-p", "-t", x.session, "#{pane_pid}")
	pid := strings.TrimSpace(out)
	if err != nil || pid == "" {
		return "pane pid unknown"
	}
	st, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return "pid " + pid + " is gone"
	}
	var state, ppid string
	for _, l := range strings.Split(string(st), "\n") {
		switch {
		case strings.HasPrefix(l, "State:"):
			state = strings.Join(strings.Fields(strings.TrimPrefix(l, "State:")), " ")
		case strings.HasPrefix(l, "PPid:"):
			ppid = strings.TrimSpace(strings.TrimPrefix(l, "PPid:"))
		}
	}
	parent, _ := os.ReadFile("/proc/" + ppid + "/cmdline")
	return fmt.Sprintf("pid %s %s, parent %s %q", pid, state, ppid, strings.ReplaceAll(string(parent), "\x00", " "))
}

// waitExit waits for the pane's process to exit and returns its status.
func waitExit(t *testing.T, x *tmux, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		// tmux marks the pane dead when the terminal closes and fills in
		// the exit status once it has reaped the process: wait for both.
		dead, status := x.dead()
		if dead && status != "" {
			return status
		}
		// On a loaded machine tmux may leave the exited process a zombie
		// for a long while before reaping it; the kernel already holds
		// its exit status.
		if status, ok := x.zombieStatus(); dead && ok {
			return status
		}
		time.Sleep(50 * time.Millisecond)
	}
	if dead, status := x.dead(); dead {
		t.Fatalf("process exited but tmux reports no exit status %q within %v (%s); screen:\n%s", status, timeout, x.paneProcess(), frame(x.screen()))
	}
	t.Fatalf("process still running %v after quitting; screen:\n%s", timeout, frame(x.screen()))
	return ""
}
