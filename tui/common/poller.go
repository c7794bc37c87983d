package common

import (
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Poller is the tick loop of a component that polls (the upload panes and
// the failures view read the engine's Snapshot/Items on every tick). The
// root broadcasts every message to every component, so a tick carries its
// poller's identity and loop generation: a component acts only on its own
// current tick, never on another's or on one from a loop it restarted.
type Poller struct {
	interval time.Duration
	owner    int64
	gen      int
	running  bool
}

// PollMsg is one Poller tick.
type PollMsg struct {
	owner int64
	gen   int
}

var pollerIDs atomic.Int64

// NewPoller makes a poller that ticks every interval once started.
func NewPoller(interval time.Duration) *Poller {
	return &Poller{interval: interval, owner: pollerIDs.Add(1)}
}

// Start begins the loop and returns its first tick; nil when it already runs.
func (p *Poller) Start() tea.Cmd {
	if p.running {
		return nil
	}
	p.running = true
	p.gen++
	return p.Next()
}

// Due reports whether msg is this poller's current tick. On true the
// component refreshes and returns Next to keep the loop going.
func (p *Poller) Due(msg PollMsg) bool {
	return p.running && msg.owner == p.owner && msg.gen == p.gen
}

// Next schedules the loop's next tick.
func (p *Poller) Next() tea.Cmd {
	msg := p.Current()
	return tea.Tick(p.interval, func(time.Time) tea.Msg { return msg })
}

// Current is the tick the running loop waits for (tests send it directly).
func (p *Poller) Current() PollMsg { return PollMsg{owner: p.owner, gen: p.gen} }

// Stale is a tick of the loop before the current one (tests).
func (p *Poller) Stale() PollMsg { return PollMsg{owner: p.owner, gen: p.gen - 1} }
