package browse

import (
	"reflect"
	"strings"
	"testing"
)

// The demo's fourteen names, in folder order.
var demoNames = []string{
	"amara.okafor@example.com.jpg", "chloe.martin@example.com.jpg", "diego.santos@example.com.jpg",
	"ines.costa@example.com.jpg", "jane.doe@example.com.jpg", "kofi.mensah@example.com.jpg",
	"lukas.berg@example.com.png", "mei.tanaka@example.com.jpg", "new.starter@example.com.jpg",
	"omar.haddad@example.com.jpg", "priya.raman@example.com.jpg", "ravi.patel@example.com.jpg",
	"sofia.rossi@example.com.jpg", "tom.wright@example.com.heic",
}

func filtered(pattern string, names []string) []string {
	var out []string
	for _, i := range filterNames(pattern, names) {
		out = append(out, names[i])
	}
	return out
}

func TestFilterRanksWordStartsAndDropsScatteredLetters(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string
	}{
		// "ra" used to match 7 of them (chloe.martin: r from martin, a from
		// example). Now: the name that starts with it, the word that
		// does, then the letters together inside a word.
		{"ra", []string{"ravi.patel@example.com.jpg", "priya.raman@example.com.jpg", "amara.okafor@example.com.jpg"}},
		{"RA", []string{"ravi.patel@example.com.jpg", "priya.raman@example.com.jpg", "amara.okafor@example.com.jpg"}},
		// Initials: letters at the starts of words.
		{"jd", []string{"jane.doe@example.com.jpg"}},
		{"kmen", []string{"kofi.mensah@example.com.jpg"}},
		// A letter left out inside a word still finds it.
		{"lks", []string{"lukas.berg@example.com.png"}},
		// Words with a space between must all match, in any order.
		{"berg lu", []string{"lukas.berg@example.com.png"}},
		{"png", []string{"lukas.berg@example.com.png"}},
		{"zzq", nil},
		// Not a match: letters picked from the middles of words.
		{"ae", []string{"amara.okafor@example.com.jpg"}},
	} {
		if got := filtered(c.pattern, demoNames); !reflect.DeepEqual(got, c.want) {
			t.Errorf("/%s = %v, want %v", c.pattern, got, c.want)
		}
	}
}

func TestFilterTiers(t *testing.T) {
	names := []string{"x.tomas", "tomas", "atom", "t.o.m", "tom-b", "bottom"}
	// prefix (tomas, tom-b), word start (x.tomas), inside a word (atom,
	// bottom), initials (t.o.m), each tier in folder order.
	want := []string{"tomas", "tom-b", "x.tomas", "atom", "bottom", "t.o.m"}
	if got := filtered("tom", names); !reflect.DeepEqual(got, want) {
		t.Fatalf("tom = %v, want %v", got, want)
	}
	// camelCase and digits start words: "js" starts a word of
	// img2024js; JaneSmith's initials and jars's letters come after.
	if got := filtered("js", []string{"JaneSmith.jpg", "jars.jpg", "img2024js.jpg", "badjs.jpg"}); !reflect.DeepEqual(got, []string{"img2024js.jpg", "badjs.jpg", "JaneSmith.jpg", "jars.jpg"}) {
		t.Fatalf("js = %v", got)
	}
}

// A hostile name cannot make the filter slow: the letter-by-letter match
// is linear in the name per letter typed.
func TestFilterHostileNameIsCheap(t *testing.T) {
	name := strings.Repeat("a.", 127) + "b"
	if got := filtered("aaaaaaaaaaaaaaaaaaab", []string{name}); len(got) != 1 {
		t.Fatalf("got %v", got)
	}
	if got := filtered("aaaaaaaaaaaaaaaaaaac", []string{name}); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}

// In the browser: /ra lists the three names that have it, best first, the
// header says "3 of 14 photos", and a filter nothing matches says "0 of 14
// photos" (not "0 photos", which read as an empty folder).
func TestBrowseFilterCountsOfAll(t *testing.T) {
	dir := t.TempDir()
	for _, n := range demoNames {
		touch(t, dir+"/"+n, "")
	}
	m := newModel(t, dir, nil)
	run(t, m, m.Update(press("/")))
	for _, r := range "ra" {
		run(t, m, m.Update(press(string(r))))
	}
	want := []string{"ravi.patel@example.com.jpg", "priya.raman@example.com.jpg", "amara.okafor@example.com.jpg"}
	if got := m.Visible(); !reflect.DeepEqual(got, want) {
		t.Fatalf("/ra = %v", got)
	}
	if v := m.View(); !strings.Contains(v, "3 of 14 photos") {
		t.Fatalf("header:\n%s", v)
	}
	for _, r := range "zzq" {
		run(t, m, m.Update(press(string(r))))
	}
	v := m.View()
	if !strings.Contains(v, "0 of 14 photos") || strings.Contains(v, " 0 photos") || !strings.Contains(v, "nothing matches the filter") {
		t.Fatalf("no match:\n%s", v)
	}
	run(t, m, m.Update(press("esc")))
	if v := m.View(); !strings.Contains(v, "14 photos") || strings.Contains(v, "of 14") {
		t.Fatalf("cleared:\n%s", v)
	}
}
