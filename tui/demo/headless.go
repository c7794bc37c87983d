package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"headshot/imageprep/textsafe"
	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// Summary is how a headless run ended.
type Summary struct {
	Uploaded, Failed, Held, Other int
	// HeldPhotos are "person: why" lines, one per photo held for review.
	HeldPhotos []string
	// PerPlatform counts uploaded, failed and held items per platform.
	PerPlatform map[upload.Platform][3]int
	// Failures are "platform person: class" lines, sorted.
	Failures  []string
	Throttles int // 429s received, all platforms
}

// Headless sends every sample to every platform through the upload engine,
// printing one line per notable event to w, then a summary. verbose prints
// every event (queued, preparing, uploading too).
func (d *Demo) Headless(ctx context.Context, w io.Writer, verbose bool) (Summary, error) {
	clients, err := d.Config.Clients()
	if err != nil {
		return Summary{}, err
	}
	j, err := journal.Open(d.Config.Journal)
	if err != nil {
		return Summary{}, err
	}
	defer j.Close()
	eng, err := engine.New(engine.Config{Clients: clients, Prep: d.Config.PrepOptions(), Journal: j})
	if err != nil {
		return Summary{}, err
	}
	start := time.Now()
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		for ev := range eng.Events() {
			if line := formatEvent(ev, start, verbose); line != "" {
				fmt.Fprintln(w, line)
			}
		}
	}()
	eng.Start(ctx)
	var jobs []engine.Job
	for _, s := range d.Samples {
		jobs = append(jobs, engine.Job{Path: s.Path, Person: s.Person})
	}
	eng.Submit(jobs...)
	werr := eng.Wait(ctx)
	items := eng.Items()
	stats := eng.Snapshot()
	eng.Close()
	<-printed

	sum := Summary{PerPlatform: map[upload.Platform][3]int{}}
	for _, st := range stats {
		sum.Throttles += st.Throttles
	}
	for _, it := range items {
		c := sum.PerPlatform[it.Platform]
		switch it.State {
		case journal.StateUploaded:
			sum.Uploaded++
			c[0]++
		case engine.StateHeld:
			sum.Held++
			c[2]++
			line := textsafe.Clean(it.Person) + ": " + textsafe.Clean(strings.Join(it.Review, "; "))
			if !slices.Contains(sum.HeldPhotos, line) {
				sum.HeldPhotos = append(sum.HeldPhotos, line)
			}
		case journal.StateFailed:
			sum.Failed++
			c[1]++
			why := "failed"
			if it.Err != nil {
				why = it.Err.Class.String()
			}
			sum.Failures = append(sum.Failures, fmt.Sprintf("%s %s: %s", it.Platform, textsafe.Clean(it.Person), why))
		default:
			sum.Other++
		}
		sum.PerPlatform[it.Platform] = c
	}
	sort.Strings(sum.Failures)
	sort.Strings(sum.HeldPhotos)
	printSummary(w, sum, time.Since(start))
	if werr != nil {
		return sum, fmt.Errorf("demo: %w", werr)
	}
	return sum, nil
}

func formatEvent(ev engine.Event, start time.Time, verbose bool) string {
	switch ev.Kind {
	case engine.EventQueued, engine.EventPreparing, engine.EventUploading:
		if !verbose {
			return ""
		}
	}
	at := ev.Time
	if at.IsZero() {
		at = time.Now()
	}
	head := fmt.Sprintf("%6.1fs %-9s %-10s", at.Sub(start).Seconds(), ev.Platform, ev.Kind)
	who := textsafe.Clean(ev.Person)
	switch ev.Kind {
	case engine.EventUploaded:
		return fmt.Sprintf("%s %s (%d bytes)", head, who, ev.Bytes)
	case engine.EventThrottled:
		wait := time.Until(ev.Until).Round(100 * time.Millisecond)
		return fmt.Sprintf("%s throttled: sending again in %s", head, wait)
	case engine.EventFailed, engine.EventRetrying, engine.EventHeld:
		why := ""
		if ev.Message != "" {
			why = textsafe.CleanN(ev.Message, 160)
		} else if ev.Err != nil {
			why = textsafe.CleanN(ev.Err.Error(), 160)
		}
		return strings.TrimRight(fmt.Sprintf("%s %s: %s", head, who, why), " ")
	}
	msg := textsafe.CleanN(ev.Message, 160)
	return strings.TrimRight(fmt.Sprintf("%s %s %s", head, who, msg), " ")
}

func printSummary(w io.Writer, s Summary, took time.Duration) {
	// Uploads are photo x platform; held photos are counted as photos (the
	// list below names each once), with the uploads they stopped.
	fmt.Fprintf(w, "\nDone in %s: %d uploaded, %d failed", took.Round(100*time.Millisecond), s.Uploaded, s.Failed)
	if s.Other > 0 {
		fmt.Fprintf(w, ", %d other", s.Other)
	}
	if n := len(s.HeldPhotos); n > 0 {
		fmt.Fprintf(w, "; %s held for review (%d uploads not sent)", common.Plural(n, "photo"), s.Held)
	}
	fmt.Fprintf(w, "; %s (429)\n", common.Plural(s.Throttles, "throttled answer"))
	for _, p := range upload.Platforms() {
		if c, ok := s.PerPlatform[p]; ok {
			line := fmt.Sprintf("  %-20s %3d uploaded %3d failed", p.Title(), c[0], c[1])
			if c[2] > 0 {
				line += fmt.Sprintf(" %3d held", c[2])
			}
			fmt.Fprintln(w, line)
		}
	}
	if len(s.HeldPhotos) > 0 {
		fmt.Fprintln(w, "Held for review, sent nowhere (approve on the Correct screen; the 1x1 placeholder cannot be):")
		for _, h := range s.HeldPhotos {
			fmt.Fprintln(w, "  "+h)
		}
	}
	if len(s.Failures) > 0 {
		fmt.Fprintln(w, "Failures (expected in the demo: one unknown person, one photo Zoom refuses):")
		for _, f := range s.Failures {
			fmt.Fprintln(w, "  "+f)
		}
	}
}
