package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

// worker takes items (or batches) off the lane's queue until ctx ends.
func (l *lane) worker(ctx context.Context) {
	defer l.e.wg.Done()
	for {
		items, gen := l.take(ctx)
		if items == nil {
			return
		}
		l.run(ctx, gen, items)
	}
}

// eligibleLocked is the index of the first queued item whose backoff has
// passed, or -1; next is the earliest backoff end among the rest.
func (l *lane) eligibleLocked(now time.Time) (idx int, next time.Time) {
	idx = -1
	for i, it := range l.queue {
		if !it.notBefore.After(now) {
			return i, time.Time{}
		}
		if next.IsZero() || it.notBefore.Before(next) {
			next = it.notBefore
		}
	}
	return idx, next
}

func (l *lane) popLocked(i int) *item {
	it := l.queue[i]
	l.queue = append(l.queue[:i], l.queue[i+1:]...)
	it.state = journal.StateUploading
	l.inFlight++
	return it
}

// take blocks until the lane may send and has an item, then returns it (a
// batch for batch clients, collected for up to BatchWindow) with the lane's
// current cancel generation. It returns nil when ctx ends.
func (l *lane) take(ctx context.Context) ([]*item, context.Context) {
	e := l.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return nil, nil
		}
		now := time.Now()
		var wake time.Time
		if l.paused {
			// wait for Resume
		} else if now.Before(l.throttledUntil) {
			wake = l.throttledUntil
		} else if i, next := l.eligibleLocked(now); i >= 0 {
			batch := []*item{l.popLocked(i)}
			if l.batch != nil {
				batch = l.fillBatchLocked(ctx, batch)
			}
			return batch, l.gen
		} else {
			wake = next
		}
		if !l.waitLocked(ctx, wake) {
			return nil, nil
		}
	}
}

// fillBatchLocked adds queued items to batch until it holds BatchSize or
// BatchWindow has passed.
func (l *lane) fillBatchLocked(ctx context.Context, batch []*item) []*item {
	deadline := time.Now().Add(l.e.cfg.BatchWindow)
	for len(batch) < l.limits.BatchSize {
		now := time.Now()
		if i, _ := l.eligibleLocked(now); i >= 0 {
			batch = append(batch, l.popLocked(i))
			continue
		}
		if !now.Before(deadline) || l.paused || !l.waitLocked(ctx, deadline) {
			break
		}
	}
	return batch
}

// waitLocked releases the engine lock until something changes, wake
// passes (zero: no timer) or ctx ends (false).
func (l *lane) waitLocked(ctx context.Context, wake time.Time) bool {
	e := l.e
	ch := e.changed
	e.mu.Unlock()
	defer e.mu.Lock()
	var timer <-chan time.Time
	if !wake.IsZero() {
		t := time.NewTimer(time.Until(wake))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ch:
	case <-timer:
	case <-ctx.Done():
		return false
	}
	return true
}

// run prepares, resolves and sends the items taken together.
func (l *lane) run(ctx, gen context.Context, items []*item) {
	ready := items[:0:0]
	for _, it := range items {
		if l.prepareItem(ctx, gen, it) {
			ready = append(ready, it)
		}
	}
	if len(ready) == 0 {
		return
	}
	if l.e.cfg.DryRun {
		l.e.mu.Lock()
		for _, it := range ready {
			l.settleLocked(it, StateChecked, nil, EventChecked)
		}
		l.e.mu.Unlock()
		return
	}
	// One of Concurrency sending slots, then a pacing token.
	select {
	case l.sending <- struct{}{}:
	case <-gen.Done():
		l.interrupted(ctx, ready)
		return
	}
	defer func() { <-l.sending }()
	if !l.gate(ctx, gen, ready) {
		return
	}
	if err := l.limiter.Wait(gen); err != nil {
		l.interrupted(ctx, ready)
		return
	}
	// A 429 or a pause may have come while this worker waited for its token.
	if !l.gate(ctx, gen, ready) {
		return
	}
	l.send(ctx, gen, ready)
}

