package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"headshot/imageprep"
	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/journal"
	"headshot/upload/people"
)

// UploadOptions are `headshot upload`'s flags.
type UploadOptions struct {
	Platforms string // only these platforms, comma-separated ("": all configured)
	Map       string // CSV mapping file
	DryRun    bool   // prepare, validate and resolve every person; send nothing
	// ApproveFlagged sends photos that need review instead of holding them.
	ApproveFlagged bool
	Report         string // write a report (.json or .csv)
	Force          bool   // re-send what the journal says was uploaded unchanged
	Config         string // config file ("": config.DefaultPath)
	Journal        string // journal file ("": config.JournalPath's rule)
	// Verbose prints a line per event (each request, retry and answer)
	// instead of one line per photo.
	Verbose bool
}

// Upload is `headshot upload [flags] PATH...`.
func Upload(o UploadOptions, paths []string, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "headshot upload: "+format+"\n", a...)
		return code
	}
	if len(paths) == 0 {
		return fail(exitUsage, "no photos given")
	}
	platforms, err := parsePlatforms(o.Platforms)
	if err != nil {
		return fail(exitUsage, "%s", err)
	}
	if o.Report != "" {
		if err := checkReportPath(o.Report); err != nil {
			return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
		}
	}
	files, skipped, err := expandPaths(paths)
	if err != nil {
		return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
	}
	if len(files) == 0 {
		msg := "no photos found in " + textsafe.Clean(strings.Join(paths, " "))
		if len(skipped) > 0 {
			msg += fmt.Sprintf(" (%s skipped, e.g. %s: %s)", upload.Plural(len(skipped), "file"), textsafe.Clean(skipped[0].name), skipped[0].why)
		}
		return fail(exitUsage, "%s", msg)
	}
	var m *mapping
	if o.Map != "" {
		if m, err = readMapping(o.Map); err != nil {
			return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
		}
	}
	cfgPath := config.Resolve(o.Config)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		if config.IsNotExist(err) {
			return fail(exitUsage, "no config file at %s (run `headshot setup`, or pass --config FILE)", textsafe.Clean(cfgPath))
		}
		return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintln(stderr, "headshot upload: warning:", textsafe.CleanN(w, 400))
	}
	clients, err := clientsFor(cfg, platforms)
	if err != nil {
		return fail(exitUsage, "config %s: %s", textsafe.Clean(cfgPath), textsafe.Clean(err.Error()))
	}
	var j *journal.Journal
	jpath := config.JournalPath(o.Journal, cfg)
	if o.DryRun {
		// A dry run reads the journal (what is unchanged is skipped, as in
		// the real run) without taking the writer's lock or writing.
		if _, serr := os.Stat(jpath); serr == nil {
			if j, err = journal.OpenReadOnly(jpath); err != nil {
				return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
			}
		}
	} else {
		if j, err = journal.Open(jpath); err != nil {
			return fail(exitUsage, "%s", textsafe.Clean(err.Error()))
		}
		defer j.Close()
		if d := j.Damage(); d != nil {
			fmt.Fprintln(stderr, "headshot upload: warning:", textsafe.CleanN(d.Warning(j.Path()), 1000))
		}
	}
	// Who each person resolved to, remembered beside the journal for
	// the next runs (a dry run's lookups too).
	pc, warn := people.Open(people.PathFor(jpath), cfg.Tenants())
	if warn != "" {
		fmt.Fprintln(stderr, "headshot upload: warning:", textsafe.CleanN(warn, 400))
	}
	if m != nil {
		given := map[string]bool{}
		for _, f := range files {
			given[filepath.Base(f)] = true
		}
		for base, row := range m.rows {
			if !given[base] {
				fmt.Fprintf(stderr, "headshot upload: warning: %s line %d: %s is not among the photos given\n",
					textsafe.Clean(o.Map), row.line, textsafe.Clean(base))
			}
		}
	}
	jobs := make([]engine.Job, 0, len(files))
	for _, f := range files {
		if abs, err := filepath.Abs(f); err == nil {
			f = abs // the journal and the report name photos unambiguously
		}
		jb := engine.Job{Path: f, Person: personOf(f)}
		if row, ok := m.lookup(f); ok {
			if row.person != "" {
				jb.Person = row.person
			}
			jb.People = row.people
		}
		jobs = append(jobs, jb)
	}
	jobs = onePhotoPerPerson(jobs, stderr)
	hint := func(p upload.Platform) string {
		if vars := cfg.EnvVars(string(p)); len(vars) > 0 {
			return "set in the environment, winning over " + textsafe.Clean(cfgPath) + ": " + strings.Join(vars, ", ")
		}
		return ""
	}
	if j != nil && !o.DryRun {
		// Each photo on each platform writes "uploading" then its outcome.
		if err := checkSpace(j.Path(), len(jobs)*len(clients)*2); err != nil {
			return fail(exitFailed, "%s", textsafe.Clean(err.Error()))
		}
	}
	return runUploadWith(engine.Config{Clients: clients, Prep: cfg.PrepOptions(), Journal: j, Force: o.Force, DryRun: o.DryRun,
		ApproveFlagged: o.ApproveFlagged, Preparer: imageprep.NewPreparer(), People: pc},
		jobs, runOptions{report: o.Report, verbose: o.Verbose, envHint: hint, skipped: skipped}, stdout, stderr)
}

