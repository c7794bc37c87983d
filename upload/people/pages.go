package people

// Pages guards a Lister against a server whose pages never end: one that
// answers the same page again (it ignores the offset or the page token) or
// whose next link loops back to pages already read. Without it such a list
// is read until MaxListed users are held: 60,000 requests at 5 a page.
// The zero value is not usable: NewPages.
type Pages struct {
	limit int // pages MaxListed users fill, and one more
	read  int
	seen  map[string]struct{}
}

// NewPages is the guard for a list read pageSize users at a time.
func NewPages(pageSize int) *Pages {
	return &Pages{limit: MaxListed/max(pageSize, 1) + 1, seen: map[string]struct{}{}}
}

// Endless records one page's user ids and reports whether the list must be
// read no further: the page holds users and every one of them was on an
// earlier page (the same page again, or a loop), or more pages were read
// than MaxListed users fill. An empty page is the caller's end of list.
func (p *Pages) Endless(ids []string) bool {
	p.read++
	fresh := false
	for _, id := range ids {
		if _, ok := p.seen[id]; !ok {
			p.seen[id] = struct{}{}
			fresh = true
		}
	}
	return (len(ids) > 0 && !fresh) || p.read > p.limit
}
