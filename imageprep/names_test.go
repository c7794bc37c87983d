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

// A photo found by content under another extension goes by its name
// without that extension, as one named .jpg does; what belongs to the name
// (an address's domain, a dotted user name) stays.
func TestStemDropsAnyFileExtension(t *testing.T) {
	for in, want := range map[string]string{
		"/x/kofi.mensah@x.com.dat":         "kofi.mensah@x.com",
		"kofi.mensah@example.com.bin":      "kofi.mensah@example.com",
		"ana@uni.ac.uk.download":           "ana@uni.ac.uk",
		"ana@x.com.au":                     "ana@x.com.au",
		"ana@uni.ac.uk":                    "ana@uni.ac.uk",
		"sam@mail.company.travel":          "sam@mail.company.travel",
		"sam@x.io.photo":                   "sam@x.io",
		"jane.doe.dat":                     "jane.doe",
		"jane.doe":                         "jane.doe",
		"lukas.berg@example.com":           "lukas.berg@example.com",
		"lukas.berg@example.com.JPG_large": "lukas.berg@example.com",
		".hidden":                          ".hidden",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}