// gate waits while the platform is throttled; if it is paused (or ctx
// ends) it puts the items back and reports false.
func (l *lane) gate(ctx, gen context.Context, items []*item) bool {
	e := l.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		if gen.Err() != nil {
			e.mu.Unlock()
			l.interrupted(ctx, items)
			e.mu.Lock()
			return false
		}
		if l.paused {
			for i := len(items) - 1; i >= 0; i-- {
				l.inFlight--
				l.enqueueLocked(items[i], true)
			}
			e.notifyLocked()
			return false
		}
		now := time.Now()
		if !now.Before(l.throttledUntil) {
			return true
		}
		l.waitLocked(gen, l.throttledUntil)
	}
}

// prepareItem checks the journal, prepares the photo (shared cache),
// validates it against the platform's limits and resolves the person. It
// settles the item itself and reports false when there is nothing to send.
func (l *lane) prepareItem(ctx, gen context.Context, it *item) bool {
	e := l.e
	if len(it.photo.Data) > 0 {
		// Prepared before: a retry, or a remembered id refused (only the
		// person is looked up again).
		return it.resolved || l.resolveItem(ctx, gen, it)
	}
	fail := func(class upload.Class, code, msg string) bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		l.settleLocked(it, journal.StateFailed, &upload.Error{Platform: l.platform, Class: class, Local: true, Code: code, Message: msg}, EventFailed)
		return false
	}
	hash, err := e.prep.sourceHash(it.job.Path)
	if err != nil {
		return fail(upload.ClassRejected, upload.CodeUnreadable, "cannot read the photo: "+err.Error())
	}
	o, profile := prepOptions(e.cfg, l.limits, it.job, hash)
	e.mu.Lock()
	it.hash, it.profile = hash, profile
	e.mu.Unlock()

	if e.cfg.Journal != nil && !it.force {
		if prev, ok, err := e.cfg.Journal.Get(it.person, l.platform); err == nil && ok && unchanged(prev, hash, profile) {
			e.mu.Lock()
			it.bytes = prev.Bytes
			l.settleLocked(it, StateSkipped, nil, EventSkipped)
			e.mu.Unlock()
			return false
		}
	}

	e.emit(it.event(EventPreparing))
	if it.budget > 0 {
		o.Profile.MaxBytes = it.budget
	}
	e.mu.Lock()
	key := l.prepKey(it)
	e.prep.hold(it, key) // no-op when Submit already holds it
	e.mu.Unlock()
	res, err := e.prep.get(gen, key, it.job.Path, o)
	if gen.Err() != nil {
		l.interrupted(ctx, []*item{it})
		return false
	}
	if err != nil {
		var pe *imageprep.Error
		if errors.As(err, &pe) && pe.Kind == imageprep.KindTooBig {
			return fail(upload.ClassTooLarge, "", err.Error())
		}
		if errors.As(err, &pe) && pe.Kind == imageprep.KindTooSmall {
			// Not a photo (a 1x1 placeholder): held, and no approval
			// sends it; only another file can.
			return l.hold(it, tooSmallReason(pe))
		}
		return fail(upload.ClassRejected, upload.CodeUnreadable, "cannot prepare the photo: "+err.Error())
	}
	if res.NeedsReview() && !approvedFor(e.cfg, it.job, hash) {
		return l.hold(it, res.Review())
	}
	photo := upload.NewPhoto(res.Data, mimeOf(res.Format), res.Width, res.Height)
	e.mu.Lock()
	if res.Hash != "" {
		it.hash = res.Hash
	}
	it.bytes = len(photo.Data)
	e.mu.Unlock()
	lim := l.limits
	if it.budget > 0 && it.budget < lim.MaxBytes {
		// After a 413 the server's real cap is lower than declared.
		lim.MaxBytes = it.budget
	}
	if err := lim.Validate(l.platform, photo); err != nil {
		ue, _ := upload.AsError(err)
		e.mu.Lock()
		l.settleLocked(it, journal.StateFailed, ue, EventFailed)
		e.mu.Unlock()
		return false
	}
	if !it.resolved && !l.resolveItem(ctx, gen, it) {
		return false
	}
	it.photo = photo
	e.mu.Lock()
	e.prep.release(it)
	e.mu.Unlock()
	return true
}

