// Command eval measures headshot's face detection on real photographs:
// found / missed / false faces per category, precision, recall, group
// photos flagged, and a framing score, for the current detector (face.Find,
// what imageprep uses), the old LBP cascade pipeline, and OpenCV's Haar
// cascades (frontal + profile, from opencv_haar.py's output) on the same
// photos.
//
//	imageprep/face/eval/fetch.sh                   # the photos (not committed)
//	python3 imageprep/face/eval/opencv_haar.py     # optional: the OpenCV reference
//	go run ./imageprep/face/eval [-dir DIR] [-sheet contact.png]
//
// The photos and their hand-checked face boxes are listed in set.json;
// variants (tilted, low-light, small) are made from some of them and
// written to DIR/variants/.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/disintegration/imaging"

	"headshot/imageprep"
	"headshot/imageprep/face"
	"headshot/imageprep/face/lbp"
)

func main() {
	dir := flag.String("dir", defaultDir(), "folder of the photos fetch.sh fetched")
	sheet := flag.String("sheet", "", "write a contact sheet PNG of the current detector's boxes and crops")
	scores := flag.Bool("scores", false, "print how face.Find's scores split right from wrong detections (for calibration)")
	flag.Parse()
	if *scores {
		if err := scoreSplit(*dir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "eval:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dir, *sheet, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// detector is one contender: a name and a function from a photo (with its
// file name, for detectors whose output was computed elsewhere) to the
// faces it accepts.
type detector struct {
	name   string
	detect func(file string, img image.Image) []detection
	accept float64                  // the Score from which a detection is taken as a face
	people func(ds []detection) int // how many people the detections mean (nil: those accepted)
	frame  func(f image.Rectangle, w, h int) image.Rectangle
}

func frameFace(f image.Rectangle, w, h int) image.Rectangle {
	c, _ := imageprep.FrameFace(f, w, h)
	return c
}

// detectors lists the contenders whose inputs exist.
func detectors(dir string) ([]detector, error) {
	ds := []detector{
		{name: "new (face.Find)", detect: func(_ string, img image.Image) []detection {
			var out []detection
			for _, d := range face.Find(img) {
				out = append(out, detection{d.Rect, d.Score})
			}
			return out
		}, accept: face.Confident, people: func(ds []detection) int {
			var fs []face.Detection
			for _, d := range ds {
				fs = append(fs, face.Detection{Rect: d.Rect, Score: d.Score})
			}
			return len(face.People(fs))
		}, frame: frameFace},
		{name: "old (LBP 384/600/900)", detect: oldLBP, frame: frameFace},
	}
	data, err := os.ReadFile(filepath.Join(dir, "opencv.json"))
	if os.IsNotExist(err) {
		return ds, nil
	}
	if err != nil {
		return nil, err
	}
	var ref map[string][][4]int
	if err := json.Unmarshal(data, &ref); err != nil {
		return nil, fmt.Errorf("opencv.json: %w", err)
	}
	ds = append(ds, detector{name: "OpenCV Haar", detect: func(file string, _ image.Image) []detection {
		var out []detection
		for _, r := range ref[file] {
			out = append(out, detection{image.Rect(r[0], r[1], r[0]+r[2], r[1]+r[3]), 1})
		}
		return out
	}, frame: frameFace})
	return ds, nil
}

// oldLBP is imageprep's detection before the CNN: the LBP cascade on
// copies 384, 600 and 900 px long, coarse first, stopping at the first
// pass with a face; faces scoring 0.2 or more, at least 0.4 of the widest,
// counted.
func oldLBP(_ string, img image.Image) []detection {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	var out []detection
	for _, side := range []int{384, 600, 900} {
		work := img
		k := 1.0
		if long > side {
			k = float64(long) / float64(side)
			work = imaging.Resize(img, int(float64(b.Dx())/k+0.5), int(float64(b.Dy())/k+0.5), imaging.Box)
		}
		out = out[:0]
		maxW := 0
		ds := lbp.Default().Detect(work, lbp.Params{MaxSide: 900})
		for _, d := range ds {
			maxW = max(maxW, d.Rect.Dx())
		}
		for _, d := range ds {
			if d.Score < 0.2 || float64(d.Rect.Dx()) < 0.4*float64(maxW) {
				continue
			}
			r := d.Rect
			r = image.Rect(int(float64(r.Min.X)*k), int(float64(r.Min.Y)*k), int(float64(r.Max.X)*k), int(float64(r.Max.Y)*k))
			out = append(out, detection{r, d.Score})
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

// tally sums outcomes.
type tally struct {
	photos, found, missed, falses int
	framed, framedOK              int // one-person photos, and those framed well
	groups, groupsFlagged         int // photos of several people, and those with 2+ faces accepted
	singles, singlesFlagged       int // photos of one person, and those with 2+ faces accepted
	noFace, noFaceFalse           int // photos without a person, and those with a face accepted
}

func (t *tally) add(p photo, o outcome) {
	t.photos++
	t.found += o.found
	t.missed += o.missed
	t.falses += o.false_
	switch n := len(p.Faces); {
	case n == 0:
		t.noFace++
		if len(o.accepted) > 0 {
			t.noFaceFalse++
		}
	case n == 1:
		t.singles++
		if o.people > 1 {
			t.singlesFlagged++
		}
		t.framed++
		if o.framingOK {
			t.framedOK++
		}
	default:
		t.groups++
		if o.people > 1 {
			t.groupsFlagged++
		}
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

// result is every detector's outcome on every photo.
type result struct {
	photos []photo
	dets   []detector
	out    [][]outcome // [detector][photo]
}

func evaluate(dir string) (*result, error) {
	s, err := loadSet()
	if err != nil {
		return nil, err
	}
	photos, err := expand(s, dir)
	if err != nil {
		return nil, err
	}
	dets, err := detectors(dir)
	if err != nil {
		return nil, err
	}
	res := &result{photos: photos, dets: dets, out: make([][]outcome, len(dets))}
	for i := range dets {
		res.out[i] = make([]outcome, len(photos))
	}
	for pi, p := range photos {
		img, err := decodeFile(filepath.Join(dir, p.File))
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		truth := p.boxes()
		for di, d := range dets {
			all := d.detect(p.File, img)
			var acc []detection
			for _, x := range all {
				if x.Score >= d.accept {
					acc = append(acc, x)
				}
			}
			o := outcome{accepted: acc, people: len(acc)}
			if d.people != nil {
				o.people = d.people(all)
			}
			o.found, o.missed, o.false_ = score(truth, acc)
			if len(acc) > 0 {
				best := slices.MaxFunc(acc, func(a, b detection) int { return a.Rect.Dx()*a.Rect.Dy() - b.Rect.Dx()*b.Rect.Dy() })
				o.crop = d.frame(best.Rect.Sub(b.Min), b.Dx(), b.Dy())
				if len(truth) == 1 {
					o.framingOK = goodFraming(o.crop, truth[0].Sub(b.Min), b.Dx(), b.Dy())
				}
			}
			res.out[di][pi] = o
		}
	}
	return res, nil
}

func run(dir, sheet string, w io.Writer) error {
	if _, err := os.Stat(filepath.Join(dir, "clm-cage.jpg")); err != nil {
		return fmt.Errorf("no photos in %s: run imageprep/face/eval/fetch.sh first", dir)
	}
	res, err := evaluate(dir)
	if err != nil {
		return err
	}
	res.print(w)
	if sheet != "" {
		if err := res.contactSheet(dir, sheet, 0); err != nil {
			return err
		}
		fmt.Fprintf(w, "contact sheet: %s\n", sheet)
	}
	return nil
}

// categories in table order.
func (r *result) categories() []string {
	var cats []string
	for _, p := range r.photos {
		for _, t := range p.Tags {
			if !slices.Contains(cats, t) {
				cats = append(cats, t)
			}
		}
	}
	return cats
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "%d photos (%d with people); found/missed/false faces per category\n\n", len(r.photos), countWithFaces(r.photos))
	fmt.Fprintf(w, "%-16s %6s", "category", "photos")
	for _, d := range r.dets {
		fmt.Fprintf(w, " | %-22s", d.name)
	}
	fmt.Fprintln(w)
	rows := append(r.categories(), "all")
	totals := make([]tally, len(r.dets))
	for _, cat := range rows {
		n := 0
		cells := make([]tally, len(r.dets))
		for pi, p := range r.photos {
			if cat != "all" && !slices.Contains(p.Tags, cat) {
				continue
			}
			n++
			for di := range r.dets {
				cells[di].add(p, r.out[di][pi])
			}
		}
		fmt.Fprintf(w, "%-16s %6d", cat, n)
		for di, c := range cells {
			fmt.Fprintf(w, " | %-22s", fmt.Sprintf("%d/%d/%d", c.found, c.missed, c.falses))
			if cat == "all" {
				totals[di] = c
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	line := func(label string, f func(t tally) string) {
		fmt.Fprintf(w, "%-23s", label)
		for _, t := range totals {
			fmt.Fprintf(w, " | %-22s", f(t))
		}
		fmt.Fprintln(w)
	}
	line("precision", func(t tally) string { return pct(t.found, t.found+t.falses) })
	line("recall", func(t tally) string { return pct(t.found, t.found+t.missed) })
	line("framing score", func(t tally) string {
		return fmt.Sprintf("%s (%d/%d)", pct(t.framedOK, t.framed), t.framedOK, t.framed)
	})
	line("groups: several people", func(t tally) string { return fmt.Sprintf("%d/%d", t.groupsFlagged, t.groups) })
	line("singles: several people", func(t tally) string { return fmt.Sprintf("%d/%d", t.singlesFlagged, t.singles) })
	line("no-face w/ a face", func(t tally) string { return fmt.Sprintf("%d/%d", t.noFaceFalse, t.noFace) })
	fmt.Fprintf(w, "\nfound/missed/false: a face counts as found when a detection's centre is in the\n"+
		"hand-checked box and the box's centre in the detection; framing: one-person photos\n"+
		"whose crop keeps the whole face, a third of its height above it (when the photo has\n"+
		"it) and the face at least a quarter of the square.\n")
	var missed []string
	for pi, p := range r.photos {
		o := r.out[0][pi]
		if o.missed > 0 || o.false_ > 0 || (len(p.Faces) == 1 && !o.framingOK) {
			missed = append(missed, fmt.Sprintf("%s (%d/%d/%d, framing %v)", p.File, o.found, o.missed, o.false_, o.framingOK))
		}
	}
	if len(missed) > 0 {
		fmt.Fprintf(w, "\n%s not perfect on: %s\n", r.dets[0].name, strings.Join(missed, ", "))
	}
}

func countWithFaces(ps []photo) int {
	n := 0
	for _, p := range ps {
		if len(p.Faces) > 0 {
			n++
		}
	}
	return n
}

// scoreSplit prints, for every face.Find detection on every photo, whether
// it was a real face, as counts of right and wrong detections above each
// score threshold: the data calibrate() in package face is fitted to.
func scoreSplit(dir string, w io.Writer) error {
	s, err := loadSet()
	if err != nil {
		return err
	}
	photos, err := expand(s, dir)
	if err != nil {
		return err
	}
	var right, wrong []float64
	for _, p := range photos {
		img, err := decodeFile(filepath.Join(dir, p.File))
		if err != nil {
			return err
		}
		truth := p.boxes()
		used := make([]bool, len(truth))
		for _, d := range face.Find(img) {
			hit := false
			for i, t := range truth {
				if !used[i] && matches(d.Rect, t) {
					used[i], hit = true, true
					break
				}
			}
			if hit {
				right = append(right, d.Score)
			} else {
				wrong = append(wrong, d.Score)
				fmt.Fprintf(w, "wrong %.3f %s %v\n", d.Score, p.File, d.Rect)
			}
		}
	}
	fmt.Fprintf(w, "%d right, %d wrong detections\nscore>=  right  wrong\n", len(right), len(wrong))
	for t := 0.15; t < 1; t += 0.05 {
		n := func(xs []float64) int {
			c := 0
			for _, x := range xs {
				if x >= t {
					c++
				}
			}
			return c
		}
		fmt.Fprintf(w, "%.2f  %5d  %5d\n", t, n(right), n(wrong))
	}
	return nil
}
