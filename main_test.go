package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"headshot/upload/journal"
)

// headshot runs the command line and returns its exit status and output.
func headshot(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// commandPaths lists every runnable command of the tree ("upload",
// "bench prep", ...).
func commandPaths() []string {
	var paths []string
	root := newRoot(&bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.Hidden {
			continue
		}
		paths = append(paths, c.Name())
		for _, sub := range c.Commands() {
			paths = append(paths, c.Name()+" "+sub.Name())
		}
	}
	return paths
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := headshot(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, name := range []string{"browse", "demo", "setup", "doctor", "prep", "upload", "history", "sandbox", "bench", "completion", "man", "version"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("help lacks %q:\n%s", name, out)
		}
	}
}

// Every --help (and -h) prints that command's own help on stdout and
// exits 0; `demo --help` used to print Go's "Usage of setup" and exit 2.
func TestEveryCommandHasItsOwnHelp(t *testing.T) {
	for _, path := range commandPaths() {
		for _, flag := range []string{"--help", "-h"} {
			args := append(strings.Fields(path), flag)
			code, out, errb := headshot(t, args...)
			if code != 0 || errb != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errb)
			}
			if !strings.Contains(out, "Usage:\n  headshot "+path) {
				t.Errorf("%v: not its own help:\n%s", args, out)
			}
		}
	}
	_, out, _ := headshot(t, "sandbox", "--help")
	if !strings.Contains(out, "--rate-scale") || strings.Contains(out, "--journal") {
		t.Errorf("sandbox help shows its flags and no global it ignores:\n%s", out)
	}
	_, out, _ = headshot(t, "help", "upload")
	if !strings.Contains(out, "--dry-run") || !strings.Contains(out, "Global Flags:") || !strings.Contains(out, "--journal") {
		t.Errorf("help upload:\n%s", out)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		if code, out, _ := headshot(t, args...); code != 0 || out != "headshot "+version+"\n" {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	t.Chdir(t.TempDir())
	code, _, errb := headshot(t, "frobnicate")
	if code != 2 || !strings.Contains(errb, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %d %q", code, errb)
	}
	if _, _, errb := headshot(t, "updload"); !strings.Contains(errb, "did you mean upload?") {
		t.Errorf("no suggestion for a typo: %q", errb)
	}
	if code, _, errb := headshot(t, "bench"); code != 2 || !strings.Contains(errb, "prep or upload") {
		t.Errorf("bench alone: %d %q", code, errb)
	}
	if code, _, errb := headshot(t, "bench", "frob"); code != 2 || !strings.Contains(errb, `"frob"`) {
		t.Errorf("bench frob: %d %q", code, errb)
	}
}

// A path that does not exist is "no such folder", whatever it looks like;
// a photo opens its folder (here it gets as far as wanting a terminal).
func TestBrowseArguments(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writePNG(t, "photo.jpg")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"./typo"}, "no such folder: ./typo"},
		{[]string{"missing.jpg"}, "no such folder: missing.jpg"},
		{[]string{"browse", "nosuchdir"}, "no such folder: nosuchdir"},
		{[]string{"nosuchdir"}, `unknown command "nosuchdir" (and no such folder)`},
		{[]string{"./x\x1b[2J"}, "no such folder: ./x"},
		{[]string{"photo.jpg"}, "needs a terminal"},
		{[]string{"browse", "photo.jpg"}, "needs a terminal"},
		{[]string{dir, "--color", "256"}, "needs a terminal"},
		{[]string{dir, dir}, "one folder at a time (got 2)"},
		{[]string{"--color", "rainbow", dir}, `--color "rainbow"`},
		{[]string{dir, "--color=rainbow"}, `--color "rainbow"`},
		{[]string{"demo", "--color", "rainbow"}, `--color "rainbow"`},
		{[]string{"demo", "--graphics", "hologram"}, "hologram"},
		{[]string{dir, "--graphics", "hologram"}, "hologram"},
	} {
		code, _, errb := headshot(t, c.args...)
		if code != 2 || !strings.Contains(errb, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, code, errb, c.want)
		}
		if strings.Contains(errb, "\x1b") {
			t.Errorf("%q: escape sequence in the error", c.args)
		}
	}
}