// checkSpace is journal.CheckSpace (a variable so a test can fill the disk).
var checkSpace = journal.CheckSpace

// onePhotoPerPerson keeps one photo per person (jane.jpg and jane.png in
// one folder): the engine would otherwise send one of them at random, or
// both. The most recently modified file wins, and a warning names them all.
func onePhotoPerPerson(jobs []engine.Job, stderr io.Writer) []engine.Job {
	key := func(j engine.Job) string {
		k := j.Person
		for _, p := range upload.Platforms() {
			if v, ok := j.People[p]; ok {
				k += "\x00" + string(p) + "=" + v
			}
		}
		return k
	}
	mtime := func(path string) time.Time {
		if st, err := os.Stat(path); err == nil {
			return st.ModTime()
		}
		return time.Time{}
	}
	byKey := map[string][]int{}
	var order []string
	for i, j := range jobs {
		k := key(j)
		if _, seen := byKey[k]; !seen {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], i)
	}
	out := make([]engine.Job, 0, len(order))
	for _, k := range order {
		idx := byKey[k]
		best := idx[0]
		for _, i := range idx[1:] {
			if mtime(jobs[i].Path).After(mtime(jobs[best].Path)) {
				best = i
			}
		}
		if len(idx) > 1 {
			names := make([]string, len(idx))
			for n, i := range idx {
				names[n] = textsafe.Clean(filepath.Base(jobs[i].Path))
			}
			fmt.Fprintf(stderr, "headshot upload: warning: %d photos for %s (%s): sending the newest, %s\n",
				len(idx), textsafe.Clean(jobs[best].Person), strings.Join(names, ", "), textsafe.Clean(filepath.Base(jobs[best].Path)))
		}
		out = append(out, jobs[best])
	}
	return out
}

// runOptions are how a run prints and reports.
type runOptions struct {
	report  string // --report file ("": none)
	verbose bool   // -v: a line per event (request), not per photo
	// envHint (may be nil) names the environment variables behind a
	// platform paused for refused credentials.
	envHint func(upload.Platform) string
	// skipped are the files given that are not sent, and why.
	skipped []skippedFile
	// width forces the terminal width (tests); 0: detect it on stdout.
	width int
	// live forces the live progress line (tests, with width).
	live bool
}

// runUpload drives the engine over jobs, printing one line per photo and a
// summary, and writes the report.
func runUpload(ecfg engine.Config, jobs []engine.Job, reportPath string, stdout, stderr io.Writer) int {
	return runUploadWith(ecfg, jobs, runOptions{report: reportPath}, stdout, stderr)
}

// progressEvery is how often the live line is redrawn between events.
const progressEvery = 250 * time.Millisecond

