package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"headshot/imageprep"
	"headshot/upload"
	"headshot/upload/journal"
)

// Plan is what sending a set of jobs would do, worked out before anything
// is sent: the TUI's "Send 13 photos to 5 platforms?" question and the
// first lines of `headshot upload`. It reads the journal and prepares each
// photo once (the review gate), as the run itself will; it resolves
// nobody and sends nothing.
type Plan struct {
	DryRun    bool              // the run sends nothing (Config.DryRun): the headless line says "Would send"
	Photos    int               // photos that would be sent to at least one platform
	Platforms []upload.Platform // the platforms the jobs go to
	Uploads   int               // (photo, platform) pairs that would be sent
	Held      []HeldPhoto       // photos held for review (or too small to be a photo)
	Replace   int               // photos that replace one sent before (journal: another photo or crop)
	Unchanged int               // photos every target already has unchanged: skipped
	Unusable  []HeldPhoto       // photos that cannot be prepared (unreadable, corrupt): will fail
	// Slowest is the platform that needs longest for its uploads, at its
	// rate limit (zero Platform when nothing would be sent).
	Slowest Estimate
}

// HeldPhoto is one photo a Plan will not send, and why.
type HeldPhoto struct {
	Path, Person string
	Reasons      []string
}

// Estimate is how long one platform needs for its uploads at its limit.
type Estimate struct {
	Platform upload.Platform
	Rate     upload.Rate
	Uploads  int
	Time     time.Duration
}

// MakePlan works out what sending jobs with cfg would do. ctx bounds the
// preparation (a big batch takes a while: call it off the UI loop).
func MakePlan(ctx context.Context, cfg Config, jobs []Job) (Plan, error) {
	prepare := cfg.Prepare
	if prepare == nil {
		pr := cfg.Preparer
		if pr == nil {
			pr = imageprep.NewPreparer()
		}
		prepare = pr.Prepare
	}
	limits := map[upload.Platform]upload.Limits{}
	var all []upload.Platform
	for _, c := range cfg.Clients {
		if c == nil {
			return Plan{}, errors.New("engine: nil platform client")
		}
		if _, dup := limits[c.Platform()]; !dup {
			all = append(all, c.Platform())
		}
		limits[c.Platform()] = c.Limits()
	}
	pl := Plan{Platforms: all, DryRun: cfg.DryRun}
	hasher := newPrepCache(prepare)
	perPlatform := map[upload.Platform]int{}
	targeted := map[upload.Platform]bool{}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return pl, err
		}
		plats := j.Platforms
		if plats == nil {
			plats = all
		}
		for _, p := range plats {
			targeted[p] = true
		}
		hash, err := hasher.sourceHash(j.Path)
		if err != nil {
			pl.Unusable = append(pl.Unusable, HeldPhoto{Path: j.Path, Person: j.Person, Reasons: []string{"cannot read the photo: " + err.Error()}})
			continue
		}
		var first upload.Limits
		if len(plats) > 0 {
			first = limits[plats[0]]
		}
		o, _ := prepOptions(cfg, first, j, hash)
		res, err := prepare(ctx, j.Path, o)
		if err != nil {
			if ctx.Err() != nil {
				return pl, ctx.Err()
			}
			var pe *imageprep.Error
			if errors.As(err, &pe) && pe.Kind == imageprep.KindTooSmall {
				pl.Held = append(pl.Held, HeldPhoto{Path: j.Path, Person: j.Person, Reasons: tooSmallReason(pe)})
			} else {
				pl.Unusable = append(pl.Unusable, HeldPhoto{Path: j.Path, Person: j.Person, Reasons: []string{err.Error()}})
			}
			continue
		}
		if res.NeedsReview() && !approvedFor(cfg, j, hash) {
			pl.Held = append(pl.Held, HeldPhoto{Path: j.Path, Person: j.Person, Reasons: res.Review()})
			continue
		}
		sends, replaces := 0, false
		for _, p := range plats {
			lim, ok := limits[p]
			if !ok {
				continue // not configured: the run reports it
			}
			person := j.Person
			if v := j.People[p]; v != "" {
				person = v
			}
			_, profile := prepOptions(cfg, lim, j, hash)
			if cfg.Journal != nil {
				prev, ok, err := cfg.Journal.Get(person, p)
				if err == nil && ok && prev.State == journal.StateUploaded {
					if unchanged(prev, hash, profile) && !j.Force && !cfg.Force {
						continue // unchanged: skipped
					}
					replaces = true
				}
			}
			sends++
			perPlatform[p]++
		}
		switch {
		case sends == 0:
			pl.Unchanged++
		default:
			pl.Photos++
			pl.Uploads += sends
			if replaces {
				pl.Replace++
			}
		}
	}
	// "to N platforms" counts where the photos go: one photo sent again
	// to Zoom alone (Correct's target) is not "to 7 platforms".
	pl.Platforms = pl.Platforms[:0:0]
	for _, p := range all {
		if targeted[p] {
			pl.Platforms = append(pl.Platforms, p)
		}
	}
	for _, p := range all {
		n := perPlatform[p]
		if n == 0 {
			continue
		}
		est := estimate(p, limits[p], n)
		if est.Time > pl.Slowest.Time || pl.Slowest.Platform == "" {
			pl.Slowest = est
		}
	}
	return pl, nil
}

