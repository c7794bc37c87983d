package rhombus_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/rhombus"
	"headshot/upload/sandbox"
)

func TestDeletedUsersAreSkipped(t *testing.T) {
	// The sandbox lists the first user's deleted earlier account before
	// the live one, with the same email.
	for _, match := range []string{rhombus.MatchEmail, rhombus.MatchUUID} {
		s := startSandbox(t, sandbox.Options{RhombusMatch: match})
		c := config(s)
		c.MatchBy = match
		cl := newClient(t, c)
		u := s.Users()[0]
		tg, err := cl.Resolve(context.Background(), u.Email)
		if err != nil {
			t.Fatal(err)
		}
		want := u.Email
		if match == rhombus.MatchUUID {
			want = u.RhombusID()
		}
		if tg.ID != want {
			t.Fatalf("match_by %s: resolved %q, want the live account's %q", match, tg.ID, want)
		}
		if _, err := cl.Upload(context.Background(), tg, photo(t)); err != nil {
			t.Fatalf("match_by %s: %v", match, err)
		}
		if got := s.ReceivedBy("rhombus"); len(got) != 1 || got[0].User != u.Email {
			t.Fatalf("match_by %s: stored %+v", match, got)
		}
	}
}

func TestBulkSettingsFollowTheServer(t *testing.T) {
	for _, tc := range []struct {
		name           string
		server, client [3]string // part name, match_by, results field
		wantClass      upload.Class
		wantWords      string
	}{
		{name: "defaults", server: [3]string{"", "", ""}, client: [3]string{"", "", ""}},
		{name: "all changed, both sides", server: [3]string{"photos", "uuid", "results"}, client: [3]string{"photos", "uuid", "results"}},
		{name: "part name differs", server: [3]string{"photos", "", ""}, client: [3]string{"", "", ""},
			wantClass: upload.ClassRejected, wantWords: "part_name"},
		{name: "match differs", server: [3]string{"", "uuid", ""}, client: [3]string{"", "email", ""},
			wantClass: upload.ClassNotFound, wantWords: "match_by"},
		{name: "results field differs", server: [3]string{"", "", "results"}, client: [3]string{"", "", ""},
			wantClass: upload.ClassServer, wantWords: "results_field"},
	} {
		s := startSandbox(t, sandbox.Options{RhombusPartName: tc.server[0], RhombusMatch: tc.server[1], RhombusResultsField: tc.server[2]})
		c := config(s)
		c.PartName, c.MatchBy, c.ResultsField = tc.client[0], tc.client[1], tc.client[2]
		cl := newClient(t, c)
		tg, err := cl.Resolve(context.Background(), s.Users()[2].Email)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Upload(context.Background(), tg, photo(t))
		if tc.wantWords == "" {
			if err != nil || len(s.ReceivedBy("rhombus")) != 1 {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := upload.AsError(err)
		if !ok || e.Class != tc.wantClass || !strings.Contains(e.Message, tc.wantWords) {
			t.Errorf("%s: %v; want %v naming the setting %s", tc.name, err, tc.wantClass, tc.wantWords)
		}
	}
}

func TestServer500RetriedOnceThenNarrowedToThePhoto(t *testing.T) {
	s := sandbox.New(sandbox.Options{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "bulkUploadUserProfilePhotos") {
			requests.Add(1)
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	bad := s.Users()[5]
	cl := newClient(t, config(s))
	var items []upload.Item
	for _, u := range s.Users()[:8] {
		items = append(items, upload.Item{Target: upload.Target{Person: u.Email, ID: u.Email}, Photo: photo(t)})
	}
	// Without a bad photo: one request.
	out, err := cl.UploadBatch(context.Background(), items)
	if err != nil || requests.Load() != 1 {
		t.Fatalf("clean batch: %v after %d requests", err, requests.Load())
	}
	for i, o := range out {
		if o.Err != nil {
			t.Fatalf("clean batch, photo %d: %v", i, o.Err)
		}
	}

	// With one photo Rhombus answers 500 for: the batch is sent twice,
	// then halved down to that photo, which fails with the words.
	sb := sandbox.New(sandbox.Options{RhombusBadFile: bad.Email + ".png"})
	requests.Store(0)
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "bulkUploadUserProfilePhotos") {
			requests.Add(1)
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv2.Close)
	sb.URL = srv2.URL
	cl2 := newClient(t, config(sb))
	out, err = cl2.UploadBatch(context.Background(), items)
	if err != nil {
		t.Fatalf("a batch with one bad photo failed as a whole: %v", err)
	}
	for i, o := range out {
		if items[i].Target.Person == bad.Email {
			e, ok := upload.AsError(o.Err)
			if !ok || e.Class != upload.ClassRejected || e.Status != 500 || !strings.Contains(e.Message, "Missing or invalid parameter") {
				t.Errorf("the bad photo: %v; want rejected with Rhombus's words", o.Err)
			}
			continue
		}
		if o.Err != nil {
			t.Errorf("photo %d (%s): %v", i, items[i].Target.Person, o.Err)
		}
	}
	// 2 for the whole batch, then 2 per halving (8 -> 4 -> 2 -> 1).
	if n := requests.Load(); n != 2+2*3 {
		t.Errorf("%d requests, want 8 (twice the batch, then two per halving)", n)
	}
	if got := len(sb.ReceivedBy("rhombus")); got != 7 {
		t.Errorf("stored %d photos, want the 7 good ones once each", got)
	}
}

func TestServer500EverywhereIsAServerFailure(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		requests.Add(1)
		w.WriteHeader(500)
		w.Write([]byte(`{"message":"Internal error"}`))
	}))
	defer srv.Close()
	cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k"})
	items := make([]upload.Item, 10)
	for i := range items {
		items[i] = upload.Item{Target: upload.Target{ID: "u" + string(rune('a'+i)) + "@example.com"}, Photo: photo(t)}
	}
	_, err := cl.UploadBatch(context.Background(), items)
	if e := wantClass(t, err, upload.ClassServer); e.Status != 500 {
		t.Fatalf("%+v", e)
	}
	if n := requests.Load(); n != 4 {
		t.Fatalf("%d requests, want 4: the batch twice, then each half once", n)
	}
}

func TestTimeoutScalesWithTheBody(t *testing.T) {
	// The server takes 400 ms to answer; timeout is 100 ms. At a slow
	// assumed uplink the photo's bytes add seconds to the deadline.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(400 * time.Millisecond)
		w.Write([]byte(`{"fileUploadResults":[{"fileName":"jane.doe@example.com.png","success":true}]}`))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		kbps   int
		wantOK bool
	}{{kbps: 8, wantOK: true}, {kbps: 1_000_000, wantOK: false}} {
		cl := newClient(t, rhombus.Config{BaseURL: srv.URL, APIKey: "k", Settings: apihttp.Settings{Timeout: 100 * time.Millisecond}, UplinkKbps: tc.kbps})
		_, err := cl.Upload(context.Background(), upload.Target{ID: jane}, photo(t))
		if tc.wantOK && err != nil {
			t.Errorf("uplink %d kbit/s: %v; want the body's time added to the deadline", tc.kbps, err)
		}
		if !tc.wantOK {
			wantClass(t, err, upload.ClassNetwork)
		}
	}
}
