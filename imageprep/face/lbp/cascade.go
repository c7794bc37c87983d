package lbp

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxCascadeBytes bounds how much of a cascade file Load reads; OpenCV's
// LBP cascades are 50-140 KB.
const maxCascadeBytes = 8 << 20

// thresholdEps is subtracted from every stage threshold when a cascade is
// read, in float32 as OpenCV's CascadeClassifierImpl::Data::read does.
const thresholdEps = 1e-5

// lbpFeature is one multi-block LBP feature: a 3x3 grid of w x h blocks
// whose top-left corner is (x, y) in the detection window.
type lbpFeature struct{ x, y, w, h int }

// treeNode is one split of a categorical decision tree. left and right are
// the next node (> 0, relative to the tree's first node) or a leaf (<= 0,
// the leaf index is -value). subset is the 256-bit category set sending a
// sample left.
type treeNode struct {
	feature     int
	left, right int
	subset      [8]uint32
}

// tree is one weak classifier.
type tree struct {
	nodes  []treeNode
	leaves []float64
}

// stage is one boosted stage: the sum of its trees' leaves must reach
// threshold for a window to pass.
type stage struct {
	threshold float64
	trees     []tree
}

// cascade is a parsed OpenCV LBP boosted cascade (new-style XML format).
type cascade struct {
	width, height int
	stages        []stage
	features      []lbpFeature
}

// XML shapes of OpenCV's cascade format (cv::FileStorage, new style).
type xmlStorage struct {
	XMLName xml.Name   `xml:"opencv_storage"`
	Cascade xmlCascade `xml:"cascade"`
}

type xmlCascade struct {
	StageType   string       `xml:"stageType"`
	FeatureType string       `xml:"featureType"`
	Height      string       `xml:"height"`
	Width       string       `xml:"width"`
	MaxCatCount string       `xml:"featureParams>maxCatCount"`
	StageNum    string       `xml:"stageNum"`
	Stages      []xmlStage   `xml:"stages>_"`
	Features    []xmlFeature `xml:"features>_"`
}

type xmlStage struct {
	Threshold string    `xml:"stageThreshold"`
	Weak      []xmlWeak `xml:"weakClassifiers>_"`
}

type xmlWeak struct {
	InternalNodes string `xml:"internalNodes"`
	LeafValues    string `xml:"leafValues"`
}

type xmlFeature struct {
	Rect string `xml:"rect"`
}

// parseCascade reads an OpenCV LBP cascade in the new-style XML format
// written by opencv_traincascade.
func parseCascade(r io.Reader) (*cascade, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxCascadeBytes+1))
	if err != nil {
		return nil, fmt.Errorf("face cascade: read: %w", err)
	}
	if len(data) > maxCascadeBytes {
		return nil, fmt.Errorf("face cascade: larger than %d bytes", maxCascadeBytes)
	}
	var doc xmlStorage
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("face cascade: not an OpenCV cascade XML: %w", err)
	}
	x := doc.Cascade
	if strings.TrimSpace(x.StageType) != "BOOST" {
		return nil, fmt.Errorf("face cascade: stageType %q, want BOOST (is this a new-style OpenCV cascade?)", strings.TrimSpace(x.StageType))
	}
	if ft := strings.TrimSpace(x.FeatureType); ft != "LBP" {
		return nil, fmt.Errorf("face cascade: featureType %q, only LBP cascades are supported", ft)
	}
	c := &cascade{}
	if c.width, err = positiveInt("width", x.Width, 1000); err != nil {
		return nil, err
	}
	if c.height, err = positiveInt("height", x.Height, 1000); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(x.MaxCatCount); s != "" {
		n, err := positiveInt("maxCatCount", s, 256)
		if err != nil {
			return nil, err
		}
		if n != 256 {
			return nil, fmt.Errorf("face cascade: maxCatCount %d, LBP needs 256", n)
		}
	}
	for i, f := range x.Features {
		v, err := ints(f.Rect)
		if err != nil || len(v) != 4 {
			return nil, fmt.Errorf("face cascade: feature %d: rect %q is not four integers", i, strings.TrimSpace(f.Rect))
		}
		ft := lbpFeature{v[0], v[1], v[2], v[3]}
		if ft.x < 0 || ft.y < 0 || ft.w <= 0 || ft.h <= 0 || ft.x+3*ft.w > c.width || ft.y+3*ft.h > c.height {
			return nil, fmt.Errorf("face cascade: feature %d: rect %v lies outside the %dx%d window", i, v, c.width, c.height)
		}
		c.features = append(c.features, ft)
	}
	if len(x.Stages) == 0 {
		return nil, errors.New("face cascade: no stages")
	}
	if s := strings.TrimSpace(x.StageNum); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n != len(x.Stages) {
			return nil, fmt.Errorf("face cascade: stageNum %q but %d stages present", s, len(x.Stages))
		}
	}
	for si, xs := range x.Stages {
		th, err := strconv.ParseFloat(strings.TrimSpace(xs.Threshold), 64)
		if err != nil {
			return nil, fmt.Errorf("face cascade: stage %d: stageThreshold %q is not a number", si, strings.TrimSpace(xs.Threshold))
		}
		st := stage{threshold: float64(float32(th) - float32(thresholdEps))}
		if len(xs.Weak) == 0 {
			return nil, fmt.Errorf("face cascade: stage %d has no weak classifiers", si)
		}
		for wi, w := range xs.Weak {
			t, err := parseTree(w, len(c.features))
			if err != nil {
				return nil, fmt.Errorf("face cascade: stage %d tree %d: %w", si, wi, err)
			}
			st.trees = append(st.trees, t)
		}
		c.stages = append(c.stages, st)
	}
	return c, nil
}

