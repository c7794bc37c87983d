package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/disintegration/imaging"
)

//go:embed set.json
var setJSON []byte

// photo is one evaluation image: its file (in the photo folder, or a
// variant made from another photo), category tags and hand-checked face
// boxes (x, y, w, h; brows or hairline to chin, cheek to cheek).
type photo struct {
	File    string   `json:"file"`
	Tags    []string `json:"tags"`
	Faces   [][4]int `json:"faces"`
	Source  string   `json:"source"`
	Licence string   `json:"licence"`
}

// variant is a photo made from another by a transform this program
// applies (see makeVariant): rotate+25, rotate-25, low-light, small; or
// crop: the region Rect (x, y, w, h) of a group photo cut out as a
// one-person photo, so a face of a kind the set has few of (three-quarter,
// profile, darker skin) is also judged on its own, with Tags saying
// which. A crop keeps the faces of the source wholly inside Rect and must
// not cut through any other.
type variant struct {
	From string   `json:"from"`
	Kind string   `json:"kind"`
	Face int      `json:"face,omitempty"` // crop: the source face it is made for (names the file)
	Rect [4]int   `json:"rect,omitempty"`
	Tags []string `json:"tags,omitempty"`
	// large: the photo scaled to Frac of a 4032 x 3024 canvas's width,
	// placed with its centre at At (fractions of the canvas), over Into (a
	// photo without people, scaled to fill the canvas).
	Into string     `json:"into,omitempty"`
	Frac float64    `json:"frac,omitempty"`
	At   [2]float64 `json:"at,omitempty"`
}

type evalSet struct {
	Photos   []photo   `json:"photos"`
	Variants []variant `json:"variants"`
}

func loadSet() (evalSet, error) {
	var s evalSet
	if err := json.Unmarshal(setJSON, &s); err != nil {
		return s, fmt.Errorf("set.json: %w", err)
	}
	return s, nil
}

func (p photo) boxes() []image.Rectangle {
	out := make([]image.Rectangle, len(p.Faces))
	for i, f := range p.Faces {
		out[i] = image.Rect(f[0], f[1], f[0]+f[2], f[1]+f[3])
	}
	return out
}

