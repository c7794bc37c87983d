package browse

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/imageprep"
)

// kind says what a listed entry is.
type kind int

const (
	kindDir kind = iota
	kindImage
	kindUnknown // no or unrecognised extension: identified on demand
)

// entry is one row candidate.
type entry struct {
	name   string // raw file name
	path   string
	kind   kind
	person string // person key: the file stem unless remapped
}

// otherExts are extensions that are certainly not photos: hidden, never
// sniffed.
var otherExts = map[string]bool{
	".txt": true, ".md": true, ".csv": true, ".tsv": true, ".json": true, ".xml": true, ".pdf": true,
	".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true, ".zip": true,
	".gz": true, ".tar": true, ".7z": true, ".rar": true, ".mp4": true, ".mov": true, ".avi": true,
	".mkv": true, ".mp3": true, ".wav": true, ".exe": true, ".dll": true, ".so": true, ".go": true,
	".html": true, ".htm": true, ".css": true, ".js": true, ".toml": true, ".yaml": true, ".yml": true,
	".ini": true, ".log": true, ".db": true, ".sh": true, ".py": true, ".svg": true, ".psd": true,
	".raw": true, ".cr2": true, ".nef": true, ".arw": true, ".dng": true, ".avif": true, ".ico": true,
	".lnk": true, ".ds_store": true, ".url": true, ".rtf": true, ".odt": true, ".ods": true,
}

// classify decides from the name alone.
func classify(name string) (kind, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case imageprep.HasImageExt(name):
		return kindImage, true
	case otherExts[ext]:
		return 0, false
	}
	return kindUnknown, true
}

// personOf is the person key a file maps to by default (see
// imageprep.Stem): lukas.berg@example.com, found by content with no image
// extension, stays itself.
func personOf(name string) string { return imageprep.Stem(name) }

// listing is a folder read by readDir.
type listing struct {
	dir     string
	entries []entry // folders first, then files, each by name
	err     error
}

// dirLoadedMsg delivers a listing; id drops answers for a folder the user
// has already left.
type dirLoadedMsg struct {
	id int
	listing
}

// readDir lists dir with one os.ReadDir (no stat per file: the type comes
// from the directory entry; only symlinks are followed with a stat).
// Hidden files and known non-image extensions are left out; files with no
// or unknown extensions are kept as kindUnknown for on-demand sniffing.
func readDir(dir string) listing {
	des, err := os.ReadDir(dir)
	l := listing{dir: dir, err: err}
	l.entries = make([]entry, 0, len(des))
	for _, d := range des {
		name := d.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		isDir := d.IsDir()
		if d.Type()&os.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				continue
			}
			isDir = st.IsDir()
		} else if !isDir && !d.Type().IsRegular() {
			continue
		}
		if isDir {
			l.entries = append(l.entries, entry{name: name, path: p, kind: kindDir})
			continue
		}
		k, ok := classify(name)
		if !ok {
			continue
		}
		l.entries = append(l.entries, entry{name: name, path: p, kind: k, person: personOf(name)})
	}
	sort.SliceStable(l.entries, func(a, b int) bool {
		ea, eb := l.entries[a], l.entries[b]
		if (ea.kind == kindDir) != (eb.kind == kindDir) {
			return ea.kind == kindDir
		}
		return naturalLess(ea.name, eb.name)
	})
	return l
}

// loadDir is the command form of readDir.
func loadDir(id int, dir string) tea.Cmd {
	return func() tea.Msg { return dirLoadedMsg{id: id, listing: readDir(dir)} }
}

// sniffedMsg reports which unknown-type files turned out to be images.
type sniffedMsg struct {
	id     int
	images map[string]bool // path -> is an image headshot reads
}

// sniffUnknown reads only the header of each file (imageprep.Inspect) to
// tell images from the rest; nothing is decoded.
func sniffUnknown(id int, paths []string) tea.Cmd {
	return func() tea.Msg {
		out := make(map[string]bool, len(paths))
		for _, p := range paths {
			_, err := imageprep.Inspect(p, 0)
			out[p] = err == nil || imageprep.KindOf(err) == imageprep.KindTooLarge || imageprep.KindOf(err) == imageprep.KindFileTooLarge
		}
		return sniffedMsg{id: id, images: out}
	}
}
