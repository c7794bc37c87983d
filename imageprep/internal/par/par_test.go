package par

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// For covers every index exactly once, whether or not a helper runs.
func TestForCoversEachIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 7, 64, 1001} {
			for _, chunk := range []int{0, 1, 3, 64, 2000} {
				hits := make([]atomic.Int32, n)
				For(n, chunk, func(w, lo, hi int) {
					if w != 0 && w != 1 {
						t.Errorf("worker %d", w)
					}
					for i := lo; i < hi; i++ {
						hits[i].Add(1)
					}
				})
				for i := range hits {
					if h := hits[i].Load(); h != 1 {
						t.Fatalf("procs %d n %d chunk %d: index %d run %d times", procs, n, chunk, i, h)
					}
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
	if b := Busy(); b != 0 {
		t.Fatalf("Busy() = %d after every For returned, want 0", b)
	}
}

// With every slot taken by photos in progress, For runs on the caller
// alone; a slot freed lets a helper take chunks.
func TestForHelpsOnlyWithAFreeSlot(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	a, b := Enter(), Enter()
	helped := false
	For(1000, 1, func(w, lo, hi int) {
		if w != 0 {
			helped = true
		}
	})
	if helped {
		t.Fatal("a helper ran while two photos held both slots")
	}
	b()
	b() // leave is idempotent
	if got := Busy(); got != 1 {
		t.Fatalf("Busy() = %d after one leave (twice), want 1", got)
	}
	var helper atomic.Bool
	release := make(chan struct{})
	For(2, 1, func(w, lo, hi int) {
		// Chunk 0 waits until the other worker has taken chunk 1, so
		// both run only if a helper exists.
		if lo == 0 {
			<-release
			return
		}
		helper.Store(w == 1)
		close(release)
	})
	if !helper.Load() {
		t.Fatal("no helper took a chunk with a slot free")
	}
	a()
	SetEnabled(false)
	helped = false
	For(1000, 1, func(w, lo, hi int) {
		if w != 0 {
			helped = true
		}
	})
	SetEnabled(true)
	if helped {
		t.Fatal("a helper ran with helpers disabled")
	}
}

// A panic in the helper reaches the caller's goroutine.
func TestForPanicReachesCaller(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want boom", r)
		}
		if b := Busy(); b != 0 {
			t.Fatalf("Busy() = %d after the panic, want 0", b)
		}
	}()
	release := make(chan struct{})
	For(2, 1, func(w, lo, hi int) {
		if lo == 0 {
			<-release
			return
		}
		close(release)
		if w == 1 {
			panic("boom")
		}
		panic("boom")
	})
	t.Fatal("For returned after a panic")
}

// Do runs both functions.
func TestDoRunsBoth(t *testing.T) {
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		var a, b atomic.Int32
		Do(func() { a.Add(1) }, func() { b.Add(1) })
		runtime.GOMAXPROCS(old)
		if a.Load() != 1 || b.Load() != 1 {
			t.Fatalf("procs %d: a ran %d, b ran %d times", procs, a.Load(), b.Load())
		}
	}
}
