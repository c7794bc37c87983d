// Package tinyface runs face-api.js's TinyFaceDetector in pure Go: a small
// convolutional network (a Tiny-YOLOv2 with depthwise-separable layers, 190k
// weights) that finds faces of any pose the network was trained on
// (frontal, three-quarter, profile, tilted), in colour or grey, down to
// about 1/20 of the network input.
//
// The embedded weights are tiny_face_detector_model.bin and its manifest
// from the @vladmandic/face-api npm package (a maintained fork of Vincent
// Mühler's face-api.js, which trained them); both are MIT-licensed, see
// NOTICE. The forward pass, box decoding and non-maximum suppression follow
// face-api.js 0.22.2 (TinyYolov2Base.runMobilenet, extractBoxes,
// nonMaxSuppression); reference/ holds the script that runs the original
// under node's plain CPU backend, and the tests compare with its output.
//
// A Net is immutable and safe for concurrent use.
package tinyface

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
	"sync"
)

//go:embed tiny_face_detector_model-weights_manifest.json
var defaultManifest []byte

//go:embed tiny_face_detector_model.bin
var defaultWeights []byte

// The network's constants (face-api.js tinyFaceDetector/const.ts).
var (
	anchors = [numAnchors][2]float64{
		{1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061},
		{4.266906, 5.178857}, {9.041765, 10.66308},
	}
	meanRGB = [3]float32{117.001, 114.697, 97.404}
)

const (
	numAnchors   = 5
	iouThreshold = 0.4
	// DefaultInputSize is face-api.js's default network input side.
	DefaultInputSize = 416
)

// Box is one detection in the input image's pixel coordinates (x, y of the
// top-left corner, width, height, unclipped as face-api.js reports it) and
// the network's objectness Score in 0..1.
type Box struct {
	X, Y, W, H float64
	Score      float64
}

// Rect is b rounded to integer pixels and clipped to bounds.
func (b Box) Rect(bounds image.Rectangle) image.Rectangle {
	r := image.Rect(int(math.Round(b.X)), int(math.Round(b.Y)), int(math.Round(b.X+b.W)), int(math.Round(b.Y+b.H)))
	return r.Add(bounds.Min).Intersect(bounds)
}

// sepLayer is a depthwise-separable 3x3 convolution with bias and leaky
// ReLU (face-api.js depthwiseSeparableConv).
type sepLayer struct {
	in, out    int
	depthwise  []float32 // [3][3][in]
	pointwise  []float32 // [in][out]
	pointwiseT []float32 // [out][in]
	bias       []float32 // [out]
}

// Net is a loaded TinyFaceDetector.
type Net struct {
	conv0     []float32 // [3][3][3][16], valid padding
	conv0T    []float32 // [16][27]
	conv0Bias []float32
	seps      [5]sepLayer // conv1..conv5
	conv8     []float32   // [512][25], 1x1
	conv8T    []float32   // [25][512]
	conv8Bias []float32
}

var defaultNet = sync.OnceValue(func() *Net {
	n, err := Load(defaultManifest, defaultWeights)
	if err != nil {
		panic(fmt.Sprintf("tinyface: embedded weights are invalid: %v", err))
	}
	return n
})

// Default returns the network with the embedded weights.
func Default() *Net { return defaultNet() }

// manifestEntry is one tensor of a tfjs weights manifest.
type manifestEntry struct {
	Name         string `json:"name"`
	Shape        []int  `json:"shape"`
	DType        string `json:"dtype"`
	Quantization *struct {
		DType string  `json:"dtype"`
		Scale float64 `json:"scale"`
		Min   float64 `json:"min"`
	} `json:"quantization"`
}

