package preview

import (
	"fmt"
	"path/filepath"
	"strings"

	"headshot/imageprep"
	"headshot/tui/common"
)

// orientationText describes an EXIF orientation.
func orientationText(o int) string {
	switch o {
	case 0, 1:
		return "upright"
	case 2:
		return "mirrored"
	case 3:
		return "rotated 180°"
	case 4:
		return "mirrored, rotated 180°"
	case 5:
		return "mirrored, rotated 90° CW"
	case 6:
		return "rotated 90° CW"
	case 7:
		return "mirrored, rotated 90° CCW"
	case 8:
		return "rotated 90° CCW"
	}
	return fmt.Sprintf("orientation %d", o)
}

// HumanBytes formats a byte count (1.2 MB, 48 KB, 512 B).
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// Details are the plain-text lines describing a prepared photo, each
// short enough to sit beside the images on an 80-column terminal.
func Details(res *imageprep.Result) []string {
	if res == nil {
		return nil
	}
	s := res.Source
	lines := []string{
		common.SanitizeN(filepath.Base(s.Path), 60),
		fmt.Sprintf("%s %dx%d · %s · %s", strings.ToUpper(string(s.Format)), s.Width, s.Height,
			HumanBytes(s.Bytes), orientationText(s.Orientation)),
		cropLine(res),
	}
	out := fmt.Sprintf("→ %dx%d %s", res.Width, res.Height, strings.ToUpper(string(res.Format)))
	if res.Quality > 0 {
		out += fmt.Sprintf(" q%d", res.Quality)
	}
	out += " · " + HumanBytes(int64(len(res.Data)))
	lines = append(lines, out)
	if why := res.Review(); len(why) > 0 {
		lines = append(lines, ReviewLine(why))
	}
	var notes []string
	for _, f := range res.Flags {
		if !f.IsReview() {
			notes = append(notes, string(f))
		}
	}
	if len(notes) > 0 {
		lines = append(lines, "flags: "+strings.Join(notes, ", "))
	} else if len(res.Review()) == 0 {
		lines = append(lines, "flags: none")
	}
	return lines
}

// ReviewGlyph marks a photo held for review, in the browser's rows and the
// preview's review line.
const ReviewGlyph = "⚠"

// ReviewLine is the preview's line for a photo that needs review: it is
// held, not sent, until approved.
func ReviewLine(reasons []string) string {
	return ReviewGlyph + " held for review: " + strings.Join(reasons, "; ")
}

// IsReviewLine reports whether a Details line is the review line (shown
// in the warning style).
func IsReviewLine(s string) bool { return strings.HasPrefix(s, ReviewGlyph+" ") }

// cropLine says how the crop was chosen and where it is. Only a face
// crop shows its confidence: for smart, centre and manual crops the
// figure means nothing to a technician ("crop center 40%").
func cropLine(res *imageprep.Result) string {
	method := string(res.Method)
	if res.Method == imageprep.MethodFace {
		method += fmt.Sprintf(" %.0f%%", res.Confidence*100)
	}
	return fmt.Sprintf("crop %s · %dx%d at %d,%d", method, res.Crop.Dx(), res.Crop.Dy(), res.Crop.Min.X, res.Crop.Min.Y)
}
