// Package par lends an idle core to the work of one photo: the TUI
// prepares one photo at a time for its preview, and a batch's last photo
// runs alone, so a core would otherwise wait. Photos in progress count
// themselves (Enter); loops over rows ask For, which hands chunks to one
// helper goroutine only while photos and helpers together leave a
// GOMAXPROCS slot free. With every worker busy (a batch), nothing is
// split and nothing is spent on coordination.
//
// The split never changes a result: chunks are disjoint ranges whose
// callers compute each element exactly as a single loop would.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// busy counts goroutines doing prep work: photos in progress (Enter) plus
// helpers running.
var busy atomic.Int32

// helped counts chunks run by helpers (HelpedChunks).
var helped atomic.Int64

// HelpedChunks is the number of chunks helpers have run so far in this
// process: tests use it to know the split was exercised.
func HelpedChunks() int64 { return helped.Load() }

// disabled turns helpers off (SetEnabled).
var disabled atomic.Bool

// Enter counts one photo in progress until the returned leave is called.
func Enter() (leave func()) {
	busy.Add(1)
	var once sync.Once
	return func() { once.Do(func() { busy.Add(-1) }) }
}

// SetEnabled turns helpers on (the default) or off for the whole process.
func SetEnabled(on bool) { disabled.Store(!on) }

// Busy is the number of photos in progress plus helpers running.
func Busy() int { return int(busy.Load()) }

// tryHelper takes a slot for a helper if one is free.
func tryHelper() bool {
	if disabled.Load() {
		return false
	}
	limit := int32(runtime.GOMAXPROCS(0))
	for {
		b := busy.Load()
		// The caller itself is running: when it never called Enter (a
		// test, a library user), it still occupies a core.
		if max(b, 1)+1 > limit {
			return false
		}
		if busy.CompareAndSwap(b, b+1) {
			return true
		}
	}
}

// For calls fn over [0, n) in chunks of chunk elements (fn(w, lo, hi), w
// the worker: 0 is the caller, 1 the helper). With a slot free, a helper
// goroutine takes chunks too; the caller never waits for the helper to
// start (it takes every chunk the helper has not), only for a chunk the
// helper has begun. Without a free slot, or with n <= chunk, it is one
// call fn(0, 0, n).
func For(n, chunk int, fn func(w, lo, hi int)) {
	if chunk < 1 {
		chunk = 1
	}
	if n <= chunk || !tryHelper() {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	var next atomic.Int64
	work := func(w int) {
		for {
			lo := int(next.Add(int64(chunk))) - chunk
			if lo >= n {
				return
			}
			fn(w, lo, min(lo+chunk, n))
			if w != 0 {
				helped.Add(1)
			}
		}
	}
	var (
		wg     sync.WaitGroup
		failed any
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer busy.Add(-1)
		defer func() { failed = recover() }()
		work(1)
	}()
	defer func() {
		wg.Wait() // the helper never outlives For, even when fn panics
		if failed != nil {
			panic(failed) // on the caller's goroutine, where its recover sees it
		}
	}()
	work(0)
}

// Do runs a and b, b on a helper goroutine when a slot is free, else one
// after the other on the caller's.
func Do(a, b func()) {
	if !tryHelper() {
		a()
		b()
		return
	}
	done := make(chan struct{})
	var failed any
	go func() {
		defer close(done)
		defer busy.Add(-1)
		defer func() { failed = recover() }()
		b()
	}()
	defer func() {
		<-done // b never outlives Do, even when a panics
		if failed != nil {
			panic(failed)
		}
	}()
	a()
}
