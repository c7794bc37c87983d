package journal

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"headshot/upload"
)

func openTemp(t *testing.T) (*Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "headshot", "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return j, path
}

func TestOpenCreatesPrivateDirAndFile(t *testing.T) {
	j, path := openTemp(t)
	defer j.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	dst, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", dst.Mode().Perm())
	}
}

func TestPutGetAllByPerson(t *testing.T) {
	j, _ := openTemp(t)
	defer j.Close()
	entries := []Entry{
		{Person: "b@x", Platform: upload.Zoom, Hash: "h1", State: StateUploaded, Bytes: 10},
		{Person: "a@x", Platform: upload.Rhombus, Hash: "h2", State: StateFailed, Class: upload.ClassNotFound, LastError: "no such user"},
		{Person: "a@x", Platform: upload.Zoom, Hash: "h2", State: StateQueued},
	}
	for _, e := range entries {
		if err := j.Put(e); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := j.Get("a@x", upload.Rhombus)
	if err != nil || !ok {
		t.Fatalf("Get: %v %v", ok, err)
	}
	if got.Class != upload.ClassNotFound || got.LastError != "no such user" || got.Updated.IsZero() {
		t.Errorf("Get = %+v", got)
	}
	if _, ok, _ := j.Get("nobody", upload.Zoom); ok {
		t.Error("Get of unknown person found something")
	}
	// Put replaces.
	if err := j.Put(Entry{Person: "a@x", Platform: upload.Zoom, Hash: "h2", State: StateUploaded, Attempts: 2}); err != nil {
		t.Fatal(err)
	}
	all, err := j.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("All has %d entries, want 3", len(all))
	}
	if all[0].Person != "a@x" || all[0].Platform != upload.Rhombus || all[2].Person != "b@x" {
		t.Errorf("All not sorted by person, platform: %+v", all)
	}
	if all[1].State != StateUploaded || all[1].Attempts != 2 {
		t.Errorf("replaced entry = %+v", all[1])
	}
	bp, err := j.ByPerson()
	if err != nil {
		t.Fatal(err)
	}
	if len(bp["a@x"]) != 2 || len(bp["b@x"]) != 1 {
		t.Errorf("ByPerson = %v", bp)
	}
	if err := j.Put(Entry{Platform: upload.Zoom}); err == nil {
		t.Error("Put without a person succeeded")
	}
}

func TestReopenMarksUploadingInterrupted(t *testing.T) {
	j, path := openTemp(t)
	must(t, j.Put(Entry{Person: "p1", Platform: upload.Zoom, State: StateUploading}))
	must(t, j.Put(Entry{Person: "p2", Platform: upload.Zoom, State: StateUploaded}))
	must(t, j.Put(Entry{Person: "p3", Platform: upload.Zoom, State: StateQueued}))
	must(t, j.Close())

	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	want := map[string]State{"p1": StateInterrupted, "p2": StateUploaded, "p3": StateQueued}
	for p, st := range want {
		e, ok, err := j.Get(p, upload.Zoom)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", p, ok, err)
		}
		if e.State != st {
			t.Errorf("%s state %q, want %q", p, e.State, st)
		}
	}
}

func TestSecondOpenFailsClearly(t *testing.T) {
	j, path := openTemp(t)
	defer j.Close()
	_, err := Open(path)
	if err == nil {
		t.Fatal("second Open of a held journal succeeded")
	}
	if !strings.Contains(err.Error(), "in use by another headshot") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not say the journal is in use", err)
	}
}

func TestCorrections(t *testing.T) {
	j, path := openTemp(t)
	c := Correction{Hash: "abc", Path: "/photos/jane.jpg", Crop: image.Rect(10, 20, 110, 120), Person: "jane"}
	must(t, j.SaveCorrection(c))
	if err := j.SaveCorrection(Correction{Hash: "x"}); err == nil {
		t.Error("empty crop accepted")
	}
	if err := j.SaveCorrection(Correction{Crop: image.Rect(0, 0, 1, 1)}); err == nil {
		t.Error("correction without hash accepted")
	}
	must(t, j.Close())
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	got, ok, err := j.Correction("abc")
	if err != nil || !ok {
		t.Fatalf("Correction: %v %v", ok, err)
	}
	if got.Crop != c.Crop || got.Person != "jane" || got.Updated.IsZero() {
		t.Errorf("Correction = %+v", got)
	}
	if _, ok, _ := j.Correction("nope"); ok {
		t.Error("unknown hash found")
	}
}

func TestDefaultPathUsesXDG(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/tmp/xdg-state")
	if got := DefaultPath(); got != "/tmp/xdg-state/headshot/journal.db" {
		t.Errorf("DefaultPath = %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/someone")
	if got := DefaultPath(); got != "/home/someone/.local/state/headshot/journal.db" {
		t.Errorf("DefaultPath = %q", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestApprovals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := j.Approved("abc"); ok || err != nil {
		t.Fatalf("fresh journal: approved %v, %v", ok, err)
	}
	if err := j.Approve(Approval{}); err == nil {
		t.Error("an approval without a hash was accepted")
	}
	if err := j.Approve(Approval{Hash: "abc", Path: "/p/jane.jpg", Person: "jane", Reasons: []string{"no face found"}}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	a, ok, err := j.Approved("abc")
	if err != nil || !ok || a.Person != "jane" || len(a.Reasons) != 1 || a.Updated.IsZero() {
		t.Errorf("after reopening: %+v %v %v", a, ok, err)
	}
	if _, ok, _ := j.Approved("other"); ok {
		t.Error("another photo reads as approved")
	}
}
