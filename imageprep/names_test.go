package imageprep

import "testing"

func TestStemDropsOnlyAnImageExtension(t *testing.T) {
	for in, want := range map[string]string{
		"/x/jane.doe@example.com.jpg": "jane.doe@example.com",
		"omar.PNG":                    "omar",
		"mei.tanaka@example.com.HEIC": "mei.tanaka@example.com",
		"/x/lukas.berg@example.com":   "lukas.berg@example.com",
		"notes.txt":                   "notes.txt",
		"noext":                       "noext",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
	if !HasImageExt("a.JFIF") || HasImageExt("a.txt") || HasImageExt("jpg") {
		t.Error("HasImageExt")
	}
}
