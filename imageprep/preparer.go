package imageprep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"math"
	"os"
	"sync"
	"time"

	"github.com/disintegration/imaging"

	"headshot/imageprep/internal/par"
	"headshot/imageprep/jpegscale"
)

// Preparer prepares photos and remembers what it did: prepared results
// are cached by (content hash, crop, profile, method), and the expensive
// decode-and-detect stage by content hash alone, so one photo sent to five
// platforms, or re-encoded smaller after a 413, is decoded once. Both
// caches are bounded in entries and bytes. A Preparer is safe for
// concurrent use, and identical concurrent requests share one computation.
type Preparer struct {
	results *lru[*Result]
	stages  *lru[*stage]

	resultFlight flight[*Result]
	stageFlight  flight[*stage]

	hashMu sync.Mutex
	hashes map[fileID]string // content hash by (path, size, mtime)

	detect  faceFinder // nil: no face detection, face crops fall back
	decoder decoder
}

// PreparerOption configures a Preparer.
type PreparerOption func(*Preparer)

// WithResultCache bounds the prepared-result cache (entries, bytes of
// encoded output). Zero entries disables it.
func WithResultCache(entries int, bytes int64) PreparerOption {
	return func(p *Preparer) { p.results = newLRU[*Result](entries, bytes) }
}

// WithDecodeCache bounds the decoded-image cache (entries, bytes of
// pixels). Zero entries disables it.
func WithDecodeCache(entries int, bytes int64) PreparerOption {
	return func(p *Preparer) { p.stages = newLRU[*stage](entries, bytes) }
}

// WithFaceDetector sets the face detector (default: face.Find; nil turns
// detection off, so face crops fall back to the smart crop).
func WithFaceDetector(d FaceDetector) PreparerOption {
	return func(p *Preparer) { p.detect = asFinder(d) }
}

// WithJPEGDecoder sets the scaled JPEG decoder (default: package
// jpegscale's DCT-scaling decoder).
func WithJPEGDecoder(d ScaledJPEGDecoder) PreparerOption {
	return func(p *Preparer) {
		p.decoder.jpeg = d
		p.decoder.jpegIndexed, p.decoder.jpegRegionIndexed = nil, nil
	}
}

// Default cache bounds: a decoded 12 MP photo at the 2x-headroom size is
// about 12 MB, so eight of them fit the pixel budget.
const (
	defaultResultEntries = 256
	defaultResultBytes   = 64 << 20
	defaultStageEntries  = 8
	defaultStageBytes    = 96 << 20
)

