package common

import "testing"

func TestPollerActsOnlyOnItsOwnCurrentTick(t *testing.T) {
	a, b := NewPoller(1), NewPoller(1)
	if a.Due(a.Current()) {
		t.Fatal("due before it started")
	}
	if a.Start() == nil || a.Start() != nil {
		t.Fatal("Start: first returns a tick, second nothing")
	}
	b.Start()
	if !a.Due(a.Current()) || a.Due(a.Stale()) || a.Due(b.Current()) || b.Due(a.Current()) {
		t.Fatal("a tick was taken by the wrong poller or loop")
	}
}
