package igloo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// Upload runs the three steps; Receipt.Detail is the attachment key.
func (c *Client) Upload(ctx context.Context, t upload.Target, p upload.Photo) (upload.Receipt, error) {
	if err := c.Limits().Validate(upload.Igloo, p); err != nil {
		return upload.Receipt{}, err
	}
	if _, ok := apihttp.Segment(t.ID); !ok {
		return upload.Receipt{}, c.localErr("no usable resolved member for " + t.Person)
	}
	key, err := c.createEntry(ctx, p, t.ID+p.Ext())
	if err != nil {
		return upload.Receipt{}, err
	}
	if err := c.sendBytes(ctx, key, wireType(p.MIME), p.Data); err != nil {
		return upload.Receipt{}, err
	}
	status, err := c.associate(ctx, key, t)
	if err != nil {
		return upload.Receipt{}, err
	}
	return upload.Receipt{Status: status, Detail: upload.CleanMessage(key, 100)}, nil
}

// wireType is the Content-Type Igloo's PATCH documents (image/jpg, not jpeg).
func wireType(mime string) string {
	if mime == "image/jpeg" {
		return "image/jpg"
	}
	return mime
}

func (c *Client) communityPath() string {
	return "/.api2/api/v1/communities/" + url.PathEscape(c.cfg.CommunityKey) + "/attachments"
}

// createEntry is step 1: POST the attachment's size, MIME type (the
// documented "MimeType of the content": image/jpeg, not the PATCH step's
// image/jpg) and name; the key is the last path segment of the Location
// header.
func (c *Client) createEntry(ctx context.Context, p upload.Photo, name string) (string, error) {
	body, err := json.Marshal(map[string]any{"ContentLength": len(p.Data), "ContentType": p.MIME, "Name": name})
	if err != nil {
		return "", c.localErr("encoding the attachment request failed")
	}
	resp, err := c.send(ctx, http.MethodPost, c.communityPath(), http.Header{"Content-Type": {"application/json"}}, body)
	if err != nil {
		return "", err
	}
	if resp.Status < 200 || resp.Status >= 300 {
		e := c.statusError(resp)
		if e.Class == upload.ClassTooLarge {
			e.Size, e.Limit = int64(len(p.Data)), c.cfg.MaxBytes
		}
		return "", e
	}
	key := keyFromLocation(resp.Header.Get("Location"))
	if key == "" {
		return "", apihttp.Garbage(upload.Igloo, resp, "attachment created without a Location key")
	}
	return key, nil
}

// keyFromLocation is the last path segment of a relative or absolute URL.
func keyFromLocation(loc string) string {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		return ""
	}
	u, err := url.Parse(loc)
	if err != nil {
		return ""
	}
	key := path.Base(strings.TrimRight(u.Path, "/"))
	if key == "." || key == "/" || key == "" {
		return ""
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return key
}

// sendBytes is step 2: PATCH the data in chunks, resuming from what the
// server holds after a failure.
func (c *Client) sendBytes(ctx context.Context, key, ctype string, data []byte) error {
	total := int64(len(data))
	var offset int64
	resumes, needQuery := 0, false
	for {
		if needQuery {
			n, err := c.patch(ctx, key, ctype, fmt.Sprintf("bytes */%d", total), nil, total)
			if err != nil {
				if !resumable(err) {
					return err
				}
				if err := c.pause(ctx, &resumes, err); err != nil {
					return err
				}
				continue
			}
			offset, needQuery = n, false
		}
		if offset >= total {
			return nil
		}
		end := min(offset+c.cfg.ChunkSize, total) - 1
		n, err := c.patch(ctx, key, ctype, fmt.Sprintf("bytes %d-%d/%d", offset, end, total), data[offset:end+1], total)
		if err == nil {
			if n <= offset {
				return &upload.Error{Platform: upload.Igloo, Class: upload.ClassServer, Status: http.StatusOK,
					Message: fmt.Sprintf("attachment %s: the server kept %d bytes after a chunk ending at %d", key, n, end+1)}
			}
			offset = n
			continue
		}
		if !resumable(err) {
			return err
		}
		needQuery = true
		if err := c.pause(ctx, &resumes, err); err != nil {
			return err
		}
	}
}