// NewPreparer returns a Preparer with default cache bounds unless options
// say otherwise.
func NewPreparer(opts ...PreparerOption) *Preparer {
	p := &Preparer{
		results: newLRU[*Result](defaultResultEntries, defaultResultBytes),
		stages:  newLRU[*stage](defaultStageEntries, defaultStageBytes),
		hashes:  map[fileID]string{},
		detect:  findFaces,
		decoder: defaultDecoder,
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

var defaultPreparer = sync.OnceValue(func() *Preparer { return NewPreparer() })

// Prepare prepares one photo with a shared default Preparer.
func Prepare(ctx context.Context, path string, o Options) (*Result, error) {
	return defaultPreparer().Prepare(ctx, path, o)
}

// stage is a decoded photo and what was found in it, shared by every
// result made from the same content.
type stage struct {
	src   Source           // as first inspected (Path is that first path)
	img   image.Image      // upright, opaque, shrunk
	scale float64          // source pixels per img pixel
	short int              // img's short side
	index *jpegscale.Index // a JPEG's checkpoints, for a finer decode of the crop (nil: none)

	facesOnce sync.Once
	faces     []Face // oriented source coordinates

	smartOnce sync.Once
	smart     image.Rectangle // oriented source coordinates
	smartConf float64
}

type fileID struct {
	path  string
	size  int64
	mtime time.Time
}

// Prepare turns the photo at path into a profile picture per o.
func (p *Preparer) Prepare(ctx context.Context, path string, o Options) (*Result, error) {
	res, _, err := p.prepare(ctx, path, o)
	return res, err
}

// loaded is a photo that has been inspected and hashed.
type loaded struct {
	src  Source
	hash string
	data []byte // the file's bytes when they were read to hash them
}

// load inspects path (header only) and finds its content hash, reading
// the file only when the hash is not already known for this path, size and
// modification time.
func (p *Preparer) load(path string, maxPixels int64) (loaded, error) {
	src, err := Inspect(path, maxPixels)
	if err != nil {
		return loaded{}, err
	}
	id := fileID{path, src.Bytes, src.ModTime}
	p.hashMu.Lock()
	h, ok := p.hashes[id]
	p.hashMu.Unlock()
	if ok {
		return loaded{src: src, hash: h}, nil
	}
	data, err := readAll(path, src.Bytes)
	if err != nil {
		return loaded{}, err
	}
	sum := sha256.Sum256(data)
	h = hex.EncodeToString(sum[:])
	p.hashMu.Lock()
	if len(p.hashes) > 4096 {
		clear(p.hashes)
	}
	p.hashes[id] = h
	p.hashMu.Unlock()
	return loaded{src: src, hash: h, data: data}, nil
}

// bytes is the file's bytes, read (and kept in ld) on first need, so a
// prepare that decodes twice (stage, then a finer region) reads the file
// once.
func (ld *loaded) bytes() ([]byte, error) {
	if ld.data == nil {
		data, err := readAll(ld.src.Path, ld.src.Bytes)
		if err != nil {
			return nil, err
		}
		ld.data = data
	}
	return ld.data, nil
}

// readAll reads the file, refusing one that changed size since Inspect. It
// never reads more than one byte past want, so a file swapped for a huge
// one (or a link to a device) since Inspect cannot exhaust memory.
func readAll(path string, want int64) ([]byte, error) {
	data, err := readAtMost(path, want+1)
	if err != nil {
		return nil, openError(path, err)
	}
	if int64(len(data)) != want {
		return nil, &Error{Path: path, Kind: KindUnreadable, Detail: "the file changed while being read"}
	}
	return data, nil
}

func (p *Preparer) prepare(ctx context.Context, path string, o Options) (*Result, *stage, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ld, err := p.load(path, o.MaxPixels)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSize(ld.src); err != nil {
		return nil, nil, err
	}
	o.Profile = o.Profile.normalized()
	switch o.Crop {
	case "":
		o.Crop = MethodFace
	case MethodFace, MethodSmart, MethodCenter:
	case MethodManual:
		if o.Manual == nil {
			return nil, nil, errors.New("imageprep: crop method manual needs Options.Manual")
		}
	default:
		return nil, nil, fmt.Errorf("imageprep: unknown crop method %q (want face, smart or center)", o.Crop)
	}
	if o.Profile.Format != JPEG && o.Profile.Format != PNG {
		return nil, nil, fmt.Errorf("imageprep: output format %q: want jpeg or png", o.Profile.Format)
	}
	cropKey := string(o.Crop)
	if o.Manual != nil {
		m := ClampCrop(*o.Manual, ld.src.Width, ld.src.Height)
		o.Manual = &m
		cropKey = fmt.Sprintf("manual:%d,%d,%d", m.Min.X, m.Min.Y, m.Dx())
	}
	key := ld.hash + "|" + cropKey + "|" + o.Profile.Key()
	if r, ok := p.results.get(key); ok {
		st, _ := p.stages.get(ld.hash)
		return r.withSource(ld.src), st, nil
	}
	var st *stage
	res, err := p.resultFlight.do(ctx, key, func() (*Result, error) {
		// Counted as a photo in progress: with fewer photos than cores,
		// its loops lend the idle core a share of their rows (package par).
		defer par.Enter()()
		var err error
		st, err = p.stage(ctx, &ld, o.Profile.Size)
		if err != nil {
			return nil, err
		}
		r, err := p.build(ctx, &ld, st, o)
		if err != nil {
			return nil, err
		}
		p.results.add(key, r, int64(len(r.Data))+512)
		return r, nil
	})
	if err != nil {
		return nil, nil, err
	}
	if st == nil {
		st, _ = p.stages.get(ld.hash)
	}
	return res.withSource(ld.src), st, nil
}

// withSource is a copy of r describing src (same content, maybe another
// path). Data is shared: results are read-only.
func (r *Result) withSource(src Source) *Result {
	c := *r
	c.Source = src
	c.Flags = append([]Flag(nil), r.Flags...)
	c.Faces = append([]image.Rectangle(nil), r.Faces...)
	return &c
}

// stage returns the decoded photo for ld, from the cache when an entry
// with at least minSide pixels on its short side (or the full image) is
// there.
func (p *Preparer) stage(ctx context.Context, ld *loaded, minSide int) (*stage, error) {
	enough := func(st *stage) bool { return st.short >= minSide || st.scale <= 1.0001 }
	if st, ok := p.stages.get(ld.hash); ok && enough(st) {
		return st, nil
	}
	return p.stageFlight.do(ctx, fmt.Sprintf("%s|%d", ld.hash, minSide), func() (*stage, error) {
		if st, ok := p.stages.get(ld.hash); ok && enough(st) {
			return st, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := ld.bytes()
		if err != nil {
			return nil, err
		}
		img, scale, ix, err := p.decoder.decodeIndexed(ctx, ld.src.Path, data, ld.src, minSide, image.Rectangle{}, nil)
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		st := &stage{src: ld.src, img: img, scale: scale, short: min(b.Dx(), b.Dy()), index: ix}
		p.stages.add(ld.hash, st, pixelBytes(img)+ix.Bytes())
		return st, nil
	})
}

// detect runs the face detector once per stage (oriented source coords)
// on a copy detectSide pixels long (and the stage's decode, for the
// detector's closer looks).
func (st *stage) detect(det faceFinder) []Face {
	st.facesOnce.Do(func() {
		if det == nil {
			return
		}
		img := shrinkTo(st.img, detectSide)
		k := float64(max(st.img.Bounds().Dx(), st.img.Bounds().Dy())) / float64(max(img.Bounds().Dx(), img.Bounds().Dy()))
		for _, f := range det(img, st.img) {
			r := scaleRect(f.Rect, k*st.scale).Intersect(image.Rect(0, 0, st.src.Width, st.src.Height))
			if r.Empty() {
				continue
			}
			st.faces = append(st.faces, Face{Rect: r, Score: clamp01(f.Score)})
		}
	})
	return st.faces
}

// smartCrop runs the content-aware crop once per stage.
func (st *stage) smartCrop() (image.Rectangle, float64) {
	st.smartOnce.Do(func() {
		r, c := smartCrop(st.img)
		st.smart = ClampCrop(scaleRect(r, st.scale), st.src.Width, st.src.Height)
		st.smartConf = c
	})
	return st.smart, st.smartConf
}

// choose picks the crop per o: manual, or face -> smart -> centre. face
// is the framed face (for smart and centre crops: the main face the
// detector found, if any) and count the significant faces.
//
// The detector runs for every automatic method, not only for face crops:
// a smart or centre crop still has to answer the review's questions (is
// there a face, one person, is the face inside the square?), or a config
// saying crop = "center" would send a photo without a face unflagged.
func (st *stage) choose(o Options, det faceFinder) (crop image.Rectangle, m Method, conf float64, faces []Face, face Face, count int, flags []Flag) {
	W, H := st.src.Width, st.src.Height
	if o.Manual != nil {
		return ClampCrop(*o.Manual, W, H), MethodManual, 1, nil, Face{}, 0, nil
	}
	faces = st.detect(det)
	sig := significantFaces(faces)
	if len(sig) > 0 {
		face, count = pickFace(sig), len(sig)
	}
	if len(sig) > 1 {
		flags = append(flags, FlagManyFaces)
	}
	method := o.Crop
	if method == MethodFace {
		if count > 0 {
			crop, clamped := FrameFace(face.Rect, W, H)
			conf = clamp01(face.Score)
			if clamped {
				conf *= 0.9
			}
			if count > 1 {
				conf *= 0.9
			}
			return crop, MethodFace, conf, faces, face, count, flags
		}
		method = MethodSmart
	}
	if count == 0 && (o.Crop == MethodFace || det != nil) {
		flags = append(flags, FlagNoFace)
	}
	// Centre (asked for, or no smart crop): sure of nothing but that the
	// middle is kept; the less of the picture is cut away, the less can be
	// lost.
	crop, m, conf = CenterCrop(W, H), MethodCenter, 0.2+0.3*float64(min(W, H))/float64(max(W, H))
	if method == MethodSmart {
		if r, c := st.smartCrop(); c > 0 {
			crop, m, conf = r, MethodSmart, c
		}
	}
	if count > 0 && !faceInside(face.Rect, crop) {
		flags = append(flags, FlagFaceCut)
	}
	return crop, m, conf, faces, face, count, flags
}

// faceInside reports whether at least FaceInsideShare of the face box's
// area lies inside the crop square.
func faceInside(f, crop image.Rectangle) bool {
	in := f.Intersect(crop)
	return float64(in.Dx()*in.Dy()) >= FaceInsideShare*float64(f.Dx()*f.Dy())
}

// build makes the Result for one stage and options.
func (p *Preparer) build(ctx context.Context, ld *loaded, st *stage, o Options) (*Result, error) {
	crop, method, conf, faces, face, count, flags := st.choose(o, p.detect)
	// Never a square so small that the 600x600 is mush (checkSize made
	// sure the image has room for it).
	crop = growCrop(crop, MinCropSide, ld.src.Width, ld.src.Height)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size := o.Profile.Size
	img, scale := st.img, st.scale
	if float64(crop.Dx())/scale < float64(size) && scale > 1.0001 {
		// The crop is small next to the shrunk decode: decode finer once,
		// for this result only, so the output is not needlessly upscaled.
		need := int(math.Ceil(float64(min(ld.src.Width, ld.src.Height)) * float64(size) / float64(max(crop.Dx(), 1))))
		data, err := ld.bytes()
		if err != nil {
			return nil, err
		}
		// Only the crop (and a margin for rounding) is decoded finer.
		region := crop.Inset(-16).Intersect(image.Rect(0, 0, ld.src.Width, ld.src.Height))
		fine, fs, _, err := p.decoder.decodeIndexed(ctx, ld.src.Path, data, ld.src, need, region, st.index)
		if err != nil {
			return nil, err
		}
		img, scale = fine, fs
	}
	out := render(img, scaleRect(crop, 1/scale), size)
	flags = append(flags, sizeFlags(crop, face.Rect, face.Score)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The review's look at the output and its encoding read the same
	// pixels: side by side when a core is idle.
	var (
		data    []byte
		q, side int
		err     error
		lf      []Flag
	)
	par.Do(func() { data, q, side, err = encodeFit(ld.src.Path, out, o.Profile) }, func() { lf = lookFlags(out) })
	flags = append(flags, lf...)
	if err != nil {
		return nil, err
	}
	rects := make([]image.Rectangle, len(faces))
	for i, f := range faces {
		rects[i] = f.Rect
	}
	return &Result{
		Source: ld.src, Hash: ld.hash, Crop: crop, Method: method, Confidence: conf,
		Faces: rects, Face: face.Rect, FaceScore: face.Score, FaceCount: count, Flags: flags, Data: data, Format: o.Profile.Format, Quality: q,
		Width: side, Height: side,
	}, nil
}

// Preview is what the TUI shows: the upright photo, small, and the result
// with its crop (in source coordinates: divide by Scale to draw it). Image
// may be shared with the cache: treat it as read-only.
type Preview struct {
	Image  image.Image // upright, at most maxSide on its long side
	Scale  float64     // source pixels per preview pixel
	Result *Result
}

// Preview prepares the photo (reusing the caches) and returns a small
// upright copy to draw the crop on.
func (p *Preparer) Preview(ctx context.Context, path string, maxSide int, o Options) (*Preview, error) {
	res, st, err := p.prepare(ctx, path, o)
	if err != nil {
		return nil, err
	}
	if st == nil {
		ld, err := p.load(path, o.MaxPixels)
		if err != nil {
			return nil, err
		}
		if st, err = p.stage(ctx, &ld, o.Profile.normalized().Size); err != nil {
			return nil, err
		}
	}
	if maxSide <= 0 {
		maxSide = 400
	}
	img := st.img
	scale := st.scale
	w, h := st.img.Bounds().Dx(), st.img.Bounds().Dy()
	if long := max(w, h); long > maxSide {
		k := float64(long) / float64(maxSide)
		nw, nh := max(1, int(math.Round(float64(w)/k))), max(1, int(math.Round(float64(h)/k)))
		img = imaging.Resize(st.img, nw, nh, imaging.Linear)
		scale = float64(res.Source.Width) / float64(nw)
	}
	return &Preview{Image: img, Scale: scale, Result: res}, nil
}

// readAtMost reads up to limit bytes of the regular file at path, opened
// read-only. A FIFO or device is refused before it is opened.
func readAtMost(path string, limit int64) ([]byte, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errNotRegular}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One buffer of the expected size (readAll asks for one byte more than
	// the file should hold), not io.ReadAll's doubling copies.
	buf := make([]byte, 0, min(max(limit, 512), 64<<20))
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow (a file larger than said)
		}
		n, err := f.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// errNotRegular refuses FIFOs, devices and sockets.
var errNotRegular = errors.New("not a regular file")
