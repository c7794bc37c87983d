//go:build linux

package graphics

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the master is the terminal's
// side (it reads what the program writes and answers), the slave the
// program's tty.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skip("no /dev/ptmx:", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skip("unlockpt:", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skip("ptsname:", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("open slave:", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// readAll collects what the program wrote until the queries' last
// byte has come.
func readQueries(master *os.File) chan string {
	got := make(chan string, 1)
	go func() {
		var b []byte
		buf := make([]byte, 512)
		for !strings.Contains(string(b), "\r\x1b[K") {
			n, err := master.Read(buf)
			if err != nil {
				break
			}
			b = append(b, buf[:n]...)
		}
		got <- string(b)
	}()
	return got
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// A terminal that answers nothing costs the timeout once; the queries are
// followed by a carriage return and erase-line, so nothing it may have
// printed stays on screen.
func TestDetectSilentTerminal(t *testing.T) {
	master, slave := openPTY(t)
	got := readQueries(master)
	start := time.Now()
	c, err := Detect(slave, slave, 300*time.Millisecond, envOf(map[string]string{"TERM": "xterm"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Answered || c.Kitty || c.Sixel {
		t.Fatalf("caps from silence: %+v", c)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("returned after %v, before the timeout", d)
	}
	q := <-got
	if !strings.HasPrefix(q, queryKitty) || !strings.HasSuffix(q, queryDA1+"\r\x1b[K") {
		t.Fatalf("queries %q", q)
	}
}

// An xterm VT340's answers give sixel with its registers and version; the
// answers are read in raw mode, so none is echoed back to the screen.
func TestDetectAnsweringTerminal(t *testing.T) {
	master, slave := openPTY(t)
	got := readQueries(master)
	go func() {
		<-got
		master.WriteString("\x1bP>|XTerm(379)\x1b\\\x1b[?1;0;256S\x1b[6;17;8t\x1b[?63;1;2;4;6;9;15;16;22;28c")
	}()
	c, err := Detect(slave, slave, 5*time.Second, envOf(map[string]string{"TERM": "xterm"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Answered || !c.Sixel || c.SixelColors != 256 || c.Version != "XTerm(379)" || c.CellW != 8 || c.CellH != 17 {
		t.Fatalf("caps %+v", c)
	}
	// Nothing echoed: the master has nothing more to read.
	if pending(master) {
		t.Fatal("answers echoed to the screen")
	}
}

// TERM=dumb and the Linux console are not asked (the console would
// print the kitty query).
func TestDetectAsksNothingOfTheConsole(t *testing.T) {
	master, slave := openPTY(t)
	for _, term := range []string{"dumb", "linux"} {
		if _, err := Detect(slave, slave, time.Second, envOf(map[string]string{"TERM": term})); err != nil {
			t.Fatal(err)
		}
	}
	if pending(master) {
		t.Fatal("asked the console")
	}
}

// pending reports whether the terminal side has anything to read within
// 200ms.
func pending(master *os.File) bool {
	fds := []unix.PollFd{{Fd: int32(master.Fd()), Events: unix.POLLIN}}
	n, _ := unix.Poll(fds, 200)
	return n > 0
}
