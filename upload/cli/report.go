package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"headshot/imageprep/textsafe"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// reportRow is one item in a report file.
type reportRow struct {
	Person   string `json:"person"`
	Platform string `json:"platform"`
	File     string `json:"file"`
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	Bytes    int    `json:"bytes"`
	Class    string `json:"class,omitempty"`
	Status   int    `json:"http_status,omitempty"`
	Error    string `json:"error,omitempty"`
	Note     string `json:"note,omitempty"` // e.g. a dry run's "cannot check before sending"
	Updated  string `json:"updated,omitempty"`
	// Partial names the sub-platforms that refused an uploaded photo
	// (Netex); the photo counts as uploaded and the next run sends it again.
	Partial string `json:"partial,omitempty"`
	// CutOff: the run was interrupted while this photo's request was under
	// way; the platform may have stored it (engine.Item.CutOff).
	CutOff bool `json:"cut_off,omitempty"`

	// fileProblem: the photo file itself could not be read or prepared
	// (the same on every platform); message is what is wrong with it.
	fileProblem bool
	message     string
}

// reportFormat is "json" or "csv" from the file's extension.
func reportFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json", nil
	case ".csv":
		return "csv", nil
	}
	return "", fmt.Errorf("--report %s: the name must end in .json or .csv", path)
}

// checkReportPath fails before anything is sent when the report could not
// be written at the end (a missing folder, a folder in its place), so a long
// run does not end with "report: no such file or directory".
func checkReportPath(path string) error {
	if _, err := reportFormat(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("--report %s: is a folder", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("--report %s: folder %s does not exist", path, dir)
	case !st.IsDir():
		return fmt.Errorf("--report %s: %s is not a folder", path, dir)
	}
	return nil
}

// reportRows turns the engine's items into report rows; items left queued
// on a paused platform carry its pause reason.
func reportRows(items []engine.Item, stats []engine.PlatformStats) []reportRow {
	reason := map[upload.Platform]string{}
	for _, s := range stats {
		if s.Paused {
			reason[s.Platform] = "not sent: platform paused (" + s.PauseReason + ")"
		}
	}
	rows := make([]reportRow, 0, len(items))
	for _, it := range items {
		r := reportRow{Person: it.Person, Platform: string(it.Platform), File: it.Path, State: string(it.State),
			Attempts: it.Attempts, Bytes: it.Bytes, Updated: itemTime(it.Updated), CutOff: it.CutOff}
		if it.Err != nil {
			r.Class = it.Err.Class.String()
			r.Status = it.Err.Status
			r.Error = errText(it.Err)
			if isFileProblem(it.Err) {
				r.fileProblem, r.message = true, it.Err.Message
			}
		}
		if it.Partial != "" {
			r.Partial = it.Partial
			r.Error = "partial: " + it.Partial + " refused it"
		}
		if it.State == engine.StateHeld {
			r.Error = engine.HeldMessage(it.Review)
		}
		if it.State == engine.StateChecked && it.Unverified {
			r.Note = engine.CannotCheck(it.Platform)
		}
		if it.State == journal.StateQueued || it.State == journal.StateUploading {
			if why := reason[it.Platform]; why != "" {
				r.Error = why
			} else if r.Error == "" {
				r.Error = "not sent"
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// writeReport writes rows as JSON or CSV by the file's extension.
func writeReport(path string, rows []reportRow) error {
	format, err := reportFormat(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "json" {
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []reportRow{}
		}
		err = enc.Encode(rows)
	} else {
		w := csv.NewWriter(&buf)
		w.Write([]string{"person", "platform", "file", "state", "attempts", "bytes", "class", "http_status", "error", "updated"})
		for _, r := range rows {
			status := ""
			if r.Status != 0 {
				status = strconv.Itoa(r.Status)
			}
			w.Write([]string{csvSafe(r.Person), r.Platform, csvSafe(r.File), r.State, strconv.Itoa(r.Attempts),
				strconv.Itoa(r.Bytes), r.Class, status, csvSafe(r.Error), r.Updated})
		}
		w.Flush()
		err = w.Error()
	}
	if err == nil {
		err = replaceFile(path, buf.Bytes())
	}
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}

// replaceFile writes data to a new file beside path and renames it over
// path: a reader never sees half a report, and a symbolic link at path is
// replaced, never followed (a link planted at out.csv cannot make headshot
// overwrite the file it points to).
func replaceFile(path string, data []byte) error {
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		return fmt.Errorf("is a folder")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// csvSafe keeps a spreadsheet from reading a cell as a formula, and a
// terminal (`cat out.csv`) from obeying an escape sequence in a file name or
// a server's message: control characters become '?' as on screen. The JSON
// report keeps the exact bytes (JSON escapes them).
func csvSafe(s string) string {
	s = textsafe.CleanN(s, 0)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
