package lbp

import (
	"bytes"
	"image"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLoadParsesEmbeddedCascade(t *testing.T) {
	d, err := Load(bytes.NewReader(defaultCascade))
	if err != nil {
		t.Fatal(err)
	}
	c := d.c
	src := string(defaultCascade)
	if c.width != 45 || c.height != 45 {
		t.Errorf("window %dx%d, want 45x45", c.width, c.height)
	}
	if want := strings.Count(src, "<stageThreshold>"); len(c.stages) != want {
		t.Errorf("%d stages, the XML has %d", len(c.stages), want)
	}
	if want := strings.Count(src, "<rect>"); len(c.features) != want {
		t.Errorf("%d features, the XML has %d", len(c.features), want)
	}
	trees := 0
	for _, st := range c.stages {
		trees += len(st.trees)
		for _, tr := range st.trees {
			if len(tr.nodes) != 1 || len(tr.leaves) != 2 {
				t.Fatalf("tree with %d nodes and %d leaves, want stumps", len(tr.nodes), len(tr.leaves))
			}
		}
	}
	if want := strings.Count(src, "<internalNodes>"); trees != want {
		t.Errorf("%d trees, the XML has %d", trees, want)
	}
	// Every stage threshold is read, minus OpenCV's epsilon.
	re := regexp.MustCompile(`<stageThreshold>([^<]+)</stageThreshold>`)
	for i, m := range re.FindAllStringSubmatch(src, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		if got := c.stages[i].threshold; got > v || got < v-2e-5 {
			t.Errorf("stage %d threshold %v, XML says %v", i, got, v)
		}
	}
	// The first tree of stage 0, checked against the XML text.
	first := c.stages[0].trees[0]
	m := regexp.MustCompile(`(?s)<internalNodes>\s*(.*?)</internalNodes>\s*<leafValues>\s*(.*?)</leafValues>`).FindStringSubmatch(src)
	nodes, _ := ints(m[1])
	if first.nodes[0].left != nodes[0] || first.nodes[0].right != nodes[1] || first.nodes[0].feature != nodes[2] {
		t.Errorf("first node %+v, XML %v", first.nodes[0], nodes[:3])
	}
	for k := range 8 {
		if first.nodes[0].subset[k] != uint32(int32(nodes[3+k])) {
			t.Errorf("subset word %d = %#x, XML %d", k, first.nodes[0].subset[k], nodes[3+k])
		}
	}
	leaf0, _ := strconv.ParseFloat(strings.Fields(m[2])[0], 64)
	if float32(first.leaves[0]) != float32(leaf0) {
		t.Errorf("first leaf %v, XML %v", first.leaves[0], leaf0)
	}
}

func TestLoadKeepsLicenceHeader(t *testing.T) {
	for _, s := range []string{"Redistribution and use in source and binary forms", "Puttemans Steven, Can Ergun and Toon Goedeme"} {
		if !bytes.Contains(defaultCascade, []byte(s)) {
			t.Errorf("embedded cascade lost its licence text %q", s)
		}
	}
}

// minimalCascade is a valid one-stage, one-stump, one-feature LBP cascade;
// the garbage cases below break it one piece at a time.
const minimalCascade = `<?xml version="1.0"?>
<opencv_storage>
<cascade>
  <stageType>BOOST</stageType>
  <featureType>LBP</featureType>
  <height>24</height>
  <width>24</width>
  <featureParams><maxCatCount>256</maxCatCount></featureParams>
  <stageNum>1</stageNum>
  <stages>
    <_>
      <maxWeakCount>1</maxWeakCount>
      <stageThreshold>-0.5</stageThreshold>
      <weakClassifiers>
        <_>
          <internalNodes>0 -1 0 -1 -1 -1 -1 -1 -1 -1 -1</internalNodes>
          <leafValues>1.0 -1.0</leafValues></_></weakClassifiers></_></stages>
  <features>
    <_><rect>0 0 8 8</rect></_></features></cascade>
</opencv_storage>
`

func TestLoadAcceptsMinimalCascade(t *testing.T) {
	d, err := Load(strings.NewReader(minimalCascade))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.c.stages) != 1 || len(d.c.features) != 1 || d.c.width != 24 {
		t.Errorf("parsed %+v", d.c)
	}
}

