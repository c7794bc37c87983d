package preview

import (
	"fmt"
	"image"
	"sync"

	"headshot/imageprep"
	"headshot/tui/graphics"
)

// cacheKey identifies a prepared preview: the file as it is on disk and
// the options it was prepared with.
type cacheKey struct {
	path  string
	mtime int64
	size  int64
	opts  string
}

func keyFor(path string, mtime, size int64, side int, o imageprep.Options) cacheKey {
	manual := ""
	if o.Manual != nil {
		manual = fmt.Sprint(*o.Manual)
	}
	return cacheKey{path: path, mtime: mtime, size: size,
		opts: fmt.Sprintf("%s|%s|%s|%d|%d", o.Crop, manual, o.Profile.Key(), o.MaxPixels, side)}
}

// cache is a small bounded LRU of prepared previews, shared by the
// commands that fill it (so it has its own lock).
type cache struct {
	mu    sync.Mutex
	max   int
	m     map[cacheKey]*imageprep.Preview
	order []cacheKey // oldest first
}

func newCache(max int) *cache {
	return &cache{max: max, m: map[cacheKey]*imageprep.Preview{}}
}

func (c *cache) get(k cacheKey) (*imageprep.Preview, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[k]
	if ok {
		c.touch(k)
	}
	return p, ok
}

func (c *cache) put(k cacheKey, p *imageprep.Preview) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		c.m[k] = p
		c.touch(k)
		return
	}
	c.m[k] = p
	c.order = append(c.order, k)
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *cache) touch(k cacheKey) {
	for i, o := range c.order {
		if o == k {
			copy(c.order[i:], c.order[i+1:])
			c.order[len(c.order)-1] = k
			return
		}
	}
}

// dropPath forgets every preview of path.
func (c *cache) dropPath(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := c.order[:0]
	for _, k := range c.order {
		if k.path == path {
			delete(c.m, k)
			continue
		}
		keep = append(keep, k)
	}
	c.order = keep
}

// cropInPreview maps a crop in oriented source coordinates to the preview
// image's pixel grid.
func cropInPreview(crop image.Rectangle, scale float64) image.Rectangle {
	if scale <= 0 {
		scale = 1
	}
	f := func(v int) int { return int(float64(v)/scale + 0.5) }
	return image.Rect(f(crop.Min.X), f(crop.Min.Y), f(crop.Max.X), f(crop.Max.Y))
}

// renderKey is one prepared preview drawn for one cell budget in one
// protocol.
type renderKey struct {
	prev       *imageprep.Preview
	cols, rows int
	proto      graphics.Protocol
}

// renderCache keeps the last drawings (encoded images included) so that
// coming back to a photo neither encodes it again nor, for kitty, sends
// it again: the same Image is already in the terminal.
type renderCache struct {
	mu    sync.Mutex
	max   int
	m     map[renderKey]*rendered
	order []renderKey
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, m: map[renderKey]*rendered{}}
}

// draw returns the cached drawing for k or makes it with draw.
func (c *renderCache) draw(k renderKey, draw func() *rendered) *rendered {
	c.mu.Lock()
	r, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return r
	}
	r = draw()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		c.order = append(c.order, k)
	}
	c.m[k] = r
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	return r
}
