// Package lbp is the LBP cascade face detector headshot used before the
// convolutional one (package face, via tinyface). It is kept only as the
// evaluation's baseline: the "old LBP" column of imageprep/face/eval. The
// product does not import it, so the shipped binary does not embed the
// cascade.
//
// It is a pure-Go evaluator of OpenCV's trained LBP cascades. The default
// detector embeds lbpcascade_frontalface_improved.xml (Puttemans, Ergun
// and Goedemé, KU Leuven, 2017; BSD 3-clause, see NOTICE and the licence
// header kept inside the XML). Detection follows OpenCV's
// CascadeClassifier::detectMultiScale: an image pyramid scanned with a
// fixed window, hits grouped with groupRectangles and minNeighbors. Each
// grouped hit is then checked for skin tone, and the neighbour count and
// skin ratio become a Score in 0..1 (Confident from 0.5).
//
// Typical use:
//
//	ds := lbp.Detect(img) // best first
//	if len(ds) > 0 && ds[0].Score >= lbp.Confident {
//		// ds[0].Rect is a face
//	}
//
// The pyramid, window scan and grouping reproduce OpenCV 4.6 exactly: the
// level resize is bit-exact with cv::resize(INTER_LINEAR_EXACT), and on the
// committed test photos every raw window hit and grouped face equals
// detectMultiScale's on the same grey image (see opencv_test.go).
//
// A Detector is immutable and safe for concurrent use.
package lbp

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"io"
	"math"
	"sort"
	"sync"
)

//go:embed lbpcascade_frontalface_improved.xml
var defaultCascade []byte

// Confident is the Score from which a detection can be trusted without a
// human looking at it: enough overlapping hits and a skin-coloured centre
// (or, for a greyscale photo, many overlapping hits).
const Confident = 0.5

// Detection is one face: Rect in the input image's coordinates and a Score
// in 0..1 (see Confident).
type Detection struct {
	Rect  image.Rectangle
	Score float64
}

// Params tunes a detection. Zero fields take the defaults.
type Params struct {
	// MinSize and MaxSize bound the face size in input pixels (0: from the
	// cascade's window size to the whole image).
	MinSize, MaxSize int
	// ScaleFactor is the pyramid step (default 1.1). Values at or below 1
	// take the default; values below minScaleFactor (1.01) are raised to
	// it, which bounds the number of pyramid levels.
	ScaleFactor float64
	// MinNeighbors: a face needs more than this many overlapping raw
	// window hits (default 3, as OpenCV's detectMultiScale).
	MinNeighbors int
	// MaxSide downscales inputs whose longer side exceeds it before
	// detection (default 600, at most maxMaxSide = 4096, which bounds the
	// working memory to about 8 bytes per working pixel). Faces smaller
	// than the cascade window at that resolution (45 px for the default
	// cascade) are not found.
	MaxSide int
}

// defaultParams are the values zero Params fields take.
var defaultParams = Params{ScaleFactor: 1.1, MinNeighbors: 3, MaxSide: 600}

// Bounds on Params that keep a detection's time and memory finite.
const (
	minScaleFactor = 1.01
	maxMaxSide     = 4096
)

func (p Params) withDefaults() Params {
	if p.ScaleFactor <= 1 || math.IsNaN(p.ScaleFactor) || math.IsInf(p.ScaleFactor, 0) {
		p.ScaleFactor = defaultParams.ScaleFactor
	}
	if p.MinNeighbors <= 0 {
		p.MinNeighbors = defaultParams.MinNeighbors
	}
	p.ScaleFactor = max(p.ScaleFactor, minScaleFactor)
	if p.MaxSide <= 0 {
		p.MaxSide = defaultParams.MaxSide
	}
	p.MaxSide = min(p.MaxSide, maxMaxSide)
	p.MinSize = max(p.MinSize, 0)
	p.MaxSize = max(p.MaxSize, 0)
	return p
}

// Detector evaluates one LBP cascade.
type Detector struct {
	c *cascade
}

// Load reads an OpenCV LBP cascade in the XML format written by
// opencv_traincascade (for example the lbpcascade_*.xml files of
// opencv-data). It rejects anything else with an error saying why.
func Load(r io.Reader) (*Detector, error) {
	c, err := parseCascade(r)
	if err != nil {
		return nil, err
	}
	return &Detector{c: c}, nil
}

var defaultDetector = sync.OnceValue(func() *Detector {
	d, err := Load(bytes.NewReader(defaultCascade))
	if err != nil {
		panic(fmt.Sprintf("lbp: embedded cascade is invalid: %v", err))
	}
	return d
})

// Default returns the detector for the embedded frontal-face cascade.
func Default() *Detector { return defaultDetector() }

// Detect finds faces with the default cascade and default Params, best
// first.
func Detect(img image.Image) []Detection {
	return Default().Detect(img, Params{})
}

// Detect finds faces in img, best first (highest Score, then largest).
func (d *Detector) Detect(img image.Image, p Params) []Detection {
	if img == nil || img.Bounds().Empty() {
		return nil
	}
	p = p.withDefaults()
	pl := toPlanes(img, p.MaxSide)
	toWork := func(n int) int { return int(math.Round(float64(n) / pl.scale)) }
	hits := d.c.scan(pl.y, pl.w, pl.h, toWork(p.MinSize), toWork(p.MaxSize), p.ScaleFactor)
	clusters := groupRects(hits, p.MinNeighbors, groupEps)
	out := make([]Detection, 0, len(clusters))
	for _, cl := range clusters {
		out = append(out, Detection{
			Rect:  pl.toInput(cl.rect),
			Score: score(cl.neighbors, p.MinNeighbors, pl, cl.rect),
		})
	}
	sortDetections(out)
	return out
}

// sortDetections orders detections best first: highest Score, then
// largest.
func sortDetections(out []Detection) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Rect.Dx()*out[i].Rect.Dy() > out[j].Rect.Dx()*out[j].Rect.Dy()
	})
}

// toInput maps a rectangle in working coordinates back to the input image,
// clamped to its bounds.
func (p *planes) toInput(r image.Rectangle) image.Rectangle {
	f := func(v int) int { return int(math.Round(float64(v) * p.scale)) }
	out := image.Rect(f(r.Min.X), f(r.Min.Y), f(r.Max.X), f(r.Max.Y)).Add(p.bounds.Min)
	return out.Intersect(p.bounds)
}

// score turns a cluster's neighbour count and skin ratio into 0..1.
//
// Neighbour support saturates: one hit more than minNeighbors gives 0.18,
// five more 0.63, a dozen more 0.91. Skin evidence multiplies it: a centre
// under 15% skin scores zero, over 45% counts fully. So a colour face is
// Confident from 4 hits past minNeighbors with a skin-coloured centre. A
// greyscale photo gives no skin evidence and takes a fixed 0.8: it needs 5
// hits past minNeighbors.
func score(neighbors, minNeighbors int, pl *planes, r image.Rectangle) float64 {
	extra := float64(neighbors - minNeighbors)
	support := 1 - math.Exp(-extra/5)
	var skin float64
	if pl.grey {
		skin = 0.8
	} else {
		skin = (pl.skinRatio(r) - 0.15) / 0.30
		skin = min(1, max(0, skin))
	}
	return support * skin
}
