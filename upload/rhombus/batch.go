package rhombus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"headshot/imageprep/textsafe"
	"headshot/upload"
)

// Upload sends one photo: a batch of one.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	out, err := c.UploadBatch(ctx, []upload.Item{{Target: t, Photo: p}})
	if err != nil {
		return upload.Receipt{}, err
	}
	return out[0].Receipt, out[0].Err
}

// fileResult is one entry of fileUploadResults.
type fileResult struct {
	FileName string `json:"fileName"`
	Success  *bool  `json:"success"`
	Message  string `json:"message"`
}

// UploadBatch sends up to BatchSize photos in one request and returns one
// outcome per item, in order. Photos that fail local checks are not sent
// and get their own error. err is set only when the request as a whole
// failed (auth, 429, 5xx, network, an application error, a garbage answer).
//
// Rhombus documents HTTP 500 for missing or bad parameters, so one photo
// can make a whole batch fail: a 500 is sent once more, and a second 500
// splits the batch in halves, narrowing down to the photos at fault (a
// half that goes through is done); a photo that gets a 500 on its own fails
// with Rhombus's words and is not retried. Both halves failing means the
// server, not a photo: those photos get the 500 as a retryable error.
func (c *Client) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	if len(items) > c.cfg.BatchSize {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true,
			Message: fmt.Sprintf("batch of %d photos is over batch_size %d", len(items), c.cfg.BatchSize)}
	}
	out := make([]upload.Outcome, len(items))
	names := make([]string, len(items)) // file name per item; "" = not sent
	var send []int
	for i, it := range items {
		if err := c.Limits().Validate(upload.Rhombus, it.Photo); err != nil {
			out[i].Err = err
			continue
		}
		stem := strings.TrimSpace(it.Target.ID)
		if stem == "" {
			stem = strings.TrimSpace(it.Target.Person)
		}
		if stem == "" || strings.ContainsAny(stem, "/\\\"\r\n") {
			out[i].Err = &upload.Error{Platform: upload.Rhombus, Class: upload.ClassNotFound, Local: true,
				Message: fmt.Sprintf("%q cannot name a Rhombus photo file", textsafe.CleanN(stem, 120))}
			continue
		}
		names[i] = stem + it.Photo.Ext()
		send = append(send, i)
	}
	if len(send) == 0 {
		return out, nil
	}
	b := &bulk{c: c, items: items, names: names, out: out}
	err := b.attempt(ctx, send)
	if isStatus500(err) {
		err = b.attempt(ctx, send) // once more: a 500 may pass
	}
	if isStatus500(err) && len(send) > 1 {
		first := err.(*upload.Error)
		if b.narrow(ctx, send, first) {
			return nil, first // both halves failed: the server, not a photo
		}
		return out, nil
	}
	if isStatus500(err) {
		b.alone(send[0], err.(*upload.Error))
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bulk is one UploadBatch call: the items, their file names and outcomes.
type bulk struct {
	c     *Client
	items []upload.Item
	names []string
	out   []upload.Outcome
}

// isStatus500 reports whether err is an HTTP 500 answer.
func isStatus500(err error) bool {
	e, ok := upload.AsError(err)
	return ok && e.Status == http.StatusInternalServerError && !e.Local
}

// narrow sends each half of idx (which got 500 twice together) on its own,
// and narrows again into a half that gets 500 while the other passes. It
// reports true when both halves got 500 at the top (nothing narrowed),
// leaving their outcomes unset.
func (b *bulk) narrow(ctx context.Context, idx []int, why *upload.Error) (bothFailed bool) {
	if len(idx) == 1 {
		b.alone(idx[0], why)
		return false
	}
	halves := [2][]int{idx[:len(idx)/2], idx[len(idx)/2:]}
	var errs [2]error
	for h, part := range halves {
		errs[h] = b.attempt(ctx, part)
		if errs[h] != nil && !isStatus500(errs[h]) {
			b.fail(part, errs[h]) // 429, network...: those photos are retried by the engine
		}
	}
	failed0, failed1 := isStatus500(errs[0]), isStatus500(errs[1])
	switch {
	case failed0 && failed1:
		return true
	case failed0:
		b.narrowOrFail(ctx, halves[0], errs[0].(*upload.Error))
	case failed1:
		b.narrowOrFail(ctx, halves[1], errs[1].(*upload.Error))
	}
	return false
}

// narrowOrFail narrows further into idx; if its halves both fail too, the
// server is failing for them and they get the 500 as a retryable error.
func (b *bulk) narrowOrFail(ctx context.Context, idx []int, why *upload.Error) {
	if b.narrow(ctx, idx, why) {
		b.fail(idx, why)
	}
}

// alone fails the one photo that got HTTP 500 on its own: a bad parameter
// in that photo, by Rhombus's documentation; not retried.
func (b *bulk) alone(i int, why *upload.Error) {
	e := *why
	e.Class = upload.ClassRejected
	e.Message = "Rhombus answered HTTP 500 to this photo even on its own (a 500 can mean a bad parameter): " + why.Message
	b.out[i].Err = &e
}

// fail sets err as the outcome of every photo in idx.
func (b *bulk) fail(idx []int, err error) {
	for _, i := range idx {
		b.out[i].Err = err
	}
}

// attempt sends the photos idx in one request and fills their outcomes
// from the answer; an error means the request as a whole failed.
func (b *bulk) attempt(ctx context.Context, idx []int) error {
	c := b.c
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, i := range idx {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, c.cfg.PartName, b.names[i]))
		h.Set("Content-Type", b.items[i].Photo.MIME)
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = part.Write(b.items[i].Photo.Data)
		}
		if err != nil {
			return &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true, Message: "cannot build the upload", Err: err}
		}
	}
	if err := mw.Close(); err != nil {
		return &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true, Message: "cannot build the upload", Err: err}
	}
	results, tx, status, err := c.postBulk(ctx, buf.Bytes(), mw.FormDataContentType())
	if err != nil {
		return err
	}
	// Results by file name (case-insensitive), consumed in order so a
	// name sent twice maps to its two results.
	byName := map[string][]fileResult{}
	for _, fr := range results {
		k := strings.ToLower(fr.FileName)
		byName[k] = append(byName[k], fr)
	}
	reported := 0
	for _, i := range idx {
		k := strings.ToLower(b.names[i])
		rs := byName[k]
		if len(rs) == 0 {
			b.out[i].Err = &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: status,
				Message: fmt.Sprintf("Rhombus did not report on %s", textsafe.CleanN(b.names[i], 120))}
			continue
		}
		reported++
		fr := rs[0]
		byName[k] = rs[1:]
		if fr.Success != nil && *fr.Success {
			b.out[i].Receipt = upload.Receipt{Status: status, Detail: textsafe.CleanN(tx, 100)}
			continue
		}
		b.out[i].Err = fileError(status, fr, int64(len(b.items[i].Photo.Data)), c.cfg.MaxBytes, c.cfg.MatchBy)
	}
	if reported == 0 && len(results) > 0 {
		// Results for other names than those sent: the answer is not what
		// the undocumented settings expect.
		for _, i := range idx {
			b.out[i].Err = c.unexpected(status, "its results name other files than those sent")
		}
	}
	return nil
}

