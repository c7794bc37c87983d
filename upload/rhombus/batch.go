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

// bulkAnswer is the bulk upload's 200 body.
type bulkAnswer struct {
	appError
	FileUploadResults *[]fileResult `json:"fileUploadResults"`
	TransactionID     string        `json:"transactionId"`
}

// UploadBatch sends up to BatchSize photos in one request and returns one
// outcome per item, in order. Photos that fail local checks are not sent
// and get their own error. err is set only when the request as a whole
// failed (auth, 429, 5xx, network, an application error, a garbage answer).
func (c *Client) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	if len(items) > c.cfg.BatchSize {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true,
			Message: fmt.Sprintf("batch of %d photos is over batch_size %d", len(items), c.cfg.BatchSize)}
	}
	out := make([]upload.Outcome, len(items))
	names := make([]string, len(items)) // file name per item; "" = not sent
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	sent := 0
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
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, c.cfg.PartName, names[i]))
		h.Set("Content-Type", it.Photo.MIME)
		part, err := mw.CreatePart(h)
		if err == nil {
			_, err = part.Write(it.Photo.Data)
		}
		if err != nil {
			return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true, Message: "cannot build the upload", Err: err}
		}
		sent++
	}
	if err := mw.Close(); err != nil {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Local: true, Message: "cannot build the upload", Err: err}
	}
	if sent == 0 {
		return out, nil
	}
	ans, status, err := c.postBulk(ctx, buf.Bytes(), mw.FormDataContentType())
	if err != nil {
		return nil, err
	}
	// Results by file name (case-insensitive), consumed in order so a
	// name sent twice maps to its two results.
	byName := map[string][]fileResult{}
	for _, fr := range *ans.FileUploadResults {
		k := strings.ToLower(fr.FileName)
		byName[k] = append(byName[k], fr)
	}
	for i := range items {
		if names[i] == "" {
			continue
		}
		k := strings.ToLower(names[i])
		rs := byName[k]
		if len(rs) == 0 {
			out[i].Err = &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: status,
				Message: fmt.Sprintf("Rhombus did not report on %s", textsafe.CleanN(names[i], 120))}
			continue
		}
		fr := rs[0]
		byName[k] = rs[1:]
		if fr.Success != nil && *fr.Success {
			out[i].Receipt = upload.Receipt{Status: status, Detail: textsafe.CleanN(ans.TransactionID, 100)}
			continue
		}
		out[i].Err = fileError(status, fr, int64(len(items[i].Photo.Data)), c.cfg.MaxBytes)

	}
	return out, nil
}

// postBulk sends the multipart body and checks the answer's shape.
func (c *Client) postBulk(ctx context.Context, body []byte, ctype string) (*bulkAnswer, int, error) {
	req, err := c.newRequest(http.MethodPost, "/api/upload/bulkUploadUserProfilePhotos", body, ctype)
	if err != nil {
		return nil, 0, err
	}
	r, err := c.Do(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	if r.Status < 200 || r.Status > 299 {
		e := c.statusError(r)
		if e.Class == upload.ClassTooLarge {
			e.Size = int64(len(body))
		}
		return nil, 0, e
	}
	var ans bulkAnswer
	if json.Unmarshal(r.Body, &ans) != nil {
		return nil, 0, c.garbage(r, "want JSON fileUploadResults")
	}
	if ans.Error {
		msg := c.words(r.Body)
		if msg == "" {
			msg = "Rhombus refused the upload without saying why"
		}
		return nil, 0, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: r.Status, Message: msg}
	}
	if ans.FileUploadResults == nil {
		return nil, 0, c.garbage(r, "want JSON fileUploadResults")
	}
	return &ans, r.Status, nil
}

// fileError classes one file's failure from its message: an unmatched user
// is not found, a size complaint too large, anything else rejected.
func fileError(status int, fr fileResult, size, limit int64) *upload.Error {
	msg := textsafe.CleanN(strings.TrimSpace(fr.Message), 200)
	if msg == "" {
		msg = "Rhombus refused this photo without saying why"
	}
	e := &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: status, Message: msg}
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "no user") || strings.Contains(m, "not found") || strings.Contains(m, "no match") || strings.Contains(m, "unknown user"):
		e.Class = upload.ClassNotFound
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
