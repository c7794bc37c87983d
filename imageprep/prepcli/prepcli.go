// Package prepcli is the headless `headshot prep` command (and, in
// bench.go, `headshot bench prep`): prepare photos without the TUI.
//
//	headshot prep [--crop face|smart|center] [-o DIR] [--format jpeg|png]
//	              [--max-bytes N] [--jobs N] PATH...
//
// Each PATH is a photo or a folder (searched recursively for files with
// an image extension; a file named on the command line is tried whatever
// its extension, since content decides). Each photo is written as
// DIR/<stem>.jpg or .png (DIR defaults to ./prepared; a source is never
// overwritten, and clashing stems get -2, -3, ...). One line per photo
// says how it was cropped, with what confidence, what to look at (flags),
// the size, bytes and JPEG quality; a summary line follows. The exit
// status is 0 when every photo was prepared, 1 when any failed (each with
// its reason), 2 on bad usage.
//
// # Crop override sidecar
//
// A file named `<photo>.crop` (e.g. `jo.jpg.crop`) or `<stem>.crop` (e.g.
// `jo.crop`) beside a photo overrides the automatic crop. It holds one
// line `x,y,size`: the top-left corner and side of the square in the
// photo's upright (EXIF-oriented) full-resolution pixel coordinates, e.g.
// `1200,640,1500`. Out-of-range squares are clamped into the photo; a
// malformed sidecar fails that photo. imageprep.ReadSidecar and
// WriteSidecar read and write it.
//
// # Crops saved in the TUI
//
// Crops saved on the TUI's Correct screen live in the upload journal,
// keyed by the source's content hash. Options.SavedCrop looks them up (the
// headshot command fills it from the journal, read-only), so `prep` uses
// them as `upload` does. A sidecar beside the photo wins over a saved crop.
package prepcli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"headshot/imageprep"
	"headshot/imageprep/textsafe"
)

// config is the parsed command line.
type config struct {
	savedCrop func(hash string) (image.Rectangle, bool)
	crop      imageprep.Method
	outDir    string
	format    imageprep.Format
	maxBytes  int64
	jobs      int
	paths     []string
}

// Options are `headshot prep`'s flags, as typed.
type Options struct {
	Crop     string // face, smart or center
	Out      string // output folder
	Format   string // jpeg or png
	MaxBytes int64  // byte budget per photo (0: none)
	Jobs     int    // photos prepared at once
	// SavedCrop, when set, returns the crop saved for a source's hex
	// SHA-256 (upright source pixels), as the TUI's Correct screen saves
	// it; nil: no saved crops.
	SavedCrop func(hash string) (image.Rectangle, bool)
}

// parse checks the options and paths.
func parse(o Options, paths []string) (config, error) {
	cfg := config{outDir: o.Out, maxBytes: o.MaxBytes, jobs: o.Jobs, paths: paths, savedCrop: o.SavedCrop}
	m, err := imageprep.ParseMethod(o.Crop)
	if err != nil {
		return cfg, err
	}
	cfg.crop = m
	switch strings.ToLower(o.Format) {
	case "jpeg", "jpg":
		cfg.format = imageprep.JPEG
	case "png":
		cfg.format = imageprep.PNG
	default:
		return cfg, fmt.Errorf("format %q: want jpeg or png", o.Format)
	}
	if cfg.maxBytes < 0 {
		return cfg, fmt.Errorf("max-bytes %d: want 0 (no limit) or more", cfg.maxBytes)
	}
	if cfg.jobs < 1 {
		return cfg, fmt.Errorf("jobs %d: want 1 or more", cfg.jobs)
	}
	if cfg.outDir == "" {
		return cfg, errors.New("-o: empty output folder")
	}
	if len(cfg.paths) == 0 {
		return cfg, errors.New("no PATH given")
	}
	return cfg, nil
}

// Run is `headshot prep`.
func Run(o Options, paths []string, stdout, stderr io.Writer) int {
	cfg, err := parse(o, paths)
	if err != nil {
		fmt.Fprintf(stderr, "headshot prep: %s\n", textsafe.Clean(err.Error()))
		return 2
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft heap limit makes the collector return decode buffers
		// promptly, so peak memory tracks the photos in flight rather than
		// the garbage they left (a HEIC decode grows a WASM memory of a
		// few hundred MB).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(softMemoryLimit))
	}
	return run(context.Background(), cfg, stdout, stderr)
}