// unexpected is the error for a bulk answer headshot cannot match to the
// photos: the endpoint's request and answer are not documented publicly,
// so it names the settings to try.
func (c *Client) unexpected(status int, what string) *upload.Error {
	return &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: status,
		Message: fmt.Sprintf("unexpected answer from the bulk photo upload (%s); its format is not documented publicly: "+
			"try the settings results_field (now %q), part_name (now %q) or match_by (now %q); see docs/fidelity.md",
			what, c.cfg.ResultsField, c.cfg.PartName, c.cfg.MatchBy)}
}

// postBulk sends the multipart body, with a deadline scaled to its size,
// and returns the per-file results of a 2xx answer.
func (c *Client) postBulk(ctx context.Context, body []byte, ctype string) (results []fileResult, tx string, status int, err error) {
	req, err := c.newRequest(http.MethodPost, "/api/upload/bulkUploadUserProfilePhotos", body, ctype)
	if err != nil {
		return nil, "", 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout(len(body)))
	defer cancel()
	r, err := c.Do(ctx, req)
	if err != nil {
		return nil, "", 0, err
	}
	if r.Status < 200 || r.Status > 299 {
		e := c.statusError(r)
		if e.Class == upload.ClassTooLarge {
			e.Size = int64(len(body))
		}
		return nil, "", 0, e
	}
	var ans map[string]json.RawMessage
	if json.Unmarshal(r.Body, &ans) != nil {
		g := c.garbage(r, "want JSON "+c.cfg.ResultsField)
		g.Message = c.unexpected(r.Status, "not JSON").Message
		return nil, "", 0, g
	}
	var app appError
	_ = json.Unmarshal(r.Body, &app)
	if app.Error {
		msg := c.words(r.Body)
		if msg == "" {
			msg = "Rhombus refused the upload without saying why"
		}
		// The part name is not documented publicly: when Rhombus speaks of
		// files or photos, the setting is the likely cause.
		if m := strings.ToLower(msg); strings.Contains(m, "file") || strings.Contains(m, "photo") {
			msg += fmt.Sprintf(" (the photos were sent as parts named %q, which is not documented publicly: try the setting part_name; see docs/fidelity.md)", c.cfg.PartName)
		}
		return nil, "", 0, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: r.Status, Message: msg}
	}
	raw, ok := ans[c.cfg.ResultsField]
	if !ok || json.Unmarshal(raw, &results) != nil || results == nil {
		return nil, "", 0, c.unexpected(r.Status, "no "+c.cfg.ResultsField+" list")
	}
	_ = json.Unmarshal(ans["transactionId"], &tx)
	return results, tx, r.Status, nil
}

// fileError classes one file's failure from its message: an unmatched user
// is not found, a size complaint too large, anything else rejected.
func fileError(status int, fr fileResult, size, limit int64, matchBy string) *upload.Error {
	msg := textsafe.CleanN(strings.TrimSpace(fr.Message), 200)
	if msg == "" {
		msg = "Rhombus refused this photo without saying why"
	}
	e := &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: status, Message: msg}
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "no user") || strings.Contains(m, "not found") || strings.Contains(m, "no match") || strings.Contains(m, "unknown user"):
		e.Class = upload.ClassNotFound
		e.Message += fmt.Sprintf(" (the file was named by match_by = %q; how Rhombus matches files is not documented publicly)", matchBy)
	case strings.Contains(m, "too large") || strings.Contains(m, "exceed") || strings.Contains(m, "size"):
		e.Class, e.Size = upload.ClassTooLarge, size
		// The limit the photo crossed: the configured one, else the
		// documented one, else unknown.
		for _, l := range []int64{limit, DefaultMaxBytes} {
			if size > l {
				e.Limit = l
				break
			}
		}
	}
	return e
}