// resolveItem finds the person on the platform: from the people cache
// when it remembers them (unless a remembered id was just refused), else
// with the client's lookup, whose answer the cache then remembers. It
// settles or requeues the item itself and reports false on a failure.
func (l *lane) resolveItem(ctx, gen context.Context, it *item) bool {
	e := l.e
	cache := e.cfg.People
	t, remembered := upload.Target{}, false
	if !it.lookedUpAgain {
		t, remembered = cache.Get(l.platform, it.person, l.limits.PeopleTTL)
	}
	if !remembered {
		var err error
		t, err = l.client.Resolve(gen, it.person)
		if err != nil {
			e.mu.Lock()
			it.attempts++ // a resolve that fails retryably counts as a try
			e.mu.Unlock()
			l.handleError(ctx, gen, it, err)
			return false
		}
		cache.Put(l.platform, t)
	}
	e.mu.Lock() // Items reads target (Unverified) and resolved
	it.target, it.resolved, it.remembered = t, true, remembered
	e.mu.Unlock()
	return true
}

// unchanged reports whether the journal's entry prev already has this
// photo (content hash and profile) uploaded whole, so it is skipped; a
// partial upload is sent again. The run and the plan ask this one question.
func unchanged(prev journal.Entry, hash, profile string) bool {
	return prev.State == journal.StateUploaded && prev.Partial == "" && prev.Hash == hash && prev.Profile == profile
}

// approvedFor reports whether a photo that needs review may be sent: the
// whole run approves flagged photos, the job was approved, or a human
// approved this content before (journal). The run's gate and the plan's
// count ask this one question.
func approvedFor(cfg Config, j Job, hash string) bool {
	if cfg.ApproveFlagged || j.Approved {
		return true
	}
	if cfg.Journal == nil {
		return false
	}
	_, ok, err := cfg.Journal.Approved(hash)
	return err == nil && ok
}

// hold settles it as held for review (not sent) with the reasons.
func (l *lane) hold(it *item, reasons []string) bool {
	e := l.e
	e.mu.Lock()
	defer e.mu.Unlock()
	it.review = reasons
	l.settleLocked(it, StateHeld, nil, EventHeld)
	return false
}

// send makes the request(s) and settles each item by its outcome.
func (l *lane) send(ctx, gen context.Context, items []*item) {
	e := l.e
	now := time.Now()
	e.mu.Lock()
	l.noteSentLocked(now)
	for _, it := range items {
		it.attempts++
		it.updated = now
	}
	e.mu.Unlock()
	l.record(items, journal.StateUploading, nil)
	for _, it := range items {
		e.emit(it.event(EventUploading))
	}

	if l.batch != nil {
		batch := make([]upload.Item, len(items))
		for i, it := range items {
			batch[i] = upload.Item{Target: it.target, Photo: it.photo}
		}
		outcomes, err := l.batch.UploadBatch(gen, batch)
		if err == nil && len(outcomes) != len(items) {
			err = &upload.Error{Platform: l.platform, Class: upload.ClassServer,
				Message: fmt.Sprintf("batch answer has %d outcomes for %d photos", len(outcomes), len(items))}
		}
		if err != nil && gen.Err() != nil {
			l.cutOffMidSend(ctx, items)
			return
		}
		if err != nil {
			for i, it := range items {
				// One answer for the whole batch: one 429 counted.
				l.handleErrorCounted(ctx, gen, it, err, i == 0)
			}
			return
		}
		for i, it := range items {
			if outcomes[i].Err != nil {
				l.handleError(ctx, gen, it, outcomes[i].Err)
			} else {
				l.uploaded(it, outcomes[i].Receipt)
			}
		}
		return
	}
	it := items[0]
	rc, err := l.client.Upload(gen, it.target, it.photo)
	if err != nil && gen.Err() != nil {
		l.cutOffMidSend(ctx, items)
		return
	}
	if err != nil {
		l.handleError(ctx, gen, it, err)
		return
	}
	l.uploaded(it, rc)
}