// Load reads TinyFaceDetector weights in tfjs's format: the weights
// manifest (JSON) and its single binary shard, float32 or uint8-quantized.
func Load(manifest, weights []byte) (*Net, error) {
	var groups []struct {
		Weights []manifestEntry `json:"weights"`
	}
	if err := json.Unmarshal(manifest, &groups); err != nil {
		return nil, fmt.Errorf("tinyface: weights manifest: %w", err)
	}
	if len(groups) != 1 {
		return nil, fmt.Errorf("tinyface: weights manifest has %d groups, want 1", len(groups))
	}
	tensors := map[string][]float32{}
	shapes := map[string][]int{}
	pos := 0
	for _, e := range groups[0].Weights {
		n := 1
		for _, d := range e.Shape {
			if d <= 0 || d > 1<<20 {
				return nil, fmt.Errorf("tinyface: %s: bad shape %v", e.Name, e.Shape)
			}
			n *= d
		}
		vals := make([]float32, n)
		switch {
		case e.Quantization != nil && e.Quantization.DType == "uint8":
			if pos+n > len(weights) {
				return nil, fmt.Errorf("tinyface: %s: weights file too short", e.Name)
			}
			for i, q := range weights[pos : pos+n] {
				vals[i] = float32(e.Quantization.Min + e.Quantization.Scale*float64(q))
			}
			pos += n
		case e.Quantization == nil && e.DType == "float32":
			if pos+4*n > len(weights) {
				return nil, fmt.Errorf("tinyface: %s: weights file too short", e.Name)
			}
			for i := range vals {
				b := weights[pos+4*i:]
				vals[i] = math.Float32frombits(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
			}
			pos += 4 * n
		default:
			return nil, fmt.Errorf("tinyface: %s: unsupported encoding %s", e.Name, e.DType)
		}
		tensors[e.Name], shapes[e.Name] = vals, e.Shape
	}
	if pos != len(weights) {
		return nil, fmt.Errorf("tinyface: weights file has %d bytes, the manifest describes %d", len(weights), pos)
	}
	get := func(name string, shape ...int) ([]float32, error) {
		v, ok := tensors[name]
		if !ok {
			return nil, fmt.Errorf("tinyface: weights lack %s", name)
		}
		if fmt.Sprint(shapes[name]) != fmt.Sprint(shape) {
			return nil, fmt.Errorf("tinyface: %s has shape %v, want %v", name, shapes[name], shape)
		}
		return v, nil
	}
	var n Net
	var errs []error
	must := func(v []float32, err error) []float32 {
		errs = append(errs, err)
		return v
	}
	n.conv0 = must(get("conv0/filters", 3, 3, 3, 16))
	n.conv0Bias = must(get("conv0/bias", 16))
	in := 16
	for i := range n.seps {
		out := in * 2
		p := fmt.Sprintf("conv%d/", i+1)
		n.seps[i] = sepLayer{
			in: in, out: out,
			depthwise: must(get(p+"depthwise_filter", 3, 3, in, 1)),
			pointwise: must(get(p+"pointwise_filter", 1, 1, in, out)),
			bias:      must(get(p+"bias", out)),
		}
		in = out
	}
	n.conv8 = must(get("conv8/filters", 1, 1, in, numAnchors*5))
	n.conv8Bias = must(get("conv8/bias", numAnchors*5))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n.conv0T = transpose(n.conv0, 27, 16)
	n.conv8T = transpose(n.conv8, in, numAnchors*5)
	for i := range n.seps {
		l := &n.seps[i]
		l.pointwiseT = transpose(l.pointwise, l.in, l.out)
	}
	return &n, nil
}

// Options tune a detection. Zero fields take the defaults.
type Options struct {
	// InputSize is the network input side: a multiple of 32 from 64 to
	// 1024 (default DefaultInputSize). Cost grows with its square; faces
	// down to about InputSize/20 of the image's long side are found.
	InputSize int
	// MinScore drops boxes scoring at or below it (default 0.1).
	MinScore float64
	// Unpadded pads the image only to multiples of 32 (scaled so its long
	// side is InputSize) instead of to a square: the same network on fewer
	// pixels (a 4:3 photo: 3/4 of the work). face-api.js always pads to
	// a square; boxes differ from its by a few pixels near the padding.
	Unpadded bool
}

func (o Options) withDefaults() (Options, error) {
	if o.InputSize == 0 {
		o.InputSize = DefaultInputSize
	}
	if o.InputSize%32 != 0 || o.InputSize < 64 || o.InputSize > 1024 {
		return o, fmt.Errorf("tinyface: input size %d: want a multiple of 32 from 64 to 1024", o.InputSize)
	}
	if o.MinScore <= 0 || o.MinScore >= 1 || math.IsNaN(o.MinScore) {
		o.MinScore = 0.1
	}
	return o, nil
}

// Detect finds faces in img, best first, after non-maximum suppression,
// exactly as face-api.js's detectAllFaces with TinyFaceDetectorOptions
// {inputSize, scoreThreshold: MinScore} on the same pixels.
func (n *Net) Detect(img image.Image, o Options) ([]Box, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if img == nil || img.Bounds().Empty() {
		return nil, nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	sw, sh := o.InputSize, o.InputSize
	if o.Unpadded {
		k := float64(o.InputSize) / float64(max(w, h))
		sw = min(o.InputSize, (int(math.Ceil(float64(w)*k))+31)/32*32)
		sh = min(o.InputSize, (int(math.Ceil(float64(h)*k))+31)/32*32)
	}
	// Passes up to the default input share pooled buffers; a larger one
	// (imageprep/face's small-face pass, 832 px) uses its own, dropped
	// after it, so the pool never holds its 6-8 MB tensors per CPU.
	sc := new(scratch)
	if sw*sh <= DefaultInputSize*DefaultInputSize {
		sc = scratches.Get().(*scratch)
		defer scratches.Put(sc)
	}
	x := inputTensor(img, o.InputSize, sw, sh, sc)
	gw, gh, out := n.forward(x, sw, sh, sc)
	boxes := decode(out, gw, gh, sw, sh, w, h, o)
	sc.put(out)
	return boxes, nil
}

// forward runs the network on an sh x sw x 3 input and returns the output
// grid's width and height and its gh x gw x 25 values.
func (n *Net) forward(x []float32, sw, sh int, sc *scratch) (int, int, []float32) {
	// Each layer's input goes back to sc once the layer has run.
	p, h, w := conv0Pool(x, sh, sw, n.conv0, n.conv0T, n.conv0Bias, sc)
	sc.put(x)
	c := 16
	for i := range n.seps {
		l := &n.seps[i]
		c = l.out
		if i < len(n.seps)-1 {
			// Pooled with stride 2 as the layer runs (applyPool).
			q, qh, qw := l.applyPool(p, h, w, sc)
			sc.put(p)
			p, h, w = q, qh, qw
			continue
		}
		a := l.apply(p, h, w, sc)
		sc.put(p)
		p, h, w = maxPool2(a, h, w, c, 1, sc)
		sc.put(a)
	}
	out := sc.get(h * w * len(n.conv8Bias))
	matmulPar(out, p, h*w, c, n.conv8, n.conv8T, n.conv8Bias, false)
	sc.put(p)
	return w, h, out
}

// decode turns the network output into boxes in the image's pixels
// (face-api.js TinyYolov2Base.extractBoxes, then nonMaxSuppression).
func decode(out []float32, gw, gh, sw, sh, imgW, imgH int, o Options) []Box {
	s := float64(o.InputSize)
	k := s / float64(max(imgW, imgH))
	rw, rh := math.Round(float64(imgW)*k), math.Round(float64(imgH)*k)
	// Grid units to fractions of the image (face-api.js: 1/numCells times
	// its correction factor inputSize/reshaped side).
	fx, fy := float64(sw)/float64(gw)/rw, float64(sh)/float64(gh)/rh
	var boxes []Box
	for row := range gh {
		for col := range gw {
			cell := out[(row*gw+col)*numAnchors*5:]
			for a := range numAnchors {
				v := cell[a*5 : a*5+5]
				score := sigmoid(float64(v[4]))
				if score <= o.MinScore {
					continue
				}
				cx := (float64(col) + sigmoid(float64(v[0]))) * fx
				cy := (float64(row) + sigmoid(float64(v[1]))) * fy
				bw := math.Exp(float64(v[2])) * anchors[a][0] * fx
				bh := math.Exp(float64(v[3])) * anchors[a][1] * fy
				boxes = append(boxes, Box{X: cx - bw/2, Y: cy - bh/2, W: bw, H: bh, Score: score})
			}
		}
	}
	boxes = nms(boxes, iouThreshold)
	for i := range boxes {
		b := &boxes[i]
		b.X, b.W = b.X*float64(imgW), b.W*float64(imgW)
		b.Y, b.H = b.Y*float64(imgH), b.H*float64(imgH)
	}
	return boxes
}

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }

// nms keeps the best box of every group overlapping by more than thr
// (intersection over union), best first.
func nms(boxes []Box, thr float64) []Box {
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].Score > boxes[j].Score })
	var keep []Box
	for _, b := range boxes {
		ok := true
		for _, k := range keep {
			if IoU(b, k) > thr {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, b)
		}
	}
	return keep
}

// IoU is the intersection over union of two boxes.
func IoU(a, b Box) float64 {
	iw := math.Max(0, math.Min(a.X+a.W, b.X+b.W)-math.Max(a.X, b.X))
	ih := math.Max(0, math.Min(a.Y+a.H, b.Y+b.H)-math.Max(a.Y, b.Y))
	in := iw * ih
	u := a.W*a.H + b.W*b.H - in
	if u <= 0 {
		return 0
	}
	return in / u
}