// softMemoryLimit is the Go heap's soft limit while preparing.
const softMemoryLimit = 200 << 20

// job is one photo to prepare.
type job struct {
	path string // source
	out  string // destination file
	err  error  // set when the photo failed before preparing (e.g. missing)
}

// outcome is one photo's line.
type outcome struct {
	job job
	res *imageprep.Result
	err error
}

func run(ctx context.Context, cfg config, stdout, stderr io.Writer) int {
	start := time.Now()
	jobs := collect(cfg)
	if err := os.MkdirAll(cfg.outDir, 0o755); err != nil {
		var pe *os.PathError
		if errors.Is(err, syscall.ENOTDIR) && errors.As(err, &pe) {
			// -o names a file (or a path through one): a usage error.
			fmt.Fprintf(stderr, "headshot prep: -o %s: %s is a file, not a folder: choose another output folder\n",
				textsafe.Clean(cfg.outDir), textsafe.Clean(pe.Path))
			return 2
		}
		fmt.Fprintf(stderr, "headshot prep: cannot create output folder %s: %s\n", textsafe.Clean(cfg.outDir), textsafe.Clean(err.Error()))
		return 1
	}
	assignOutputs(jobs, cfg)
	// Each photo is prepared once: no cross-photo cache, so memory stays
	// bounded by the workers' in-flight photos.
	prep := imageprep.NewPreparer(imageprep.WithResultCache(0, 0), imageprep.WithDecodeCache(0, 0))
	profile := imageprep.Profile{Format: cfg.format, MaxBytes: cfg.maxBytes}

	results := make([]chan outcome, len(jobs))
	for i := range results {
		results[i] = make(chan outcome, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(cfg.jobs, max(1, len(jobs))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] <- prepareOne(ctx, prep, jobs[i], cfg, profile)
			}
		}()
	}
	go func() {
		for i := range jobs {
			work <- i
		}
		close(work)
	}()
	failed, review, bytes := 0, 0, int64(0)
	for i := range jobs {
		o := <-results[i]
		if o.err != nil {
			failed++
			fmt.Fprintln(stdout, failLine(o))
			continue
		}
		bytes += int64(len(o.res.Data))
		if o.res.NeedsReview() {
			review++
		}
		fmt.Fprintln(stdout, okLine(o))
	}
	wg.Wait()
	fmt.Fprintf(stdout, "prepared %d of %d photos into %s (%d failed, %d need review, %d bytes) in %s\n",
		len(jobs)-failed, len(jobs), textsafe.Clean(cfg.outDir), failed, review, bytes, time.Since(start).Round(time.Millisecond))
	if len(jobs) == 0 {
		fmt.Fprintln(stderr, "headshot prep: no photos found")
		return 1
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// collect expands the paths into photos, in command-line order.
func collect(cfg config) []job {
	var jobs []job
	outAbs, _ := filepath.Abs(cfg.outDir)
	for _, p := range cfg.paths {
		st, err := os.Stat(p)
		if err != nil {
			jobs = append(jobs, job{path: p, err: &imageprep.Error{Path: p, Kind: imageprep.KindUnreadable, Detail: statDetail(err), Err: err}})
			continue
		}
		if !st.IsDir() {
			jobs = append(jobs, job{path: p})
			continue
		}
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				jobs = append(jobs, job{path: q, err: &imageprep.Error{Path: q, Kind: imageprep.KindUnreadable, Detail: "cannot list", Err: err}})
				return nil
			}
			if d.IsDir() {
				abs, _ := filepath.Abs(q)
				if q != p && (strings.HasPrefix(d.Name(), ".") || abs == outAbs) {
					return filepath.SkipDir
				}
				return nil
			}
			if imageprep.HasImageExt(q) && !strings.HasPrefix(d.Name(), ".") {
				jobs = append(jobs, job{path: q})
			}
			return nil
		})
	}
	return jobs
}

func statDetail(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return "cannot read"
}