// parseTree decodes one weak classifier. Each internal node is written as
// "left right featureIdx" followed by eight 32-bit category-subset words;
// leaves are listed separately.
func parseTree(w xmlWeak, nfeatures int) (tree, error) {
	const nodeLen = 3 + 8
	v, err := ints(w.InternalNodes)
	if err != nil {
		return tree{}, fmt.Errorf("internalNodes: %w", err)
	}
	if len(v) == 0 || len(v)%nodeLen != 0 {
		return tree{}, fmt.Errorf("internalNodes has %d values, want a multiple of %d (LBP categorical splits)", len(v), nodeLen)
	}
	var t tree
	for _, f := range strings.Fields(w.LeafValues) {
		leaf, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return tree{}, fmt.Errorf("leafValues: %q is not a number", f)
		}
		t.leaves = append(t.leaves, float64(float32(leaf)))
	}
	nnodes := len(v) / nodeLen
	if len(t.leaves) != nnodes+1 {
		return tree{}, fmt.Errorf("%d leaves for %d nodes, want %d", len(t.leaves), nnodes, nnodes+1)
	}
	for i := 0; i < nnodes; i++ {
		n := v[i*nodeLen : (i+1)*nodeLen]
		node := treeNode{left: n[0], right: n[1], feature: n[2]}
		if node.feature < 0 || node.feature >= nfeatures {
			return tree{}, fmt.Errorf("feature index %d out of range (0..%d)", node.feature, nfeatures-1)
		}
		for _, next := range []int{node.left, node.right} {
			// Children point forward (so evaluation always ends) or at a leaf.
			if next > 0 && (next <= i || next >= nnodes) || next <= 0 && -next >= len(t.leaves) {
				return tree{}, fmt.Errorf("node %d: child %d out of range", i, next)
			}
		}
		for k := 0; k < 8; k++ {
			node.subset[k] = uint32(int32(n[3+k]))
		}
		t.nodes = append(t.nodes, node)
	}
	return t, nil
}

// ints parses whitespace-separated 32-bit integers.
func ints(s string) ([]int, error) {
	fields := strings.Fields(s)
	out := make([]int, 0, len(fields))
	for _, f := range fields {
		n, err := strconv.ParseInt(f, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%q is not a 32-bit integer", f)
		}
		out = append(out, int(n))
	}
	return out, nil
}

func positiveInt(name, s string, max int) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > max {
		return 0, fmt.Errorf("face cascade: %s %q is not an integer in 1..%d", name, s, max)
	}
	return n, nil
}