func TestLoadRejectsGarbage(t *testing.T) {
	swap := func(old, new string) string {
		if !strings.Contains(minimalCascade, old) {
			t.Fatalf("test bug: %q not in the minimal cascade", old)
		}
		return strings.Replace(minimalCascade, old, new, 1)
	}
	cases := map[string]struct{ xml, want string }{
		"empty":             {"", "not an OpenCV cascade"},
		"not xml":           {"\x89PNG\r\n\x1a\n garbage", "not an OpenCV cascade"},
		"other xml":         {"<html><body>hi</body></html>", "not an OpenCV cascade"},
		"truncated":         {string(defaultCascade[:len(defaultCascade)/2]), "not an OpenCV cascade"},
		"haar":              {swap("<featureType>LBP", "<featureType>HAAR"), "only LBP"},
		"old format":        {swap("<stageType>BOOST", "<stageType>"), "stageType"},
		"bad width":         {swap("<width>24", "<width>-3"), "width"},
		"bad cat count":     {swap("<maxCatCount>256", "<maxCatCount>16"), "maxCatCount"},
		"no stages":         {regexp.MustCompile(`(?s)<stages>.*</stages>`).ReplaceAllString(swap("<stageNum>1", "<stageNum>0"), "<stages></stages>"), "no stages"},
		"stage count":       {swap("<stageNum>1", "<stageNum>2"), "stageNum"},
		"threshold":         {swap("-0.5</stageThreshold>", "abc</stageThreshold>"), "stageThreshold"},
		"feature index":     {swap("0 -1 0 -1", "0 -1 7 -1"), "feature index 7"},
		"short node":        {swap("0 -1 0 -1 -1 -1 -1 -1 -1 -1 -1", "0 -1 0 -1"), "internalNodes"},
		"node not integer":  {swap("0 -1 0 -1 -1", "0 -1 0 x -1"), "not a 32-bit integer"},
		"leaf count":        {swap("1.0 -1.0", "1.0"), "leaves"},
		"leaf not a number": {swap("1.0 -1.0", "1.0 nope"), "leafValues"},
		"child range":       {swap("0 -1 0 -1", "0 -5 0 -1"), "child"},
		"rect outside":      {swap("0 0 8 8", "10 0 8 8"), "outside"},
		"rect shape":        {swap("0 0 8 8", "0 0 8"), "four integers"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := Load(strings.NewReader(c.xml))
			if err == nil {
				t.Fatalf("Load accepted it: %+v", d)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "face cascade: ") {
				t.Errorf("error %q, want it to start with %q and mention %q", err, "face cascade: ", c.want)
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(minimalCascade))
	f.Add(defaultCascade[:2000])
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever parsed must evaluate without panicking.
		d.Detect(blankGrey(64, 64), Params{})
	})
}

func FuzzDetectImage(f *testing.F) {
	f.Add(uint16(64), uint16(48), int16(0), int16(0), uint16(0), 0.0, []byte{1, 2, 3})
	f.Add(uint16(1), uint16(900), int16(-5), int16(7), uint16(50), 1.0000001, []byte{255})
	f.Fuzz(func(t *testing.T, w, h uint16, ox, oy int16, maxSide uint16, scale float64, pix []byte) {
		w, h = w%400, h%400
		r := image.Rect(int(ox), int(oy), int(ox)+int(w), int(oy)+int(h))
		img := image.NewNRGBA(r)
		for i := range img.Pix {
			if len(pix) > 0 {
				img.Pix[i] = pix[i%len(pix)] ^ uint8(i*7)
			}
		}
		for _, d := range Default().Detect(img, Params{MaxSide: int(maxSide), ScaleFactor: scale}) {
			if !d.Rect.In(r) || d.Score < 0 || d.Score > 1 {
				t.Fatalf("detection %v score %v outside the image %v or 0..1", d.Rect, d.Score, r)
			}
		}
	})
}