// Flags work after operands in every command, `--` ends them, and the
// global flags are accepted after the command name and its operands.
func TestInterspersedFlagsAndDoubleDash(t *testing.T) {
	src := t.TempDir()
	p := filepath.Join(src, "jo.png")
	writePNG(t, p)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, errb := headshot(t, "prep", p, "-o", out, "--format", "png", "--crop", "center", "--jobs", "1")
	if code != 0 {
		t.Fatalf("prep with flags after the path: exit %d\n%s%s", code, stdout, errb)
	}
	if _, err := os.Stat(filepath.Join(out, "jo.png")); err != nil {
		t.Fatalf("flags after the path not applied: %v", err)
	}
	// After --, "--odd.png" is a path (missing here), not a flag.
	code, stdout, errb = headshot(t, "prep", "-o", out, "--", "--odd.png")
	if code != 1 || !strings.Contains(stdout+errb, "--odd.png") {
		t.Errorf("prep -- --odd.png: exit %d\n%s%s", code, stdout, errb)
	}
	cfg := filepath.Join(t.TempDir(), "none.toml")
	code, _, errb = headshot(t, "upload", src, "--dry-run", "--config", cfg)
	if code != 2 || !strings.Contains(errb, "no config file at "+cfg) {
		t.Errorf("upload DIR --config: exit %d, %q", code, errb)
	}
}

func TestBadFlagsAreUsageErrors(t *testing.T) {
	for _, path := range commandPaths() {
		args := append(strings.Fields(path), "--bogus")
		code, _, errb := headshot(t, args...)
		if code != 2 || !strings.Contains(errb, "unknown flag: --bogus") || !strings.Contains(errb, "--help` for usage") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sandbox", "--fail-rate", "x"}, `invalid argument "x" for "--fail-rate"`},
		{[]string{"sandbox", "--igloo-login", "v3"}, `--igloo-login "v3": want v1 or v2 or both`},
		{[]string{"sandbox", "--interact-usernames", "upn"}, `--interact-usernames "upn": want local or email`},
		{[]string{"doctor", "--timeout", "soon"}, `"--timeout"`},
		{[]string{"setup", "--journal", "j.db"}, "--journal does not apply to headshot setup"},
		{[]string{"demo", "--config", "c.toml"}, "--config does not apply to headshot demo"},
		{[]string{"setup", "--graphics", "kitty"}, "--graphics does not apply to headshot setup"},
		{[]string{"prep"}, "no PATH given"},
		{[]string{"upload", "-dry-run", "x"}, "-dry-run: long flags take two dashes: --dry-run"},
		{[]string{"sandbox", "-rate-scale=2"}, "-rate-scale=2: long flags take two dashes: --rate-scale=2"},
	} {
		code, _, errb := headshot(t, c.args...)
		if code != 2 || !strings.Contains(errb, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, code, errb, c.want)
		}
	}
}