// defaultDir is where fetch.sh puts the photos.
func defaultDir() string {
	if d := os.Getenv("HEADSHOT_FACE_EVAL"); d != "" {
		return d
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "faceeval"
	}
	return filepath.Join(c, "headshot", "faceeval")
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// expand returns every photo to evaluate: the set's photos, then the
// variants, written once to dir/variants/ so other tools (the OpenCV
// reference) see the same pixels.
func expand(s evalSet, dir string) ([]photo, error) {
	out := slices.Clone(s.Photos)
	byName := map[string]photo{}
	for _, p := range s.Photos {
		byName[p.File] = p
	}
	if err := os.MkdirAll(filepath.Join(dir, "variants"), 0o755); err != nil {
		return nil, err
	}
	for _, v := range s.Variants {
		src, ok := byName[v.From]
		if ok && v.Kind == "crop" {
			p, err := cropVariant(dir, src, v)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			continue
		}
		if into, ok2 := byName[v.Into]; ok && ok2 && v.Kind == "large" {
			p, err := largeVariant(dir, src, into, v)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			continue
		}
		if !ok || len(src.Faces) != 1 {
			return nil, fmt.Errorf("variant %s of %s: want a photo with one face", v.Kind, v.From)
		}
		name := filepath.Join("variants", v.Kind+"-"+trimExt(v.From)+".png")
		path := filepath.Join(dir, name)
		img, err := decodeFile(filepath.Join(dir, src.File))
		if err != nil {
			return nil, err
		}
		vimg, box := makeVariant(img, src.boxes()[0], v.Kind)
		if _, err := os.Stat(path); err != nil {
			if err := writePNG(path, vimg); err != nil {
				return nil, err
			}
		}
		out = append(out, photo{
			File: name, Tags: []string{kindTag(v.Kind)}, Source: "made from " + v.From, Licence: src.Licence,
			Faces: [][4]int{{box.Min.X, box.Min.Y, box.Dx(), box.Dy()}},
		})
	}
	return out, nil
}

// cropVariant cuts v.Rect out of src (written once to dir/variants/) with
// the source's faces that lie wholly inside it.
func cropVariant(dir string, src photo, v variant) (photo, error) {
	r := image.Rect(v.Rect[0], v.Rect[1], v.Rect[0]+v.Rect[2], v.Rect[1]+v.Rect[3])
	name := filepath.Join("variants", fmt.Sprintf("crop%d-%s.png", v.Face, trimExt(v.From)))
	p := photo{File: name, Tags: v.Tags, Source: "cut from " + v.From, Licence: src.Licence}
	for _, b := range src.boxes() {
		switch {
		case b.In(r):
			b = b.Sub(r.Min)
			p.Faces = append(p.Faces, [4]int{b.Min.X, b.Min.Y, b.Dx(), b.Dy()})
		case b.Overlaps(r):
			return p, fmt.Errorf("crop %v of %s cuts through the face %v", v.Rect, v.From, b)
		}
	}
	if len(p.Faces) == 0 || len(v.Tags) == 0 {
		return p, fmt.Errorf("crop %v of %s: want a face inside and tags", v.Rect, v.From)
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		return p, nil
	}
	img, err := decodeFile(filepath.Join(dir, src.File))
	if err != nil {
		return p, err
	}
	if !r.In(img.Bounds()) {
		return p, fmt.Errorf("crop %v of %s: outside the photo %v", v.Rect, v.From, img.Bounds())
	}
	return p, writePNG(path, imaging.Crop(img, r))
}

// Size of the large variants' canvas: a 12 MP photo.
const largeW, largeH = 4032, 3024

// largeVariant makes a 12 MP photo whose faces are small next to its long
// side: src scaled to v.Frac of the canvas width over into (a photo
// without people) scaled to fill it, written as a JPEG (quality 90, like a
// camera's) so imageprep decodes it as it would a real one.
func largeVariant(dir string, src, into photo, v variant) (photo, error) {
	name := filepath.Join("variants", fmt.Sprintf("large-%s.jpg", trimExt(v.From)))
	p := photo{File: name, Tags: []string{"large"}, Source: "made from " + v.From + " over " + v.Into, Licence: src.Licence + "; " + into.Licence}
	if len(into.Faces) != 0 || v.Frac <= 0 || v.Frac > 1 {
		return p, fmt.Errorf("large %s: want a background without faces and 0 < frac <= 1", v.From)
	}
	img, err := decodeFile(filepath.Join(dir, src.File))
	if err != nil {
		return p, err
	}
	b := img.Bounds()
	k := v.Frac * largeW / float64(b.Dx())
	w, h := int(float64(b.Dx())*k+0.5), int(float64(b.Dy())*k+0.5)
	at := image.Pt(int(v.At[0]*largeW)-w/2, int(v.At[1]*largeH)-h/2)
	if !image.Rect(at.X, at.Y, at.X+w, at.Y+h).In(image.Rect(0, 0, largeW, largeH)) {
		return p, fmt.Errorf("large %s: the photo (%dx%d at %v) does not fit the canvas", v.From, w, h, at)
	}
	for _, f := range src.boxes() {
		f = f.Sub(b.Min)
		r := image.Rect(int(float64(f.Min.X)*k), int(float64(f.Min.Y)*k), int(float64(f.Max.X)*k), int(float64(f.Max.Y)*k)).Add(at)
		p.Faces = append(p.Faces, [4]int{r.Min.X, r.Min.Y, r.Dx(), r.Dy()})
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		return p, nil
	}
	bg, err := decodeFile(filepath.Join(dir, into.File))
	if err != nil {
		return p, err
	}
	canvas := imaging.Fill(bg, largeW, largeH, imaging.Center, imaging.Linear)
	fg := imaging.Resize(img, w, h, imaging.Lanczos)
	draw.Draw(canvas, fg.Bounds().Add(at), fg, image.Point{}, draw.Src)
	return p, writeJPEG(path, canvas)
}

func writeJPEG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func trimExt(s string) string { return s[:len(s)-len(filepath.Ext(s))] }

func kindTag(kind string) string {
	switch kind {
	case "rotate+25", "rotate-25":
		return "tilted"
	}
	return kind
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// makeVariant applies kind to img and maps the face box.
func makeVariant(img image.Image, box image.Rectangle, kind string) (image.Image, image.Rectangle) {
	b := img.Bounds()
	switch kind {
	case "rotate+25", "rotate-25":
		deg := 25.0
		if kind == "rotate-25" {
			deg = -25
		}
		// imaging.Rotate turns counter-clockwise and grows the canvas to
		// hold the whole photo; the face box keeps its size about its
		// rotated centre.
		out := imaging.Rotate(img, deg, color.NRGBA{128, 128, 128, 255})
		ob := out.Bounds()
		cx, cy := float64(box.Min.X+box.Max.X)/2-float64(b.Dx())/2, float64(box.Min.Y+box.Max.Y)/2-float64(b.Dy())/2
		a := deg * math.Pi / 180
		nx := cx*math.Cos(a) + cy*math.Sin(a) + float64(ob.Dx())/2
		ny := -cx*math.Sin(a) + cy*math.Cos(a) + float64(ob.Dy())/2
		w, h := float64(box.Dx()), float64(box.Dy())
		return out, image.Rect(int(nx-w/2), int(ny-h/2), int(nx+w/2), int(ny+h/2))
	case "low-light":
		out := imaging.Clone(img)
		for i := 0; i < len(out.Pix); i += 4 {
			for c := range 3 {
				v := float64(out.Pix[i+c]) / 255
				out.Pix[i+c] = uint8(255*0.3*math.Pow(v, 1.5) + float64((i/4*7+c*13)%5))
			}
		}
		return out, box
	case "small":
		// The face 26 px wide, the photo pasted left of centre on a
		// 480 x 360 canvas of its mean colour.
		k := 26 / float64(box.Dx())
		small := imaging.Resize(img, max(1, int(float64(b.Dx())*k)), 0, imaging.Box)
		canvas := image.NewNRGBA(image.Rect(0, 0, 480, 360))
		draw.Draw(canvas, canvas.Bounds(), image.NewUniform(meanColour(small)), image.Point{}, draw.Src)
		at := image.Pt(60, 90)
		draw.Draw(canvas, small.Bounds().Add(at), small, image.Point{}, draw.Src)
		sb := image.Rect(int(float64(box.Min.X)*k), int(float64(box.Min.Y)*k), int(float64(box.Max.X)*k), int(float64(box.Max.Y)*k))
		return canvas, sb.Add(at)
	}
	panic("unknown variant " + kind)
}

func meanColour(img *image.NRGBA) color.NRGBA {
	var s [3]int
	n := len(img.Pix) / 4
	for i := 0; i < len(img.Pix); i += 4 {
		for c := range 3 {
			s[c] += int(img.Pix[i+c])
		}
	}
	return color.NRGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255}
}

// detection is a face a detector reports, with its confidence (1 when the
// detector has none).
type detection struct {
	Rect  image.Rectangle
	Score float64
}

// outcome is how one detector did on one photo.
type outcome struct {
	found, missed, false_ int
	accepted              []detection
	people                int             // how many people the detector's output means
	crop                  image.Rectangle // the framed square, when a face was accepted
	framingOK             bool
}

func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

// matches says whether a detection is the face truth: each box's centre
// lies inside the other (independent of how tightly a detector boxes).
func matches(det, truth image.Rectangle) bool {
	return centre(det).In(truth) && centre(truth).In(det)
}

// score matches accepted detections to the truth boxes, best first.
func score(truth []image.Rectangle, accepted []detection) (found, missed, falses int) {
	ds := slices.Clone(accepted)
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Score > ds[j].Score })
	used := make([]bool, len(truth))
	for _, d := range ds {
		hit := false
		for i, t := range truth {
			if !used[i] && matches(d.Rect, t) {
				used[i], hit = true, true
				found++
				break
			}
		}
		if !hit {
			falses++
		}
	}
	return found, len(truth) - found, falses
}

// goodFraming judges a square crop of a one-person photo against the true
// face box t in a w x h photo: the whole face inside, the hair's room above
// it kept when the photo has it (a third of the face box's height above its
// top), and the face not lost in the square (at least a quarter of its
// side).
func goodFraming(crop, t image.Rectangle, w, h int) bool {
	slack := t.Dy() / 20
	inner := t.Inset(slack)
	if !inner.In(crop) {
		return false
	}
	crown := max(0, t.Min.Y-t.Dy()/3)
	if crop.Min.Y > crown+slack {
		return false
	}
	return float64(t.Dy()) >= 0.25*float64(crop.Dy())
}
