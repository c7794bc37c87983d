package imageprep

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// lru is a least-recently-used cache bounded by entry count and by bytes
// (each entry's size is given when it is added). It is safe for
// concurrent use.
type lru[V any] struct {
	mu       sync.Mutex
	maxCount int
	maxBytes int64
	bytes    int64
	order    *list.List // front = most recent
	items    map[string]*list.Element
}

type lruEntry[V any] struct {
	key  string
	val  V
	size int64
}

func newLRU[V any](maxCount int, maxBytes int64) *lru[V] {
	return &lru[V]{maxCount: maxCount, maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[V]).val, true
	}
	var zero V
	return zero, false
}

// add stores val; an entry larger than the whole byte budget is not kept.
func (c *lru[V]) add(key string, val V, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.maxCount <= 0 || (c.maxBytes > 0 && size > c.maxBytes) {
		return
	}
	if e, ok := c.items[key]; ok {
		old := e.Value.(*lruEntry[V])
		c.bytes += size - old.size
		old.val, old.size = val, size
		c.order.MoveToFront(e)
	} else {
		c.items[key] = c.order.PushFront(&lruEntry[V]{key: key, val: val, size: size})
		c.bytes += size
	}
	for c.order.Len() > c.maxCount || (c.maxBytes > 0 && c.bytes > c.maxBytes) {
		e := c.order.Back()
		ent := e.Value.(*lruEntry[V])
		c.order.Remove(e)
		delete(c.items, ent.key)
		c.bytes -= ent.size
	}
}

func (c *lru[V]) len() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}

// flight makes identical concurrent computations share one run
// (singleflight): the first caller computes, the others wait for its
// answer or their own context.
type flight[V any] struct {
	mu    sync.Mutex
	calls map[string]*flightCall[V]
}

type flightCall[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// do runs fn once per key at a time. A waiter whose leader was cancelled
// (while the waiter was not) runs the computation itself.
func (f *flight[V]) do(ctx context.Context, key string, fn func() (V, error)) (V, error) {
	for {
		f.mu.Lock()
		if f.calls == nil {
			f.calls = map[string]*flightCall[V]{}
		}
		if c, ok := f.calls[key]; ok {
			f.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				var zero V
				return zero, ctx.Err()
			}
			if c.err != nil && isCtxErr(c.err) && ctx.Err() == nil {
				continue // the leader gave up; try again ourselves
			}
			return c.val, c.err
		}
		c := &flightCall[V]{done: make(chan struct{})}
		f.calls[key] = c
		f.mu.Unlock()
		func() {
			defer func() {
				f.mu.Lock()
				delete(f.calls, key)
				f.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = fn()
		}()
		return c.val, c.err
	}
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
