package rhombus

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// orgUser is one entry of getUsersInOrg.
type orgUser struct {
	UUID      string `json:"uuid"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Name      string `json:"name"`
	Status    string `json:"status"`
}

// fileStem is the name Rhombus matches a photo file on: the email, or the
// uuid for a user without one.
func (u orgUser) fileStem() string {
	if u.Email != "" {
		return u.Email
	}
	return u.UUID
}

func (u orgUser) displayName() string {
	if n := strings.TrimSpace(u.Name); n != "" {
		return n
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// userCache keeps the organisation's user list for UsersTTL. Callers that
// need it while it is being fetched wait for that one fetch.
type userCache struct {
	client *Client

	mu       sync.Mutex
	list     []orgUser
	until    time.Time
	inflight *userFetch
}

type userFetch struct {
	done chan struct{}
	list []orgUser
	err  error
}

// get returns the cached list, fetching it when absent or stale.
func (uc *userCache) get(ctx context.Context) ([]orgUser, error) {
	uc.mu.Lock()
	if uc.list != nil && time.Now().Before(uc.until) {
		l := uc.list
		uc.mu.Unlock()
		return l, nil
	}
	uc.mu.Unlock()
	return uc.refresh(ctx)
}

// refresh fetches the list now (joining a fetch already under way).
func (uc *userCache) refresh(ctx context.Context) ([]orgUser, error) {
	uc.mu.Lock()
	f := uc.inflight
	if f == nil {
		f = &userFetch{done: make(chan struct{})}
		uc.inflight = f
		go uc.fetch(f)
	}
	uc.mu.Unlock()
	select {
	case <-f.done:
		return f.list, f.err
	case <-ctx.Done():
		return nil, apihttp.TransportError(ctx, upload.Rhombus, ctx.Err())
	}
}

// fetch runs one list request on its own deadline and publishes it.
func (uc *userCache) fetch(f *userFetch) {
	ctx, cancel := context.WithTimeout(context.Background(), uc.client.cfg.Timeout)
	defer cancel()
	list, err := uc.client.listUsers(ctx)
	uc.mu.Lock()
	if err == nil {
		uc.list, uc.until = list, time.Now().Add(uc.client.cfg.UsersTTL)
	}
	uc.inflight = nil
	uc.mu.Unlock()
	f.list, f.err = list, err
	close(f.done)
}

// listUsers is POST /api/user/getUsersInOrg {}.
func (c *Client) listUsers(ctx context.Context) ([]orgUser, error) {
	req, err := c.newRequest(http.MethodPost, "/api/user/getUsersInOrg", []byte("{}"), "application/json")
	if err != nil {
		return nil, err
	}
	// The whole organisation in one answer: a larger limit than Do's.
	r, err := c.DoLimit(ctx, req, apihttp.MaxListBody)
	if err != nil {
		return nil, err
	}
	if r.Status < 200 || r.Status > 299 {
		return nil, c.statusError(r)
	}
	var ans struct {
		appError
		Users *[]orgUser `json:"users"`
	}
	if json.Unmarshal(r.Body, &ans) != nil {
		return nil, c.garbage(r, "want a JSON user list")
	}
	if ans.Error {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: r.Status,
			Message: "listing users failed: " + c.words(r.Body)}
	}
	if ans.Users == nil {
		return nil, c.garbage(r, "want a JSON user list")
	}
	return *ans.Users, nil
}
