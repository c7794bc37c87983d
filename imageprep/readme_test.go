package imageprep

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestREADMEReviewThresholds keeps README's "What is held for review"
// table in step with the constants: each is named with its value.
func TestREADMEReviewThresholds(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "**What is held for review.**")
	if start < 0 {
		t.Fatal(`README has no "What is held for review" section`)
	}
	section := readme[start:]
	if end := strings.Index(section, "\n\n\n"); end > 0 {
		section = section[:end]
	}
	for name, value := range map[string]string{
		"MinFaceConfidence":     fmt.Sprint(MinFaceConfidence),
		"FaceInsideShare":       fmt.Sprint(FaceInsideShare),
		"ReviewFaceSide":        fmt.Sprintf("%d px", ReviewFaceSide),
		"ReviewCropSide":        fmt.Sprintf("%d px", ReviewCropSide),
		"DarkMeanLuma":          fmt.Sprintf("%d of 255", DarkMeanLuma),
		"BlurryLaplaceVariance": fmt.Sprintf("under %.0f", BlurryLaplaceVariance),
		"MinSourceSide":         fmt.Sprintf("%d px", MinSourceSide),
		"MinCropSide":           fmt.Sprintf("%d px", MinCropSide),
		"UpscaledBelow":         fmt.Sprintf("%d px", UpscaledBelow),
	} {
		i := strings.Index(section, "`"+name+"`")
		if i < 0 {
			t.Errorf("README does not name %s", name)
			continue
		}
		// The value is stated on the same line or just before the name.
		line := section[max(0, strings.LastIndex(section[:i], "\n")):i]
		if !strings.Contains(line, value) {
			t.Errorf("README's line for %s does not say %q: %q", name, value, line)
		}
	}
}
