package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sync"
	"time"

	"headshot/imageprep"
	"headshot/upload"
)

// prepCache makes each (photo, profile, crop) prepared once, however many
// platforms want it, and forgets the result once every item holding a
// reference has taken it.
type prepCache struct {
	prepare PrepareFunc

	mu     sync.Mutex
	calls  map[string]*prepCall
	hashes map[string]hashEntry
}

type prepCall struct {
	refs int
	done chan struct{}
	res  *imageprep.Result
	err  error
	ran  bool
}

type hashEntry struct {
	size int64
	mod  time.Time
	hash string
}

func newPrepCache(f PrepareFunc) *prepCache {
	return &prepCache{prepare: f, calls: make(map[string]*prepCall), hashes: make(map[string]hashEntry)}
}

// hold registers that it will want the result under key.
func (c *prepCache) hold(it *item, key string) {
	if it.prepKey != "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	call := c.calls[key]
	if call == nil {
		call = &prepCall{done: make(chan struct{})}
		c.calls[key] = call
	}
	call.refs++
	it.prepKey = key
}

// release drops it's reference (after it took the result or was dropped).
func (c *prepCache) release(it *item) {
	if it.prepKey == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if call := c.calls[it.prepKey]; call != nil {
		call.refs--
		if call.refs <= 0 {
			delete(c.calls, it.prepKey)
		}
	}
	it.prepKey = ""
}

// get prepares once per key; concurrent callers share the one call. A
// canceled call is not cached, so the next caller tries again.
func (c *prepCache) get(ctx context.Context, key, path string, o imageprep.Options) (*imageprep.Result, error) {
	for {
		res, err := c.getOnce(ctx, key, path, o)
		if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
			continue // another caller's run was canceled, not ours: run it again
		}
		return res, err
	}
}

func (c *prepCache) getOnce(ctx context.Context, key, path string, o imageprep.Options) (*imageprep.Result, error) {
	c.mu.Lock()
	call := c.calls[key]
	if call == nil {
		call = &prepCall{done: make(chan struct{}), refs: 0}
		c.calls[key] = call
	}
	if call.ran {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.res, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call.ran = true
	c.mu.Unlock()

	res, err := c.prepare(ctx, path, o)
	if err != nil && ctx.Err() != nil {
		// Canceled: let a later caller run it again.
		c.mu.Lock()
		fresh := &prepCall{done: make(chan struct{}), refs: call.refs}
		c.calls[key] = fresh
		c.mu.Unlock()
		call.err = ctx.Err()
		close(call.done)
		return nil, ctx.Err()
	}
	call.res, call.err = res, err
	close(call.done)
	return res, err
}

// sourceHash is the hex SHA-256 of the file (cached by path, size and
// modification time).
func (c *prepCache) sourceHash(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	c.mu.Lock()
	h, ok := c.hashes[path]
	c.mu.Unlock()
	if ok && h.size == st.Size() && h.mod.Equal(st.ModTime()) {
		return h.hash, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	hash := hex.EncodeToString(sum.Sum(nil))
	c.mu.Lock()
	c.hashes[path] = hashEntry{size: st.Size(), mod: st.ModTime(), hash: hash}
	c.mu.Unlock()
	return hash, nil
}

// prepOptions are the options a job's photo is prepared with for a
// platform with limits lim, and the profile string the journal compares
// (a changed crop or budget counts as a changed photo). The crop is the
// job's, else the one saved in the journal for this content, else auto.
func prepOptions(cfg Config, lim upload.Limits, j Job, hash string) (imageprep.Options, string) {
	o := cfg.Prep
	o.Profile.MaxBytes = lim.MaxBytes
	if o.Profile.Format == imageprep.PNG && len(lim.MIMETypes) > 0 && !lim.Accepts("image/png") {
		// A PNG profile for a platform that takes only JPEG (Microsoft 365).
		o.Profile.Format = imageprep.JPEG
	}
	if j.Crop != nil {
		o.Manual = rectPtr(*j.Crop)
	} else if cfg.Journal != nil {
		if c, ok, err := cfg.Journal.Correction(hash); err == nil && ok {
			o.Manual = rectPtr(c.Crop)
		}
	}
	return o, o.Profile.Key() + "|" + cropKey(o)
}

// cropKey names the crop choice in profile strings and cache keys.
func cropKey(o imageprep.Options) string {
	if o.Manual != nil {
		return "manual" + o.Manual.String()
	}
	m := o.Crop
	if m == "" {
		m = imageprep.MethodFace
	}
	return "auto-" + string(m)
}

// mimeOf is the media type of a prepared result.
func mimeOf(f imageprep.Format) string {
	if f == imageprep.PNG {
		return "image/png"
	}
	return "image/jpeg"
}

// rectPtr copies r.
func rectPtr(r image.Rectangle) *image.Rectangle { return &r }
