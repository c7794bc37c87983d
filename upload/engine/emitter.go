package engine

import (
	"sync"
	"time"
)

// emitter delivers events on a buffered channel without ever blocking the
// engine. When the channel is full, non-terminal events are dropped (and
// counted) and terminal ones wait in a side queue that a pump goroutine
// delivers, in order, as the reader catches up.
type emitter struct {
	ch chan Event

	mu      sync.Mutex
	pending []Event // terminal events waiting for room, oldest first
	dropped int
	closed  bool
	kick    chan struct{} // wakes the pump
	stop    chan struct{} // closed by close
	done    chan struct{} // closed when the pump has closed ch
}

func newEmitter(size int) *emitter {
	em := &emitter{
		ch:   make(chan Event, size),
		kick: make(chan struct{}, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go em.pump()
	return em
}

// emit never blocks.
func (em *emitter) emit(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	em.mu.Lock()
	defer em.mu.Unlock()
	if em.closed {
		return
	}
	if len(em.pending) == 0 {
		select {
		case em.ch <- ev:
			return
		default:
		}
	}
	if !ev.Kind.terminal() {
		em.dropped++
		return
	}
	em.pending = append(em.pending, ev)
	select {
	case em.kick <- struct{}{}:
	default:
	}
}

// pump moves pending terminal events into the channel as room appears.
func (em *emitter) pump() {
	defer close(em.done)
	for {
		select {
		case <-em.kick:
			if em.sendPending(em.stop) {
				continue
			}
		case <-em.stop:
		}
		em.flush(2 * time.Second)
		close(em.ch)
		return
	}
}

// sendPending hands pending events to the reader, oldest first, until none
// is left (true) or abort fires (false).
func (em *emitter) sendPending(abort <-chan struct{}) bool {
	for {
		em.mu.Lock()
		if len(em.pending) == 0 {
			em.mu.Unlock()
			return true
		}
		ev := em.pending[0]
		em.mu.Unlock()
		select {
		case em.ch <- ev:
			em.mu.Lock()
			em.pending = em.pending[1:]
			em.mu.Unlock()
		case <-abort:
			return false
		}
	}
}

// flush gives a reader up to grace to take what is still pending; what it
// does not take is counted as dropped.
func (em *emitter) flush(grace time.Duration) {
	expired := make(chan struct{})
	t := time.AfterFunc(grace, func() { close(expired) })
	defer t.Stop()
	if !em.sendPending(expired) {
		em.mu.Lock()
		em.dropped += len(em.pending)
		em.pending = nil
		em.mu.Unlock()
	}
}

// close stops accepting events; the channel is closed once what is pending
// has been delivered (or a short grace period passed).
func (em *emitter) close() {
	em.mu.Lock()
	if em.closed {
		em.mu.Unlock()
		return
	}
	em.closed = true
	em.mu.Unlock()
	close(em.stop)
}

func (em *emitter) droppedCount() int {
	em.mu.Lock()
	defer em.mu.Unlock()
	return em.dropped
}