// runUploadWith is runUpload with its printing options.
func runUploadWith(ecfg engine.Config, jobs []engine.Job, ro runOptions, stdout, stderr io.Writer) int {
	e, err := engine.New(ecfg)
	if err != nil {
		fmt.Fprintln(stderr, "headshot upload:", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &output{w: stdout, live: ro.live, width: ro.width}
	if !ro.live {
		out.width, out.live = terminalWidth(stdout)
	}
	// The same question the browser asks before sending, told first.
	if plan, err := engine.MakePlan(ctx, ecfg, jobs); err == nil {
		out.Line(plan.Sentence(false))
	}
	var plats []upload.Platform
	for _, c := range ecfg.Clients {
		if !slices.Contains(plats, c.Platform()) {
			plats = append(plats, c.Platform())
		}
	}
	table := newPhotoTable(plats, jobs, ecfg.DryRun, out.width)

	start := time.Now()
	var printed sync.WaitGroup
	printed.Add(1)
	go func() {
		defer printed.Done()
		for ev := range e.Events() {
			switch {
			case ro.verbose:
				out.Line(fitWidth(eventLine(ev), out.width))
			case ev.Person == "" && ev.Path == "" && ev.Kind != engine.EventDone && ev.Kind != engine.EventThrottled:
				// A platform pausing (refused credentials) or the journal
				// failing is news even when photos are printed one line
				// each; a 429's wait shows on the live line.
				out.Line(fitWidth(eventLine(ev), out.width))
			case ev.Kind == engine.EventCanceled && ctx.Err() != nil:
				// Interrupted: the summary lists what was not sent, one
				// line per photo; no row of "!" for each.
			default:
				for _, l := range table.add(ev) {
					out.Line(l)
				}
			}
		}
	}()
	ticking := make(chan struct{})
	var ticked sync.WaitGroup
	if out.live {
		ticked.Add(1)
		go func() {
			defer ticked.Done()
			t := time.NewTicker(progressEvery)
			defer t.Stop()
			for {
				out.Status(textsafe.Clean(progressLine(time.Now(), start, e.Snapshot())))
				select {
				case <-ticking:
					return
				case <-t.C:
				}
			}
		}()
	}
	e.Start(ctx)
	e.Submit(jobs...)
	waitErr := e.Wait(ctx)
	close(ticking)
	ticked.Wait()
	stats := e.Snapshot()
	e.Close()
	printed.Wait()
	out.Clear()
	if err := ecfg.People.Save(); err != nil {
		fmt.Fprintln(stderr, "headshot upload: warning:", textsafe.CleanN(err.Error(), 400))
	}
	items := e.Items()
	if !ro.verbose {
		if l := table.legend(); l != "" {
			fmt.Fprintln(stdout, l)
		}
	}
	if waitErr != nil {
		fmt.Fprintln(stderr, "headshot upload: interrupted; what was in flight will be sent again next time")
	}
	rows := reportRows(items, stats)
	printLookupNotes(stdout, ecfg)
	ok := writeSummary(stdout, summary{rows: rows, stats: stats, dry: ecfg.DryRun, envHint: ro.envHint,
		interrupted: waitErr != nil, skipped: ro.skipped})
	if ro.report != "" {
		if err := writeReport(ro.report, rows); err != nil {
			fmt.Fprintln(stderr, "headshot upload:", textsafe.Clean(err.Error()))
			return exitFailed
		}
	}
	if !journalOK(stdout, ecfg.Journal) {
		ok = false
	}
	if !ok || waitErr != nil {
		return exitFailed
	}
	return exitOK
}

// journalOK adds the journal's failures to the summary: a run that could
// not record what it sent did not succeed, whatever it uploaded.
func journalOK(w io.Writer, j *journal.Journal) bool {
	if j == nil || j.Failure() == nil {
		return true
	}
	fmt.Fprintf(w, "  %-9s FAILED: %d record(s) of what was sent could not be written (%s); the next run may send those photos again\n",
		"journal", j.Unrecorded(), textsafe.CleanN(j.Failure().Error(), 200))
	return false
}

// eventLine is one plain, sanitised line for an event.
func eventLine(ev engine.Event) string {
	var b strings.Builder
	b.WriteString(ev.Time.Format("15:04:05"))
	fmt.Fprintf(&b, " %-8s %-9s", string(ev.Platform), ev.Kind.String())
	if ev.Person == "" && ev.Path == "" {
		return strings.TrimRight(b.String(), " ") + platformDetail(ev)
	}
	if ev.Person != "" {
		b.WriteString(" " + textsafe.Clean(ev.Person))
	}
	if ev.Path != "" {
		b.WriteString(" (" + textsafe.Clean(filepath.Base(ev.Path)))
		if ev.Bytes > 0 && (ev.Kind == engine.EventUploading || ev.Kind == engine.EventUploaded) {
			fmt.Fprintf(&b, ", %d bytes", ev.Bytes)
		}
		b.WriteString(")")
	}
	if ev.Attempt > 1 {
		fmt.Fprintf(&b, " attempt %d", ev.Attempt)
	}
	switch {
	case ev.Err != nil && showsError(ev.Kind):
		b.WriteString(": " + textsafe.Clean(errText(ev.Err)))
	case ev.Message != "":
		b.WriteString(": " + textsafe.Clean(ev.Message))
	}
	if !ev.Until.IsZero() && ev.Kind == engine.EventRetrying {
		b.WriteString(" (next try " + engine.ClockText(ev.Time, ev.Until) + ")")
	}
	return b.String()
}

// showsError says whether an event's line states its error. The engine
// hands the item's last error along with every event, so an "uploaded" line
// after retries would otherwise end in the 503 that preceded it (the
// "retrying" line before it already said why).
func showsError(k engine.EventKind) bool {
	switch k {
	case engine.EventRetrying, engine.EventFailed, engine.EventPaused, engine.EventCanceled:
		return true
	}
	return false
}

// platformDetail is the tail of a platform-wide event's line.
func platformDetail(ev engine.Event) string {
	if ev.Kind == engine.EventThrottled && !ev.Until.IsZero() {
		// The engine's message starts "throttled: ", which the kind column
		// already says; give the wait instead.
		wait := ev.Until.Sub(ev.Time).Round(time.Second)
		return fmt.Sprintf(" the platform asked to slow down: sending again at %s (in %s)", engine.ClockText(ev.Time, ev.Until), wait)
	}
	switch {
	case ev.Err != nil && ev.Kind != engine.EventThrottled:
		return " " + textsafe.Clean(errText(ev.Err))
	case ev.Message != "":
		return " " + textsafe.Clean(ev.Message)
	}
	return ""
}

// errText is an upload error without its platform prefix.
func errText(e *upload.Error) string {
	s := e.Error()
	return strings.TrimPrefix(s, string(e.Platform)+": ")
}

// printSummary is writeSummary of a run that was not interrupted and
// skipped no file.
func printSummary(w io.Writer, rows []reportRow, stats []engine.PlatformStats, dry bool, envHint func(upload.Platform) string) bool {
	return writeSummary(w, summary{rows: rows, stats: stats, dry: dry, envHint: envHint})
}

// summary is what writeSummary reports on.
type summary struct {
	rows        []reportRow
	stats       []engine.PlatformStats
	dry         bool
	envHint     func(upload.Platform) string
	interrupted bool          // ctrl+c (or SIGTERM) ended the run
	skipped     []skippedFile // files given that were not photos
}

// maxNotSentListed bounds the "Not sent" list: they need no action but
// running the same command again, so a long list would hide the failures.
const maxNotSentListed = 20

// writeSummary prints per-platform counts, every held photo, every failure
// and what was not sent; it reports whether everything went (or, in a dry
// run, would go) through. A dry run and the real run print the same lines
// with one verb changed ("would send" for "uploaded"), so they compare
// line by line. One vocabulary throughout: "failed" is a platform's or the
// file's refusal, listed under "Failed:"; "not sent" is what the run never
// got to (interrupted, a platform paused), listed under "Not sent" with
// the reason, never under "Failed:".
func writeSummary(w io.Writer, s summary) bool {
	type counts struct{ ok, partial, skipped, held, failed, unsent, cutOff, unchecked int }
	by := map[upload.Platform]*counts{}
	for _, st := range s.stats {
		by[st.Platform] = &counts{}
	}
	paused := map[upload.Platform]string{}
	for _, st := range s.stats {
		if st.Paused {
			paused[st.Platform] = st.PauseReason
		}
	}
	allOK := true
	var failures, partials, held, unsent []reportRow
	heldSeen := map[string]bool{}
	for _, r := range s.rows {
		c := by[upload.Platform(r.Platform)]
		if c == nil {
			c = &counts{}
			by[upload.Platform(r.Platform)] = c
		}
		switch r.State {
		case string(journal.StateUploaded), string(engine.StateChecked):
			c.ok++
			if r.Partial != "" {
				c.partial++
				partials = append(partials, r)
			}
			if r.Note != "" {
				c.unchecked++
			}
		case string(engine.StateSkipped):
			c.skipped++
		case string(engine.StateHeld):
			c.held++
			allOK = false
			if !heldSeen[r.File] {
				heldSeen[r.File] = true
				held = append(held, r)
			}
		case string(journal.StateFailed):
			c.failed++
			allOK = false
			failures = append(failures, r)
		default: // queued, uploading, interrupted, canceled: never answered
			c.unsent++
			if r.CutOff {
				c.cutOff++
			}
			allOK = false
			unsent = append(unsent, r)
		}
	}
	verb := "uploaded"
	if s.dry {
		verb = "would send"
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Summary:")
	plats := make([]string, 0, len(by))
	for p := range by {
		plats = append(plats, string(p))
	}
	sort.Slice(plats, func(a, b int) bool { return platIndex(plats[a]) < platIndex(plats[b]) })
	for _, p := range plats {
		c := by[upload.Platform(p)]
		part := ""
		if c.partial > 0 {
			part = fmt.Sprintf(" (%d partly: a sub-platform refused)", c.partial)
		}
		line := fmt.Sprintf("  %-9s %d %s%s, %d skipped (unchanged), %d held, %d failed, %d not sent", p, c.ok, verb, part, c.skipped, c.held, c.failed, c.unsent)
		if c.cutOff > 0 {
			// Not answered, but maybe arrived: "not sent" alone would be
			// contradicted by the platform showing the photo.
			line += fmt.Sprintf(" (%d of them cut off while sending: may have arrived)", c.cutOff)
		} else if c.unsent > 0 {
			if _, ok := paused[upload.Platform(p)]; ok {
				line += " (paused)"
			} else if s.interrupted {
				line += " (interrupted)"
			}
		}
		if c.unchecked > 0 {
			line += fmt.Sprintf(" (%d cannot check before sending: %s has no person lookup)", c.unchecked, upload.Platform(p).Title())
		}
		fmt.Fprintln(w, line)
	}
	for _, st := range s.stats {
		if st.TooLarge > 0 {
			// The panes' words: photos answered 413 and, of them, those
			// re-encoded smaller and then sent.
			fmt.Fprintf(w, "  %-9s too large: %d, re-encoded and sent: %d\n", st.Platform, st.TooLarge, st.ReencodedSent)
		}
		if st.Paused && st.PauseReason != "" {
			fmt.Fprintf(w, "  %-9s paused: %s\n", st.Platform, textsafe.Clean(st.PauseReason))
			if s.envHint != nil && strings.HasPrefix(st.PauseReason, "credentials refused") { // the engine's words for an auth pause
				if h := s.envHint(st.Platform); h != "" {
					fmt.Fprintf(w, "  %-9s credentials %s\n", "", h)
				}
			}
		}
	}
	if len(s.skipped) > 0 {
		fmt.Fprintf(w, "Skipped (%s given but not sent anywhere):\n", upload.Plural(len(s.skipped), "file"))
		for i, f := range s.skipped {
			if i == maxSkippedListed && len(s.skipped) > maxSkippedListed+1 {
				fmt.Fprintf(w, "  ... and %d more\n", len(s.skipped)-i)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", textsafe.Clean(f.name), f.why)
		}
	}
	if len(partials) > 0 {
		fmt.Fprintln(w, "Partly uploaded (sent twice; the next run sends them again):")
		for _, f := range partials {
			fmt.Fprintf(w, "  %-9s %s (%s): %s refused it\n", f.Platform, textsafe.Clean(f.Person), textsafe.Clean(filepath.Base(f.File)), textsafe.Clean(f.Partial))
		}
	}
	if len(held) > 0 {
		fmt.Fprintf(w, "Held for review (%s, sent nowhere; approve in the browser, or --approve-flagged):\n", upload.Plural(len(held), "photo"))
		for _, h := range held {
			fmt.Fprintf(w, "  %s (%s): %s\n", textsafe.Clean(h.Person), textsafe.Clean(filepath.Base(h.File)), textsafe.Clean(h.Error))
		}
	}
	if len(failures) > 0 {
		fmt.Fprintln(w, "Failed:")
		for _, l := range failureLines(failures) {
			fmt.Fprintln(w, l)
		}
	}
	writeNotSent(w, unsent, paused, s.interrupted)
	return allOK
}

// writeNotSent lists what the run never sent, by reason, one line per
// photo naming its platforms; past maxNotSentListed photos, a count.
func writeNotSent(w io.Writer, unsent []reportRow, paused map[upload.Platform]string, interrupted bool) {
	type photo struct {
		who   string
		plats []string
	}
	var reasons []string
	byReason := map[string][]*photo{}
	for _, r := range unsent {
		reason := "not sent"
		switch why, ok := paused[upload.Platform(r.Platform)]; {
		case r.CutOff:
			reason = "cut off while sending: the platform may have stored them; running the same command again sends them again"
		case ok:
			reason = r.Platform + " paused"
			if why != "" {
				reason += ": " + textsafe.Clean(why)
			}
		case interrupted || r.State == string(journal.StateInterrupted):
			reason = "interrupted; running the same command again sends them"
		case r.State == string(engine.StateCanceled):
			reason = "canceled"
		}
		who := textsafe.Clean(r.Person) + " (" + textsafe.Clean(filepath.Base(r.File)) + ")"
		list, seen := byReason[reason]
		if !seen {
			reasons = append(reasons, reason)
		}
		var ph *photo
		for _, p := range list {
			if p.who == who {
				ph = p
			}
		}
		if ph == nil {
			ph = &photo{who: who}
			byReason[reason] = append(list, ph)
		}
		ph.plats = append(ph.plats, r.Platform)
	}
	for _, reason := range reasons {
		list := byReason[reason]
		n := 0
		for _, p := range list {
			n += len(p.plats)
		}
		head := "Not sent"
		if strings.HasPrefix(reason, "cut off") {
			head = "Not confirmed" // it may be there: never "not sent"
		}
		fmt.Fprintf(w, "%s (%s): %s of %s\n", head, reason, upload.Plural(n, "upload"), upload.Plural(len(list), "photo"))
		for i, p := range list {
			if i == maxNotSentListed && len(list) > maxNotSentListed+1 {
				fmt.Fprintf(w, "  ... and %d more photos\n", len(list)-i)
				break
			}
			sort.Slice(p.plats, func(a, b int) bool { return platIndex(p.plats[a]) < platIndex(p.plats[b]) })
			fmt.Fprintf(w, "  %s: %s\n", p.who, strings.Join(p.plats, ", "))
		}
	}
}

func platIndex(p string) int {
	for i, q := range upload.Platforms() {
		if string(q) == p {
			return i
		}
	}
	return len(upload.Platforms())
}

// itemTime formats an item's last update.
func itemTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// listNoter is a client that can say why it did not read its platform's
// user list whole this run (Igloo, Zoom, Google): the reason a run looked people
// up one by one, and so took longer.
type listNoter interface{ ListNote() string }

// printLookupNotes says how many people the people cache served and why a
// platform looked people up one by one.
func printLookupNotes(w io.Writer, ecfg engine.Config) {
	if hits, dropped := ecfg.People.Stats(); hits > 0 {
		line := fmt.Sprintf("people: %d found in the people cache (earlier runs, within people_ttl)", hits)
		if dropped > 0 {
			line += fmt.Sprintf("; %d remembered id(s) no longer known, looked up again", dropped)
		}
		fmt.Fprintln(w, line)
	}
	for _, c := range ecfg.Clients {
		if ln, ok := c.(listNoter); ok {
			if note := ln.ListNote(); note != "" {
				fmt.Fprintf(w, "%s: %s\n", c.Platform().Title(), textsafe.CleanN(note, 300))
			}
		}
	}
}