// pause counts one resume and waits ResumeDelay (or the Retry-After of a
// 429, at most maxThrottleWait); past MaxResumes it returns the last failure.
func (c *Client) pause(ctx context.Context, resumes *int, last error) error {
	*resumes++
	if *resumes > c.cfg.MaxResumes {
		if e, ok := upload.AsError(last); ok {
			out := *e
			out.Message = fmt.Sprintf("gave up after %d resumes: %s", c.cfg.MaxResumes, e.Message)
			return &out
		}
		return last
	}
	delay := c.cfg.ResumeDelay
	if e, ok := upload.AsError(last); ok && e.Class == upload.ClassThrottled && e.RetryAfter > delay {
		delay = min(e.RetryAfter, maxThrottleWait)
	}
	if delay <= 0 {
		return nil
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return apihttp.TransportError(ctx, upload.Igloo, ctx.Err())
	}
}

// resumable reports whether querying the stored length and continuing may
// work: the connection dropped or timed out, the server failed (5xx) or
// throttled (429), or the range was misaligned (416).
func resumable(err error) bool {
	e, ok := upload.AsError(err)
	if !ok {
		return false
	}
	return e.Class == upload.ClassNetwork || e.Class == upload.ClassThrottled ||
		e.Status >= 500 || e.Status == http.StatusRequestedRangeNotSatisfiable
}

// maxThrottleWait caps how long a throttled PATCH waits before resuming.
const maxThrottleWait = 10 * time.Second

// patch sends one PATCH (a chunk, or the `bytes */total` query with no
// body) and returns the contentLength the entry now holds.
func (c *Client) patch(ctx context.Context, key, ctype, contentRange string, chunk []byte, total int64) (int64, error) {
	hdr := http.Header{"Content-Type": {ctype}, "Content-Range": {contentRange}}
	resp, err := c.send(ctx, http.MethodPatch, c.communityPath()+"/uploads/"+url.PathEscape(key), hdr, chunk)
	if err != nil {
		return 0, err
	}
	if resp.Status < 200 || resp.Status >= 300 {
		e := c.statusError(resp)
		if e.Class == upload.ClassNotFound {
			e.Message = "attachment " + key + " not found: " + e.Message
		}
		return 0, e
	}
	var out struct {
		ContentLength *json.Number `json:"contentLength"`
	}
	if json.Unmarshal(resp.Body, &out) != nil || out.ContentLength == nil {
		return 0, apihttp.Garbage(upload.Igloo, resp, "upload answer without contentLength")
	}
	n, err := strconv.ParseInt(out.ContentLength.String(), 10, 64)
	if err != nil || n < 0 || n > total {
		return 0, apihttp.Garbage(upload.Igloo, resp, "contentLength out of range")
	}
	return n, nil
}

// associate is step 3: make the attachment the member's profile photo.
func (c *Client) associate(ctx context.Context, key string, t upload.Target) (int, error) {
	member, ok := apihttp.Segment(t.ID)
	if !ok {
		return 0, c.localErr("no usable member id for " + t.Person)
	}
	p := c.communityPath() + "/" + url.PathEscape(key) + "/association/" + member + "?type=ProfilePhoto"
	resp, err := c.send(ctx, http.MethodPost, p, nil, nil)
	if err != nil {
		return 0, err
	}
	if resp.Status == http.StatusOK || resp.Status == http.StatusNoContent || resp.Status == http.StatusCreated {
		if b := strings.TrimSpace(string(resp.Body)); b != "" && !json.Valid([]byte(b)) {
			return 0, apihttp.Garbage(upload.Igloo, resp, "association answer is not JSON")
		}
		return resp.Status, nil
	}
	e := c.statusError(resp)
	if e.Class == upload.ClassNotFound {
		who := t.Person
		if who == "" {
			who = t.ID
		}
		e.Message = fmt.Sprintf("member %s or attachment %s not found: %s", who, key, e.Message)
	}
	return 0, e
}
