package rhombus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	Deleted   bool   `json:"deleted"` // a removed user Rhombus still lists: skipped
}

// fileStem is the name Rhombus matches a photo file on (match_by): the
// email, or the uuid for a user without one; or always the uuid.
func (u orgUser) fileStem(matchBy string) string {
	if u.Email != "" && matchBy != MatchUUID {
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

// listUsers is POST /api/user/getUsersInOrg {}. The whole organisation
// comes in one answer (up to apihttp.MaxListBody): it is decoded as it
// arrives, one user at a time, keeping only what Resolve needs, so a
// 64 MB list does not sit in memory as bytes, text and structs at once.
func (c *Client) listUsers(ctx context.Context) ([]orgUser, error) {
	req, err := c.newRequest(http.MethodPost, "/api/user/getUsersInOrg", []byte("{}"), "application/json")
	if err != nil {
		return nil, err
	}
	secrets := c.Secrets(req)
	var list orgList
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	r, err := c.Stream(ctx, req, apihttp.MaxListBody, func(body io.Reader) error {
		return list.decode(body, apihttp.MaxListUsers)
	})
	if err != nil {
		var ue *upload.Error
		if errors.As(err, &ue) {
			return nil, err
		}
		if errors.Is(err, errTooManyUsers) {
			return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer,
				Message: fmt.Sprintf("the organisation's user list goes on past %d users; headshot stops reading it there", apihttp.MaxListUsers)}
		}
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: 200,
			Message: "unexpected answer (want a JSON user list): " + upload.CleanMessage(apihttp.Redact(err.Error(), secrets...), 120)}
	}
	if r.Status < 200 || r.Status > 299 {
		return nil, c.statusError(r)
	}
	if list.appErr {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassRejected, Status: r.Status,
			Message: "listing users failed: " + upload.CleanMessage(apihttp.Redact(list.appMsg, secrets...), upload.MaxMessage)}
	}
	if !list.found {
		return nil, &upload.Error{Platform: upload.Rhombus, Class: upload.ClassServer, Status: r.Status,
			Message: "unexpected answer (want a JSON user list): no \"users\""}
	}
	for i := range list.users {
		list.users[i].Name = apihttp.Redact(list.users[i].Name, secrets...)
	}
	return list.users, nil
}

var errTooManyUsers = errors.New("too many users")

// orgList is getUsersInOrg's answer as decode reads it.
type orgList struct {
	users  []orgUser
	found  bool // a "users" array was there
	appErr bool
	appMsg string
}

// decode reads {"error":..,"errorMsg":..,"users":[{..},..],..} token by
// token; every user is reduced to uuid, email and display name.
func (l *orgList) decode(r io.Reader, max int) error {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil {
		return err
	} else if d, ok := t.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		switch key {
		case "users":
			if err := l.decodeUsers(dec, max); err != nil {
				return err
			}
		case "error":
			if err := dec.Decode(&l.appErr); err != nil {
				return err
			}
		case "errorMsg":
			var m *string
			if err := dec.Decode(&m); err != nil {
				return err
			}
			if m != nil {
				l.appMsg = upload.CleanMessage(*m, upload.MaxMessage)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	_, err := dec.Token() // the closing brace
	return err
}

func (l *orgList) decodeUsers(dec *json.Decoder, max int) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t == nil {
		return nil // "users": null
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return errors.New(`"users" is not a list`)
	}
	l.found = true
	for dec.More() {
		if len(l.users) >= max {
			return errTooManyUsers
		}
		var u orgUser
		if err := dec.Decode(&u); err != nil {
			return err
		}
		if u.Deleted {
			continue // a removed user Rhombus still lists
		}
		l.users = append(l.users, orgUser{UUID: u.UUID, Email: u.Email,
			Name: upload.CleanMessage(u.displayName(), 200)})
	}
	_, err = dec.Token()
	return err
}