func (l *lane) uploaded(it *item, rc upload.Receipt) {
	e := l.e
	failed := rc.Failed()
	if len(failed) > 0 && l.retryPartial(it, failed) {
		return
	}
	e.mu.Lock()
	it.partial = ""
	if len(failed) > 0 {
		it.partial = upload.CleanMessage(upload.PartsSummary(failed), upload.MaxMessage)
	}
	e.mu.Unlock()
	l.record([]*item{it}, journal.StateUploaded, nil)
	e.mu.Lock()
	defer e.mu.Unlock()
	l.successLocked(time.Now())
	ev := it.event(EventUploaded)
	ev.Message = receiptMessage(rc)
	if it.partial != "" {
		ev.Message = "partial: " + it.partial + " refused it; the rest took it"
	}
	it.state, it.err, it.updated = journal.StateUploaded, nil, time.Now()
	it.photo = upload.Photo{}
	l.countLocked(it, 1)
	l.inFlight--
	e.emit(ev)
	l.idleCheckLocked()
	e.notifyLocked()
}

// retryPartial sends a photo some sub-systems refused once more (the
// platform takes it again as a whole), after the first retry delay; it
// reports false when the item has had its one retry, and the caller then
// settles it as uploaded with the refusing sub-systems noted.
func (l *lane) retryPartial(it *item, failed []upload.PartStatus) bool {
	e := l.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if it.resent {
		return false
	}
	it.resent = true
	next := time.Now().Add(backoff(e.cfg.Backoff, e.cfg.MaxBackoff, 1))
	ev := it.event(EventRetrying)
	ev.Until = next
	ev.Message = upload.CleanMessage("partial: "+upload.PartsSummary(failed)+" refused it; sending once more", upload.MaxMessage)
	e.emit(ev)
	l.requeueLocked(it, next)
	return true
}

func receiptMessage(rc upload.Receipt) string {
	s := rc.Detail
	for _, p := range rc.Parts {
		if s != "" {
			s += "; "
		}
		s += fmt.Sprintf("%s %d", p.Name, p.Status)
		if p.Message != "" {
			s += " " + p.Message
		}
	}
	return s
}

// handleError acts on a failure by its class.
func (l *lane) handleError(ctx, gen context.Context, it *item, err error) {
	l.handleErrorCounted(ctx, gen, it, err, true)
}

