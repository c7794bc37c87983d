package browse

import (
	"sort"
	"strings"
	"unicode"
)

// The filter ranks names the way a technician reads them: a name that
// starts with what was typed, then one with a word that does ("ra" finds
// ravi.patel and priya.raman), then the letters together anywhere
// (amara), then letters spread from the start of a word, within it or
// over the starts of others ("alce" finds alice, "jd" jane.doe). Letters picked from anywhere ("ra" in "chloe.martin@example",
// r from martin and a from the middle of example) are not a match: with
// every name sharing "@example.com", that matched half the folder.

// Match tiers, best first.
const (
	tierPrefix    = iota // the name starts with the term
	tierWordStart        // a word of the name starts with the term
	tierContained        // the term appears whole inside a word
	tierWords            // the term's letters in order, from a word's start, jumping only to another word's start
	tierNone
)

// matcher holds one name being matched (lower case, and where its words
// start) and scratch space reused from name to name: a 10,000-file folder
// is filtered on every key typed.
type matcher struct {
	name       []rune
	starts     []bool
	word       []int
	from, next []int
}

// load makes n the name being matched.
func (mt *matcher) load(n string) {
	mt.name = mt.name[:0]
	for _, r := range n {
		mt.name = append(mt.name, r)
	}
	mt.starts = wordStarts(mt.name, mt.starts[:0])
	for k, r := range mt.name {
		mt.name[k] = lowerRune(r)
	}
}

// subsequence reports whether term's letters appear in n in order at all,
// ignoring case: cheap, and most names fail it, so they are never loaded.
func subsequence(n string, term []rune) bool {
	j := 0
	for _, r := range n {
		if j == len(term) {
			break
		}
		if r == term[j] || lowerRune(r) == term[j] {
			j++
		}
	}
	return j == len(term)
}

func lowerRune(r rune) rune {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// tier is how well term (lower case, no spaces) matches the loaded name,
// and where the match starts (earlier is better within a tier).
func (mt *matcher) tier(term []rune) (tier, at int) {
	name, starts := mt.name, mt.starts
	if len(term) == 0 {
		return tierPrefix, 0
	}
	best, bestAt := tierNone, 0
	for i := 0; i+len(term) <= len(name); i++ {
		if !hasAt(name, term, i) {
			continue
		}
		t := tierContained
		switch {
		case i == 0:
			t = tierPrefix
		case starts[i]:
			t = tierWordStart
		}
		if t < best {
			best, bestAt = t, i
		}
		if t == tierPrefix {
			break
		}
	}
	if best != tierNone {
		return best, bestAt
	}
	if at := mt.spread(term); at >= 0 {
		return tierWords, at
	}
	return tierNone, 0
}

func hasAt(name, term []rune, i int) bool {
	for j, r := range term {
		if name[i+j] != r {
			return false
		}
	}
	return true
}

// spread finds term in name letter by letter: the first at the start of a
// word, each next one in the same word as the one before ("alce" in
// alice), right after it, or at the start of a later word ("jd" in
// jane.doe). It returns where the earliest such match starts, or -1, in
// len(term)*len(name) steps whatever the name (a hostile 255 "a."s too).
func (mt *matcher) spread(term []rune) int {
	name, starts := mt.name, mt.starts
	mt.word = grow(mt.word, len(name))
	mt.from = grow(mt.from, len(name))
	mt.next = grow(mt.next, len(name))
	word, from, next := mt.word, mt.from, mt.next // word: which word a rune is in; -1 between words
	w := -1
	for k, r := range name {
		switch {
		case starts[k]:
			w++
			word[k] = w
		case isWordRune(r) && w >= 0:
			word[k] = w
		default:
			word[k] = -1
		}
	}
	// from[k] is where the earliest match of term[:j] ending at k starts
	// (-1: none ends there).
	for k := range name {
		from[k] = -1
		if starts[k] && name[k] == term[0] {
			from[k] = k
		}
	}
	earlier := func(a, b int) int {
		if a < 0 || (b >= 0 && b < a) {
			return b
		}
		return a
	}
	for j := 1; j < len(term); j++ {
		before, inWord := -1, -1 // earliest start of a match ending before k: anywhere, in k's word
		for k := range name {
			next[k] = -1
			if k > 0 {
				before = earlier(before, from[k-1])
			}
			if starts[k] || word[k] < 0 {
				inWord = -1
			} else if k > 0 {
				inWord = earlier(inWord, from[k-1])
			}
			if name[k] != term[j] {
				continue
			}
			if k > 0 {
				next[k] = from[k-1] // right after the letter before
			}
			if starts[k] {
				next[k] = earlier(next[k], before)
			} else {
				next[k] = earlier(next[k], inWord)
			}
		}
		from, next = next, from
	}
	best := -1
	for _, f := range from {
		best = earlier(best, f)
	}
	return best
}

// wordStarts marks where words start in name: the first letter, a letter
// or digit after anything else (".", "_", "-", "@", " "), an upper-case
// letter after a lower-case one, a digit after a letter and a letter after
// a digit.
// It appends to starts.
func wordStarts(name []rune, starts []bool) []bool {
	for i, r := range name {
		starts = append(starts, false)
		if !isWordRune(r) {
			continue
		}
		if i == 0 {
			starts[i] = true
			continue
		}
		p := name[i-1]
		starts[i] = !isWordRune(p) ||
			unicode.IsUpper(r) && unicode.IsLower(p) ||
			unicode.IsDigit(r) != unicode.IsDigit(p)
	}
	return starts
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// grow returns s with length n, reusing its array when it is big enough.
func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

// filterNames returns the indices of names matching pattern, best first;
// names of the same tier keep their order (the folder's). Words typed with
// spaces between must all match ("kofi men"); case is ignored.
func filterNames(pattern string, names []string) []int {
	var terms [][]rune
	for _, f := range strings.Fields(pattern) {
		term := []rune(f)
		for k, r := range term {
			term[k] = lowerRune(r)
		}
		terms = append(terms, term)
	}
	type hit struct{ idx, tier, at int }
	var hits []hit
	var mt matcher
next:
	for i, n := range names {
		for _, term := range terms {
			if !subsequence(n, term) {
				continue next
			}
		}
		mt.load(n)
		sum, first, ok := 0, 0, true
		for j, term := range terms {
			t, at := mt.tier(term)
			if t == tierNone {
				ok = false
				break
			}
			sum += t
			if j == 0 {
				first = at
			}
		}
		if ok {
			hits = append(hits, hit{i, sum, first})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool {
		if hits[a].tier != hits[b].tier {
			return hits[a].tier < hits[b].tier
		}
		return hits[a].at < hits[b].at
	})
	out := make([]int, len(hits))
	for i, h := range hits {
		out[i] = h.idx
	}
	return out
}