// An operand is refused (exit 2) instead of ignored: `headshot doctor
// my.toml` checked the default file and called it missing.
func TestCommandsRefuseOperands(t *testing.T) {
	t.Setenv("HEADSHOT_CONFIG", filepath.Join(t.TempDir(), "none.toml"))
	for _, name := range []string{"doctor", "setup", "demo"} {
		code, out, errb := headshot(t, name, "my.toml")
		if code != 2 {
			t.Errorf("%s my.toml: exit %d", name, code)
		}
		want := "headshot " + name + `: unexpected argument "my.toml" (for a config file: headshot ` + name + " --config my.toml)"
		if name == "demo" {
			want = `headshot demo: unexpected argument "my.toml"` + "\n" // demo has no --config
		}
		if !strings.Contains(errb, want) {
			t.Errorf("%s: stderr %q, want %q", name, errb, want)
		}
		if out != "" {
			t.Errorf("%s printed %q", name, out)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_headshot", "zsh": "#compdef headshot", "fish": "complete -c headshot"} {
		code, out, errb := headshot(t, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, stderr %q, script lacks %q", shell, code, errb, want)
		}
	}
	// The shells ask the binary; --color offers its values.
	_, out, _ := headshot(t, "__complete", "--color", "")
	for _, v := range []string{"auto", "none", "256", "truecolor"} {
		if !strings.Contains(out, v+"\n") {
			t.Errorf("--color completion lacks %s:\n%s", v, out)
		}
	}
	_, out, _ = headshot(t, "__complete", "--graphics", "")
	for _, v := range []string{"auto", "kitty", "sixel", "sextants", "none"} {
		if !strings.Contains(out, v+"\n") {
			t.Errorf("--graphics completion lacks %s:\n%s", v, out)
		}
	}
	// --platform offers the registered platforms, after those already given.
	_, out, _ = headshot(t, "__complete", "upload", "--platform", "zoom,")
	if !strings.Contains(out, "zoom,netex\n") || strings.Contains(out, "zoom,zoom\n") {
		t.Errorf("--platform completion:\n%s", out)
	}
	_, out, _ = headshot(t, "__complete", "up")
	if !strings.Contains(out, "upload\t") {
		t.Errorf("command completion:\n%s", out)
	}
}

func TestManPages(t *testing.T) {
	code, out, errb := headshot(t, "man")
	if code != 0 || !strings.Contains(out, `.TH "HEADSHOT" "1"`) || !strings.Contains(out, "headshot-upload(1)") {
		t.Fatalf("man: exit %d, stderr %q\n%s", code, errb, out)
	}
	dir := filepath.Join(t.TempDir(), "man1")
	if code, _, errb := headshot(t, "man", dir); code != 0 {
		t.Fatalf("man DIR: exit %d %s", code, errb)
	}
	for _, page := range commandPaths() {
		if page == "help" {
			continue // cobra's help command has no page of its own
		}
		name := "headshot-" + strings.ReplaceAll(page, " ", "-") + ".1"
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("no page for %s: %v", page, err)
			continue
		}
		if !bytes.Contains(data, []byte(".TH ")) {
			t.Errorf("%s is not roff:\n%s", name, data)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "headshot-upload.1"))
	if !bytes.Contains(data, []byte("--dry-run")) || !bytes.Contains(data, []byte("journal")) {
		t.Errorf("upload's page lacks its flags:\n%s", data)
	}
}

// writePNG writes a plain 160x160 PNG (big enough to be a photo: see
// imageprep.MinCropSide).
func writePNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 160, 160))); err != nil {
		t.Fatal(err)
	}
}

// `prep` uses the crop saved on the Correct screen (in the journal, keyed
// by content hash), as `upload` does; without the journal it crops itself.
func TestPrepUsesCropSavedInJournal(t *testing.T) {
	src := t.TempDir()
	p := filepath.Join(src, "kim.png")
	writePNG(t, p)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	jpath := filepath.Join(t.TempDir(), "journal")
	j, err := journal.Open(jpath)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.SaveCorrection(journal.Correction{Hash: hex.EncodeToString(sum[:]), Path: p, Crop: image.Rect(10, 20, 150, 160), Person: "kim"}); err != nil {
		t.Fatal(err)
	}
	// Held open by a writer, as while the browser runs: prep still reads it.
	defer j.Close()
	out := t.TempDir()
	code, stdout, errb := headshot(t, "prep", "--journal", jpath, "-o", out, "--crop", "center", p)
	if code != 0 || !strings.Contains(stdout, "kim.png  manual 1.00") || errb != "" {
		t.Fatalf("exit %d\n%s%s", code, stdout, errb)
	}
	code, stdout, _ = headshot(t, "prep", "--journal", filepath.Join(t.TempDir(), "none"), "-o", t.TempDir(), "--crop", "center", p)
	if code != 0 || !strings.Contains(stdout, "kim.png  center") {
		t.Errorf("no journal: exit %d\n%s", code, stdout)
	}
}