// handleErrorCounted is handleError; count says whether this answer is a
// new one (false for the other photos of a batch the same 429 refused).
func (l *lane) handleErrorCounted(ctx, gen context.Context, it *item, err error, count bool) {
	e := l.e
	if gen.Err() != nil || errors.Is(err, context.Canceled) {
		l.interrupted(ctx, []*item{it})
		return
	}
	ue, ok := upload.AsError(err)
	if ok {
		// A copy: the client's error may be shared by every photo of a
		// batch, and events already sent carry it; writing into it raced
		// with their readers.
		c := *ue
		ue = &c
	} else {
		ue = &upload.Error{Platform: l.platform, Class: upload.ClassServer, Message: err.Error(), Err: err}
	}
	if ue.Platform == "" {
		ue.Platform = l.platform
	}
	// The platform's words reach events, the journal and the screen:
	// bounded and without control characters from here on.
	ue.Message = upload.CleanMessage(ue.Message, upload.MaxMessage)
	ue.Code = upload.CleanMessage(ue.Code, 40)
	e.mu.Lock()
	defer e.mu.Unlock()
	if ue.Stop {
		// The same on every request (an untrusted certificate, a redirect
		// elsewhere): stop the platform with the cause, keep the photo.
		it.err = ue
		if it.attempts > 0 {
			it.attempts--
		}
		l.pauseLocked("stopped: " + ue.Message)
		l.requeueLocked(it, time.Time{})
		return
	}
	if ue.Class == upload.ClassNotFound && !ue.Local && it.remembered && !it.lookedUpAgain {
		// The id the people cache gave is no longer known (the person was
		// removed and added again, say): never send to it again; look the
		// person up afresh, once.
		e.cfg.People.Drop(l.platform, it.person)
		it.remembered, it.lookedUpAgain, it.resolved = false, true, false
		if it.attempts > 0 {
			it.attempts--
		}
		it.err = ue
		ev := it.event(EventRetrying)
		ev.Message = "the id remembered for this person is unknown now: looking them up again"
		e.emit(ev)
		l.requeueLocked(it, time.Time{})
		return
	}
	switch ue.Class {
	case upload.ClassThrottled:
		it.throttles++
		if it.attempts > 0 {
			it.attempts-- // a 429 is not the photo's fault
		}
		if ue.RetryAfter > e.cfg.MaxThrottleWait {
			// Not waited out: the platform stops, the photos stay queued
			// (not sent), and the reason says when it asked to be tried.
			it.err = ue
			now := time.Now()
			l.pauseLocked(fmt.Sprintf("the platform asked to wait %s (Retry-After, until %s), over the %s headshot waits: stopped sending to it; run again later",
				waitText(ue.RetryAfter), ClockText(now, now.Add(ue.RetryAfter)), waitText(e.cfg.MaxThrottleWait)))
			l.requeueLocked(it, time.Time{})
			return
		}
		if count {
			l.throttleLocked(ue)
		}
		if it.throttles > maxThrottles {
			l.settleLocked(it, journal.StateFailed, ue, EventFailed)
			return
		}
		it.err = ue
		l.requeueLocked(it, time.Time{})
	case upload.ClassAuth:
		it.err = ue
		if it.attempts > 0 {
			it.attempts--
		}
		l.pauseLocked("credentials refused: " + ue.Error())
		l.requeueLocked(it, time.Time{})
	case upload.ClassTooLarge:
		if !it.tooLarge {
			it.tooLarge = true
			l.tooLarge++
		}
		if !it.shrunk && !ue.Local {
			// Aim just under the limit the platform stated (room for the
			// request's own overhead); without one, well under what was sent.
			var next int64
			switch {
			case ue.Limit > 0:
				next = int64(float64(ue.Limit) * limitMargin)
			case ue.Size > 0:
				next = shrink(ue.Size)
			default:
				next = shrink(int64(len(it.photo.Data)))
			}
			if it.budget > 0 {
				next = min(next, shrink(it.budget))
			}
			it.shrunk = true
			it.budget = next
			l.reencoded++
			it.photo = upload.Photo{}
			it.err = ue
			ev := it.event(EventRetrying)
			ev.Message = fmt.Sprintf("too large (%d bytes): re-encoding under %d bytes", it.bytes, it.budget)
			e.emit(ev)
			l.requeueLocked(it, time.Time{})
			return
		}
		fe := *ue
		if fe.Size == 0 {
			fe.Size = int64(it.bytes)
		}
		if fe.Limit > 0 {
			fe.Message = fmt.Sprintf("still too large after re-encoding: sent %d bytes, limit %d", fe.Size, fe.Limit)
		} else {
			fe.Message = fmt.Sprintf("still too large after re-encoding: sent %d bytes (%s)", fe.Size, ue.Message)
		}
		l.settleLocked(it, journal.StateFailed, &fe, EventFailed)
	case upload.ClassServer, upload.ClassNetwork:
		it.err = ue
		if it.attempts >= e.cfg.MaxAttempts || ue.Local {
			l.settleLocked(it, journal.StateFailed, ue, EventFailed)
			return
		}
		next := time.Now().Add(backoff(e.cfg.Backoff, e.cfg.MaxBackoff, it.attempts))
		ev := it.event(EventRetrying)
		ev.Until = next
		e.emit(ev)
		l.requeueLocked(it, next)
	default: // rejected, not found, canceled by the platform, unknown
		l.settleLocked(it, journal.StateFailed, ue, EventFailed)
	}
}

// requeueLocked puts an in-flight item back (front of the queue) for
// another try not before notBefore.
func (l *lane) requeueLocked(it *item, notBefore time.Time) {
	it.notBefore = notBefore
	l.inFlight--
	l.enqueueLocked(it, true)
	l.e.notifyLocked()
}