// estimate is the time n uploads take at the platform's limit: requests
// (batches for a batch client) spaced at the rate, after its burst.
func estimate(p upload.Platform, lim upload.Limits, n int) Estimate {
	est := Estimate{Platform: p, Rate: lim.Rate, Uploads: n}
	ps := lim.Rate.PerSecond()
	if ps <= 0 {
		return est
	}
	reqs := n
	if lim.BatchSize > 1 {
		reqs = (n + lim.BatchSize - 1) / lim.BatchSize
	}
	reqs -= max(lim.Burst, 1)
	if reqs > 0 {
		est.Time = time.Duration(float64(reqs) / ps * float64(time.Second))
	}
	return est
}

// Sentence is the plan in one line. As a question (the TUI's
// confirmation): "Send 13 photos to 5 platforms (65 uploads)? 2 held for
// review, 3 replace photos sent before, Interact at 6/min needs about 2
// min"; else (headless, before sending) "Sending 13 photos ...: ...",
// or in a dry run "Would send 13 photos ...: ...".
func (pl Plan) Sentence(question bool) string {
	head := fmt.Sprintf("%s to %s (%s)", upload.Plural(pl.Photos, "photo"), upload.Plural(len(pl.Platforms), "platform"), upload.Plural(pl.Uploads, "upload"))
	if question {
		head = "Send " + head + "?"
	} else if pl.DryRun {
		head = "Would send " + head + ":"
	} else {
		head = "Sending " + head + ":"
	}
	var parts []string
	if n := len(pl.Held); n > 0 {
		parts = append(parts, fmt.Sprintf("%d held for review", n))
	}
	if pl.Replace > 0 {
		verb := "replace"
		if pl.Replace == 1 {
			verb = "replaces"
		}
		parts = append(parts, fmt.Sprintf("%d %s %s sent before", pl.Replace, verb, pluralWord(pl.Replace, "a photo", "photos")))
	}
	if pl.Unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged (skipped)", pl.Unchanged))
	}
	if n := len(pl.Unusable); n > 0 {
		parts = append(parts, fmt.Sprintf("%d cannot be prepared", n))
	}
	if s := pl.Slowest; s.Platform != "" && s.Time >= 10*time.Second {
		parts = append(parts, fmt.Sprintf("%s at %s needs about %s", s.Platform.Title(), s.Rate, roughDuration(s.Time)))
	}
	if len(parts) == 0 {
		if question {
			return head
		}
		return strings.TrimSuffix(head, ":")
	}
	return head + " " + strings.Join(parts, ", ")
}

// roughDuration says d the way a person would: "40 s", "2 min", "1 h 5 min".
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(math.Ceil(d.Seconds()/10))*10)
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(math.Ceil(d.Minutes())))
	}
	h := int(d.Hours())
	return fmt.Sprintf("%d h %d min", h, int(math.Ceil(d.Minutes()))-60*h)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
