package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/tui/preview"
	"headshot/upload/engine"
)

// sendConfirm is the question `u` asks before anything is sent: what
// would go where, what is held for review, what replaces a photo sent
// before and how long the slowest platform needs (engine.MakePlan, the
// same plan `headshot upload` prints first). y/enter sends, n/esc returns.
type sendConfirm struct {
	id     int
	reqs   []common.UploadRequest
	plan   *engine.Plan
	err    error
	cancel context.CancelFunc
	// early is set when y/enter came while the photos were still being
	// checked: the answer is not taken (the plan may hold photos back),
	// and the dialog says so instead of ignoring the key.
	early bool
}

// planReadyMsg carries the plan for the confirmation with id.
type planReadyMsg struct {
	id   int
	plan engine.Plan
	err  error
}

// jobsOf turns the screens' requests into engine jobs.
func jobsOf(reqs []common.UploadRequest) []engine.Job {
	jobs := make([]engine.Job, len(reqs))
	for i, r := range reqs {
		jobs[i] = engine.Job{Path: r.Path, Person: r.Person, People: r.People, Crop: r.Crop,
			Platforms: r.Platforms, Force: r.Force, Approved: r.Approved}
	}
	return jobs
}

// askToSend opens the confirmation and works the plan out off the update
// loop (it prepares every photo: the review gate).
func (m *Model) askToSend(reqs []common.UploadRequest) tea.Cmd {
	if len(reqs) == 0 {
		return common.StatusCmd("nothing selected to upload")
	}
	if len(m.opts.Clients) == 0 {
		// No platforms to plan for: startUpload says why nothing can go.
		return m.startUpload(reqs)
	}
	m.confirmSeq++
	ctx, cancel := context.WithCancel(context.Background())
	c := &sendConfirm{id: m.confirmSeq, reqs: reqs, cancel: cancel}
	m.confirm = c
	cfg := engine.Config{Clients: m.opts.Clients, Preparer: m.opts.preparer(), Prep: m.opts.Prep, Journal: m.opts.Journal, People: m.opts.People}
	jobs := jobsOf(reqs)
	return func() tea.Msg {
		pl, err := engine.MakePlan(ctx, cfg, jobs)
		return planReadyMsg{id: c.id, plan: pl, err: err}
	}
}

// planReady stores a plan for the confirmation still open, and tells the
// browser which photos are held.
func (m *Model) planReady(msg planReadyMsg) tea.Cmd {
	if m.confirm == nil || m.confirm.id != msg.id {
		return nil
	}
	if msg.err != nil {
		m.confirm.err = msg.err
		return nil
	}
	m.confirm.plan = &msg.plan
	if len(msg.plan.Held) == 0 {
		return nil
	}
	held := common.HeldMsg{Held: map[string]string{}}
	for _, h := range msg.plan.Held {
		held.Held[h.Path] = engine.HeldMessage(h.Reasons)
	}
	return m.broadcast(held)
}

// confirmKey answers the confirmation.
func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	keys := m.common.Keys
	c := m.confirm
	switch {
	case key.Matches(msg, keys.Accept):
		if c.plan == nil && c.err == nil {
			// Still checking: nothing to answer yet. Say so, so the
			// key does not look lost; it is asked for again once the
			// plan (what is held, what fails) is on screen.
			c.early = true
			return nil
		}
		m.confirm = nil
		c.cancel()
		return m.startUpload(c.reqs)
	case key.Matches(msg, keys.Deny):
		m.confirm = nil
		c.cancel()
		return common.StatusCmd("nothing sent")
	}
	return nil
}

// confirmHelp is the help bar while the confirmation shows.
func (m *Model) confirmHelp() []key.Binding {
	return []key.Binding{m.common.Keys.Accept,
		common.Relabel(m.common.Keys.Deny, "n/esc", "back, send nothing")}
}

// confirmView is the confirmation dialog, fitted to w columns and h rows:
// on a short terminal it lists fewer of the held photos, or none (the
// sentence still counts them), so its keys and border still show.
func (m *Model) confirmView(w, h int) string {
	d := ""
	for shown := 4; shown >= -1; shown-- {
		if d = dialog(m.common.Styles.Dialog, h, m.confirmText(w, shown)); lipgloss.Height(d) <= h {
			break
		}
	}
	return d
}

// confirmText is the dialog's text in w columns, listing at most shown
// photos of each list (held, unusable); -1 leaves the lists out.
func (m *Model) confirmText(w, shown int) string {
	st := m.common.Styles
	c := m.confirm
	inner := max(min(w-8, 72), 20)
	wrap := lipgloss.NewStyle().Width(inner)
	var b strings.Builder
	switch {
	case c.err != nil:
		b.WriteString(st.Err.Render(wrap.Render("Could not check the photos: " + common.Sanitize(c.err.Error()))))
		b.WriteString("\n\n" + wrap.Render("Send anyway? Each photo is still checked before it is sent."))
	case c.plan == nil:
		b.WriteString(st.Info.Render(fmt.Sprintf("Checking %s before sending…", common.Plural(len(c.reqs), "photo"))))
		if c.early {
			b.WriteString("\n\n" + st.Warn.Render(wrap.Render("Still checking: nothing sent. Answer when the plan shows.")))
		}
	default:
		pl := c.plan
		b.WriteString(st.Title.Render(wrap.Render(pl.Sentence(true))))
		list := func(title string, items []engine.HeldPhoto, style lipgloss.Style) {
			if len(items) == 0 || shown < 0 {
				return
			}
			b.WriteString("\n\n" + style.Render(wrap.Render(title)))
			for i, h := range items {
				if i == shown {
					more := fmt.Sprintf("  … and %d more", len(items)-i)
					if i == 0 {
						more = "  " + common.Plural(len(items), "photo")
					}
					b.WriteString("\n" + st.Muted.Render(more))
					break
				}
				line := fmt.Sprintf("%s %s: %s", preview.ReviewGlyph, filepath.Base(h.Path), strings.Join(h.Reasons, "; "))
				b.WriteString("\n" + style.Render(common.Truncate(common.Sanitize(line), inner)))
			}
		}
		list("Held, not sent (approve with a on the Correct screen):", pl.Held, st.Warn)
		list("Cannot be prepared (will fail):", pl.Unusable, st.Err)
	}
	keys := m.confirmHelp()
	b.WriteString("\n\n" + st.Key.Render(keys[0].Help().Key) + " send   " + st.Key.Render(keys[1].Help().Key) + " back")
	return b.String()
}