// settleLocked ends an in-flight item, records it and emits kind.
func (l *lane) settleLocked(it *item, st journal.State, err *upload.Error, kind EventKind) {
	if err != nil {
		// Local failures quote file names and decoder words: bounded and
		// without control characters, like a platform's. Cleaned in a copy:
		// the caller's error may already be in an event a reader holds.
		c := *err
		c.Message = upload.CleanMessage(c.Message, upload.MaxMessage)
		err = &c
	}
	if st == journal.StateFailed && err != nil {
		// Journal write outside the hot path would reorder states; failures
		// are rare, so write it here.
		it.err = err // under the lock: Items reads it
		l.e.mu.Unlock()
		l.record([]*item{it}, st, err)
		l.e.mu.Lock()
	}
	l.inFlight--
	l.e.finishLocked(l, it, st, err, kind)
	l.idleCheckLocked()
	l.e.notifyLocked()
}

// interrupted records items cut off by Close or Cancel before their
// request was made; the next run sends them again.
func (l *lane) interrupted(ctx context.Context, items []*item) {
	l.settleInterrupted(items, false)
}

// cutOffMidSend records items whose request was under way when Close or
// Cancel cut it off: the platform may have stored the photo though no
// answer came, so they are not "not sent" (the sandbox counted one more
// photo than the panes said were sent). The next run sends them again,
// which replaces the photo if it did arrive.
func (l *lane) cutOffMidSend(ctx context.Context, items []*item) {
	l.settleInterrupted(items, true)
}

// cutOffMessage is what an item cut off mid-request says (events, journal,
// summaries).
func cutOffMessage(p upload.Platform) string {
	return "cut off while sending: " + p.Title() + " may have stored it; sending again replaces it"
}

func (l *lane) settleInterrupted(items []*item, midSend bool) {
	msg := "interrupted before it was sent"
	if midSend {
		msg = cutOffMessage(l.platform)
	}
	ue := &upload.Error{Platform: l.platform, Class: upload.ClassCanceled, Local: true, Message: msg}
	var recorded *upload.Error
	if midSend {
		recorded = ue // the journal keeps why it may be there already
	}
	l.record(items, journal.StateInterrupted, recorded)
	e := l.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range items {
		l.inFlight--
		it.cutOff = midSend
		e.finishLocked(l, it, journal.StateInterrupted, ue, EventCanceled)
	}
	l.idleCheckLocked()
	e.notifyLocked()
}

// sentOtherFile reports whether the journal records another file as this
// person's photo uploaded on this platform.
func (l *lane) sentOtherFile(j *journal.Journal, it *item) bool {
	prev, ok, err := j.Get(it.person, l.platform)
	return err == nil && ok && prev.State == journal.StateUploaded && prev.Path != it.job.Path
}

// record writes the items' state to the journal (one transaction each).
func (l *lane) record(items []*item, st journal.State, err *upload.Error) {
	j := l.e.cfg.Journal
	if j == nil || l.e.cfg.DryRun {
		return
	}
	l.e.mu.Lock()
	entries := make([]journal.Entry, 0, len(items))
	now := time.Now()
	for _, it := range items {
		if it.hash == "" {
			continue // never prepared: nothing worth recording
		}
		if st == journal.StateFailed && err != nil && err.Local && l.sentOtherFile(j, it) {
			// A file that never reached the platform (a text file named
			// jane.jpg) must not overwrite the record of the photo that did.
			continue
		}
		en := journal.Entry{Person: it.person, Platform: l.platform, Path: it.job.Path, Hash: it.hash,
			Profile: it.profile, State: st, Attempts: it.attempts, Bytes: it.bytes, Updated: now, Partial: it.partial}
		if err != nil {
			en.Class, en.LastError = err.Class, err.Message
		}
		entries = append(entries, en)
	}
	l.e.mu.Unlock()
	if len(entries) == 0 {
		return
	}
	if jerr := j.PutMany(entries); jerr != nil && !l.e.journalFailed.Swap(true) {
		// Not an item event: the items carry on; the reader learns the
		// journal is failing (disk full, removed file), once: the summary
		// counts what went unrecorded (journal.Unrecorded).
		l.e.emit(Event{Kind: EventFailed, Platform: l.platform,
			Message: "journal write failed: " + jerr.Error()})
	}
}

// waitText is a duration in the largest whole units that say it ("27 h 46 min", "1 h").
func waitText(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	case d >= time.Minute:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return d.Round(time.Second).String()
}
