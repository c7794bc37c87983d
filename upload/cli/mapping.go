package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"headshot/imageprep"
	"headshot/imageprep/textsafe"
	"headshot/upload"
)

// maxMappingBytes bounds a mapping file (a few hundred thousand rows).
const maxMappingBytes = 64 << 20

// mapping is a people CSV: file -> person, plus per-platform overrides.
type mapping struct {
	rows map[string]mapRow // by file base name
}

type mapRow struct {
	person string
	people map[upload.Platform]string
	line   int
}

// readMapping parses a mapping CSV: a header naming the columns "file" and
// "person" and optionally one column per platform (named like its config
// table) holding that platform's person key when it differs.
// Errors name the file and the line.
func readMapping(path string) (*mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	defer f.Close()
	return parseMapping(path, f)
}

func parseMapping(name string, r io.Reader) (*mapping, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxMappingBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	if len(data) > maxMappingBytes {
		return nil, fmt.Errorf("mapping %s: larger than %d MB; is it the right file?", name, maxMappingBytes>>20)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := strings.Cut(string(data), "\n"); strings.Contains(first, ";") && !strings.Contains(first, ",") {
		// A spreadsheet in a locale whose decimal mark is the comma saves
		// "CSV" with semicolons.
		cr.Comma = ';'
	}
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // short rows are padded below, long ones named
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("mapping %s: empty file (want a header: file,person[,platform...])", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	fileCol, personCol := -1, -1
	platCols := map[int]upload.Platform{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "file":
			fileCol = i
		case "person":
			personCol = i
		default:
			known := false
			for _, p := range upload.Platforms() {
				if h == string(p) {
					platCols[i] = p
					known = true
				}
			}
			if !known {
				return nil, fmt.Errorf("mapping %s line 1: unknown column %q (want file, person, or a platform: %s)", name, textsafe.Clean(h), platformNames("or"))
			}
		}
	}
	if fileCol < 0 || personCol < 0 {
		return nil, fmt.Errorf("mapping %s line 1: header must name the columns file and person", name)
	}
	m := &mapping{rows: map[string]mapRow{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > len(header) {
			return nil, fmt.Errorf("mapping %s line %d: %d fields but the header names %d (%s): quote values that hold a comma",
				name, line, len(rec), len(header), textsafe.Clean(strings.Join(header, ",")))
		}
		for len(rec) < len(header) {
			rec = append(rec, "") // a spreadsheet may drop trailing empty cells
		}
		file := strings.TrimSpace(rec[fileCol])
		person := strings.TrimSpace(rec[personCol])
		if file == "" {
			return nil, fmt.Errorf("mapping %s line %d: empty file", name, line)
		}
		base := filepath.Base(file)
		if prev, dup := m.rows[base]; dup {
			return nil, fmt.Errorf("mapping %s line %d: file %q already mapped on line %d", name, line, textsafe.Clean(base), prev.line)
		}
		row := mapRow{person: person, people: map[upload.Platform]string{}, line: line}
		for i, p := range platCols {
			if v := strings.TrimSpace(rec[i]); v != "" {
				row.people[p] = v
			}
		}
		if person == "" && len(row.people) == 0 {
			return nil, fmt.Errorf("mapping %s line %d: no person for %q", name, line, textsafe.Clean(base))
		}
		m.rows[base] = row
	}
	return m, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("mapping %s line %d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("mapping %s: %w", name, err)
}

// lookup is the mapping row for a photo path.
func (m *mapping) lookup(path string) (mapRow, bool) {
	if m == nil {
		return mapRow{}, false
	}
	r, ok := m.rows[filepath.Base(path)]
	return r, ok
}

// personOf is the person key a file name gives (see imageprep.Stem):
// jane.doe@example.com.jpg -> jane.doe@example.com.
func personOf(path string) string { return imageprep.Stem(path) }

// skippedFile is a file in a folder given to upload that is not sent, and
// why; the summary lists them (hidden files are left out silently).
type skippedFile struct {
	name string // as found: the folder argument joined with the entry name
	why  string
}

// maxSkippedListed bounds the summary's list of skipped files.
const maxSkippedListed = 10

// expandPaths turns the PATH arguments into photo files: files as given;
// a folder's photos (not recursive, hidden files left out), by extension
// and, for a file with another or no extension, by content, as the browser
// finds them. What a folder holds that is not sent is returned with the
// reason.
func expandPaths(args []string) ([]string, []skippedFile, error) {
	var out []string
	var skipped []skippedFile
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", a, errors.Unwrap(err))
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", a, err)
		}
		for _, e := range ents {
			n := e.Name()
			p := filepath.Join(a, n)
			switch {
			case strings.HasPrefix(n, "."):
				continue
			case e.IsDir():
				skipped = append(skipped, skippedFile{p, "a folder (folders are not searched: give it as a PATH of its own)"})
				continue
			case imageprep.HasImageExt(n):
				add(p)
				continue
			}
			if why := notAPhoto(p); why != "" {
				skipped = append(skipped, skippedFile{p, why})
				continue
			}
			add(p) // a photo under another extension (kofi.mensah@example.com.dat)
		}
	}
	return out, skipped, nil
}

// notAPhoto identifies a file with no image extension by its content
// (reading only its header) and says why it is not a photo ("": it is one,
// possibly damaged: the run reports what is wrong with it).
func notAPhoto(path string) string {
	_, err := imageprep.Inspect(path, 0)
	switch k := imageprep.KindOf(err); {
	case err == nil:
		return ""
	case k == imageprep.KindNotImage || k == imageprep.KindEmpty:
		return "not a photo (" + k.String() + ")"
	case k == imageprep.KindUnsupported:
		return "an image format headshot does not read"
	case k == imageprep.KindUnreadable:
		return textsafe.Clean(strings.TrimPrefix(err.Error(), filepath.Base(path)+": "))
	}
	return ""
}
