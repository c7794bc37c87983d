package correct

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// pickerExts are the extensions the file picker offers.
var pickerExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true, ".png": true, ".gif": true,
	".webp": true, ".heic": true, ".heif": true, ".hif": true, ".bmp": true, ".tif": true, ".tiff": true,
}

// picker is the small "choose another file for this person" list: the
// photos in the same folder.
type picker struct {
	files  []string // paths
	cursor int
	offset int
	err    error
}

// listPhotos lists the photos (by extension) in dir, by name.
func listPhotos(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range des {
		n := d.Name()
		if d.IsDir() || strings.HasPrefix(n, ".") || !pickerExts[strings.ToLower(filepath.Ext(n))] {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	sort.Strings(out)
	return out, nil
}

func (p *picker) move(d, rows int) {
	if len(p.files) == 0 {
		return
	}
	p.cursor = min(max(p.cursor+d, 0), len(p.files)-1)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
}