// assignOutputs gives each photo a distinct output path, never a source.
func assignOutputs(jobs []job, cfg config) {
	ext := ".jpg"
	if cfg.format == imageprep.PNG {
		ext = ".png"
	}
	sources := map[string]bool{}
	for _, j := range jobs {
		if abs, err := filepath.Abs(j.path); err == nil {
			sources[abs] = true
		}
	}
	used := map[string]bool{}
	for i := range jobs {
		if jobs[i].err != nil {
			continue
		}
		base := filepath.Base(jobs[i].path)
		stem := strings.TrimSuffix(base, filepath.Ext(base))
		for n := 1; ; n++ {
			name := stem + ext
			if n > 1 {
				name = fmt.Sprintf("%s-%d%s", stem, n, ext)
			}
			out := filepath.Join(cfg.outDir, name)
			abs, _ := filepath.Abs(out)
			if used[strings.ToLower(abs)] || sources[abs] {
				continue
			}
			used[strings.ToLower(abs)] = true
			jobs[i].out = out
			break
		}
	}
}

// prepareOne prepares a photo and writes its output.
func prepareOne(ctx context.Context, prep *imageprep.Preparer, j job, cfg config, profile imageprep.Profile) outcome {
	if j.err != nil {
		return outcome{job: j, err: j.err}
	}
	o := imageprep.Options{Crop: cfg.crop, Profile: profile}
	manual, err := imageprep.ReadSidecar(j.path)
	if err != nil {
		return outcome{job: j, err: err}
	}
	o.Manual = manual
	if manual == nil && cfg.savedCrop != nil {
		hash, err := hashFile(j.path)
		if err != nil {
			return outcome{job: j, err: &imageprep.Error{Path: j.path, Kind: imageprep.KindUnreadable, Detail: statDetail(err), Err: err}}
		}
		if c, ok := cfg.savedCrop(hash); ok && !c.Empty() {
			o.Manual = &c
		}
	}
	res, err := prep.Prepare(ctx, j.path, o)
	if err != nil {
		return outcome{job: j, err: err}
	}
	if err := writeNew(j.out, j.path, res.Data); err != nil {
		return outcome{job: j, err: err}
	}
	return outcome{job: j, res: res}
}

// hashFile is the hex SHA-256 of a file's bytes (the journal's key for a
// saved crop, as imageprep.Result.Hash).
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeNew writes data to out through a temporary file, refusing to
// replace the source itself.
func writeNew(out, src string, data []byte) error {
	if a, err := os.Stat(out); err == nil {
		if b, err := os.Stat(src); err == nil && os.SameFile(a, b) {
			return fmt.Errorf("%s: output %s is the source itself", filepath.Base(src), out)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".prep-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write output: %w", filepath.Base(src), err)
	}
	_, werr := tmp.Write(data)
	// CreateTemp makes the file 0600; a prepared photo is no secret.
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: cannot write output %s: %v", filepath.Base(src), out, errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: cannot write output %s: %w", filepath.Base(src), out, err)
	}
	return nil
}

func okLine(o outcome) string {
	r := o.res
	flags := "-"
	if len(r.Flags) > 0 {
		fs := make([]string, len(r.Flags))
		for i, f := range r.Flags {
			fs[i] = string(f)
		}
		flags = strings.Join(fs, ",")
	}
	q := "png"
	if r.Format == imageprep.JPEG {
		q = fmt.Sprintf("q%d", r.Quality)
	}
	line := fmt.Sprintf("ok    %s  %s %.2f  flags=%s  %dx%d  %d bytes  %s  -> %s",
		textsafe.Clean(o.job.path), r.Method, r.Confidence, flags, r.Width, r.Height, len(r.Data), q, textsafe.Clean(o.job.out))
	if why := r.Review(); len(why) > 0 {
		// `headshot upload` holds this photo until someone approves it.
		line += "  NEEDS REVIEW: " + strings.Join(why, "; ")
	}
	return line
}

func failLine(o outcome) string {
	var e *imageprep.Error
	if errors.As(o.err, &e) {
		reason := e.Kind.String()
		if e.Detail != "" {
			reason += ": " + e.Detail
		}
		return fmt.Sprintf("FAIL  %s: %s", textsafe.Clean(o.job.path), textsafe.Clean(reason))
	}
	msg := o.err.Error()
	if base := filepath.Base(o.job.path) + ": "; strings.HasPrefix(msg, base) {
		msg = msg[len(base):]
	}
	return fmt.Sprintf("FAIL  %s: %s", textsafe.Clean(o.job.path), textsafe.Clean(msg))
}
