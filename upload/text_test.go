package upload

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "photo", "0 photos"},
		{1, "photo", "1 photo"},
		{7, "photo", "7 photos"},
		{2, "class", "2 classes"},
		{1, "class", "1 class"},
		{3, "box", "3 boxes"},
		{2, "batch", "2 batches"},
		{-1, "file", "-1 files"},
	} {
		if got := Plural(c.n, c.noun); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
