package correct

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"headshot/imageprep"
	"headshot/tui/common"
)

// picker is the small "choose another file for this person" list: the
// photos in the same folder.
type picker struct {
	files []string // paths
	list  common.Scroll
	err   error
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
		if d.IsDir() || strings.HasPrefix(n, ".") || !imageprep.HasImageExt(n) {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	sort.Strings(out)
	return out, nil
}

func (p *picker) move(d, rows int) { p.list.Move(d, len(p.files), rows) }
