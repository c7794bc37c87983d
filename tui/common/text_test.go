package common

import "testing"

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"More than 6 requests per minute", 20, "More than 6 request…"},
		{"日本語のファイル", 7, "日本語…"}, // wide characters count two cells
		{"\x1b[1mbold text\x1b[0m", 6, "\x1b[1mbold …\x1b[0m"},
		{"no size yet", 0, "no size yet"},
	} {
		if got := Truncate(c.s, c.w); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
	if got := TruncateLeft("/home/tech/photos/new-starters/config.toml", 20); got != "…tarters/config.toml" {
		t.Errorf("TruncateLeft = %q", got)
	}
	if got := TruncateLeft("/a/b.toml", 20); got != "/a/b.toml" {
		t.Errorf("TruncateLeft short = %q", got)
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 photos", 1: "1 photo", 7: "7 photos"} {
		if got := Plural(n, "photo"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Plural(2, "class"); got != "2 classes" {
		t.Errorf("got %q", got)
	}
}

func TestScroll(t *testing.T) {
	var s Scroll
	if s.Move(-1, 10, 3) {
		t.Fatal("moved above the first row")
	}
	for i := 0; i < 5; i++ {
		s.Move(1, 10, 3)
	}
	if s.Cursor != 5 || s.Offset != 3 {
		t.Fatalf("after 5 downs: %+v, want cursor 5 offset 3", s)
	}
	if from, to := s.Shown(10, 3); from != 3 || to != 6 {
		t.Fatalf("shown %d..%d", from, to)
	}
	s.Move(100, 10, 3)
	if s.Cursor != 9 || s.Offset != 7 {
		t.Fatalf("at the end: %+v", s)
	}
	s.Move(-4, 10, 3)
	if s.Cursor != 5 || s.Offset != 5 {
		t.Fatalf("back up: %+v", s)
	}
	// The pane grows: no empty rows below the end.
	s.Follow(10, 8)
	if s.Offset != 2 {
		t.Fatalf("taller pane: %+v", s)
	}
	var empty Scroll
	if empty.Move(1, 0, 3) || empty.Cursor != 0 {
		t.Fatalf("empty list: %+v", empty)
	}
}
