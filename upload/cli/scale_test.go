package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/config"
	"headshot/upload/engine"
	"headshot/upload/people"
	"headshot/upload/sandbox"
)

// Issue 12 item 11: people resolved in bulk, remembered across runs, and
// looked up at the platform's own lookup pace.

// scaleSandbox serves a sandbox of n staff (plus the demo people) and
// returns a config for it.
func scaleSandbox(t *testing.T, n int, opts sandbox.Options) (*sandbox.Sandbox, *config.Config) {
	t.Helper()
	opts.Users = sandbox.Roster(n)
	if opts.RateScale == 0 {
		opts.RateScale = 1000 // the sandbox's buckets out of the way: the clients' own pacing shows
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	return sb, config.FromValues(sb.Credentials())
}

// staffJobs are small photos for staff001 .. staff<n>.
func staffJobs(t *testing.T, n int) []engine.Job {
	t.Helper()
	dir := t.TempDir()
	jobs := make([]engine.Job, n)
	for i := range jobs {
		p := writeSmallPhoto(t, dir, benchPerson(i)+".jpg")
		jobs[i] = engine.Job{Path: p, Person: benchPerson(i)}
	}
	return jobs
}

// runPeople runs jobs on p (a dry run unless send), with the people cache
// pc (may be nil), and returns the engine's stats and events.
func runPeople(t *testing.T, cfg *config.Config, p upload.Platform, jobs []engine.Job, pc *people.Cache, send bool) (engine.PlatformStats, []engine.Event) {
	t.Helper()
	c, err := cfg.Client(p)
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(engine.Config{Clients: []upload.Client{c}, Prepare: rawPhoto, DryRun: !send, People: pc,
		Backoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var events []engine.Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range e.Events() {
			events = append(events, ev)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e.Start(ctx)
	e.Submit(jobs...)
	if err := e.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	st := e.Snapshot()[0]
	e.Close()
	<-done
	return st, events
}

// lookups is what the sandbox counted for p: list pages and one-person
// lookups (Igloo member searches, Zoom Get a user), and their arrivals.
func lookups(sb *sandbox.Sandbox, p upload.Platform) (list, single int, at []time.Time) {
	switch p {
	case upload.Igloo:
		single, list, at = sb.IglooLookups()
	case upload.Zoom:
		single, list, at = sb.ZoomLookups()
	case googlePlatform:
		single, list = sb.GoogleLookups()
	}
	return list, single, at
}

const googlePlatform upload.Platform = "google"

// A run that looks many people up reads the platform's user list once,
// shared by every photo, instead of one lookup each; people the list
// does not hold (a hidden email) or a list the workplace refuses fall
// back to the one-person lookup.
func TestBulkLookupReadsTheListOnce(t *testing.T) {
	const n = 40
	noListScope := []string{"user:read:user:admin", "user:write:profile_picture:admin"}
	cases := []struct {
		name       string
		p          upload.Platform
		opts       sandbox.Options
		wantList   int
		wantSingle func(sb *sandbox.Sandbox) int
	}{
		{"igloo member list", upload.Igloo, sandbox.Options{}, 1, func(*sandbox.Sandbox) int { return 0 }},
		{"igloo list not offered", upload.Igloo, sandbox.Options{IglooNoMemberList: true}, 1, func(*sandbox.Sandbox) int { return n }},
		{"igloo hidden emails", upload.Igloo, sandbox.Options{IglooHideEmails: true}, 1, func(sb *sandbox.Sandbox) int {
			hidden := 0 // the emulator hides every other member's email, by roster position
			for i, u := range sb.Users() {
				if i%2 == 1 && u.Email <= benchPerson(n-1) && strings.HasPrefix(u.Email, "staff") {
					hidden++
				}
			}
			return hidden
		}},
		// A workplace that caps the page below list_page_size: read on to totalCount.
		{"igloo list capped", upload.Igloo, sandbox.Options{IglooListMax: 50}, (len(sandbox.Roster(200)) + 49) / 50, func(*sandbox.Sandbox) int { return 0 }},
		{"zoom user list", upload.Zoom, sandbox.Options{}, 1, func(*sandbox.Sandbox) int { return 0 }},
		{"google user list", googlePlatform, sandbox.Options{}, 1, func(*sandbox.Sandbox) int { return 0 }},
		// The list refused 400 code 4711 (the emulator counts it only past the scope check).
		{"zoom list scope missing", upload.Zoom, sandbox.Options{ZoomScopes: noListScope}, 0, func(*sandbox.Sandbox) int { return n }},
	}
	jobs := staffJobs(t, n)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb, cfg := scaleSandbox(t, 200, c.opts)
			if err := cfg.Set(string(c.p), "lookup_rate", "500/s"); err != nil {
				t.Fatal(err)
			}
			st, _ := runPeople(t, cfg, c.p, jobs, nil, false)
			if st.Done != n || st.Failed != 0 {
				t.Fatalf("%d checked, %d failed, want %d and 0", st.Done, st.Failed, n)
			}
			list, single, _ := lookups(sb, c.p)
			if want := c.wantSingle(sb); list != c.wantList || single != want {
				t.Errorf("%d list pages and %d one-person lookups, want %d and %d", list, single, c.wantList, want)
			}
		})
	}
}

// One person (the browser re-sending one photo) is looked up alone: the
// list is not read for them.
func TestOnePersonIsNotWorthAListing(t *testing.T) {
	for _, p := range []upload.Platform{upload.Igloo, upload.Zoom, googlePlatform} {
		sb, cfg := scaleSandbox(t, 50, sandbox.Options{})
		st, _ := runPeople(t, cfg, p, staffJobs(t, 1), nil, false)
		list, single, _ := lookups(sb, p)
		if st.Done != 1 || list != 0 || single != 1 {
			t.Errorf("%s: %d checked with %d list pages and %d lookups, want 1 with 0 and 1", p, st.Done, list, single)
		}
	}
}

// The people cache lives beside the journal: a second run within
// people_ttl looks nobody up; once people_ttl has passed they are looked
// up again. The file is 0600 and holds no credential.
func TestPeopleRememberedAcrossRunsUntilTTL(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Users: sandbox.Roster(30), RateScale: 1000})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	sb.URL = srv.URL
	cfg := config.FromValues(sb.Credentials())
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := cfg.Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		writePhoto(t, dir, benchPerson(i)+".jpg")
	}
	jpath := filepath.Join(t.TempDir(), "state", "journal.db")
	opts := UploadOptions{Config: cfgPath, Journal: jpath, Platforms: "igloo,zoom,netex", DryRun: true}
	var out bytes.Buffer
	run := func() {
		t.Helper()
		var errb bytes.Buffer
		out.Reset()
		if code := Upload(opts, []string{dir}, &out, &errb); code != 0 {
			t.Fatalf("dry run exit %d\n%s\n%s", code, out.String(), errb.String())
		}
		if strings.Contains(errb.String(), "people cache") {
			t.Fatalf("warning: %s", errb.String())
		}
	}
	count := func() (int, int) {
		il, is, _ := sb.IglooLookups()
		zl, zs, _ := sb.ZoomLookups()
		return il + is, zl + zs
	}

	run()
	igloo1, zoom1 := count()
	if igloo1 == 0 || zoom1 == 0 {
		t.Fatalf("first run: igloo %d, zoom %d lookups", igloo1, zoom1)
	}
	cachePath := people.PathFor(jpath)
	st, err := os.Stat(cachePath)
	if err != nil {
		t.Fatalf("no people cache beside the journal: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("people cache mode %v, want 0600", st.Mode().Perm())
	}
	data, _ := os.ReadFile(cachePath)
	for _, secret := range []string{sandbox.IglooPassword, sandbox.IglooAppPassword, sandbox.ZoomClientSecret, sandbox.NetexToken} {
		if bytes.Contains(data, []byte(secret)) {
			t.Fatalf("the people cache holds a credential")
		}
	}
	if !bytes.Contains(data, []byte(userByEmail(t, sb, benchPerson(0)).GUID)) {
		t.Errorf("people cache lacks staff001's Igloo GUID:\n%s", data)
	}

	if strings.Contains(out.String(), "people cache") {
		t.Errorf("first run claims cache hits:\n%s", out.String())
	}
	run()
	if igloo2, zoom2 := count(); igloo2 != igloo1 || zoom2 != zoom1 {
		t.Errorf("second run looked people up again: igloo %d -> %d, zoom %d -> %d", igloo1, igloo2, zoom1, zoom2)
	}
	if !strings.Contains(out.String(), "people: 9 found in the people cache") {
		t.Errorf("second run does not say the cache served 3 people on 3 platforms:\n%s", out.String())
	}

	// people_ttl passes (for Igloo only): Igloo looks up again, Zoom not.
	cfg2, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg2.Set("igloo", "people_ttl", "1ms"); err != nil {
		t.Fatal(err)
	}
	if err := cfg2.Save(cfgPath); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	run()
	if igloo3, zoom3 := count(); igloo3 <= igloo1 || zoom3 != zoom1 {
		t.Errorf("after Igloo's people_ttl: igloo %d -> %d lookups (want more), zoom %d -> %d (want none)", igloo1, igloo3, zoom1, zoom3)
	}
}

func userByEmail(t *testing.T, sb *sandbox.Sandbox, email string) sandbox.User {
	t.Helper()
	for _, u := range sb.Users() {
		if u.Email == email {
			return u
		}
	}
	t.Fatalf("no %s in the roster", email)
	return sandbox.User{}
}

// An id the cache remembers that the platform no longer knows (the person
// was removed and added again) is sent to once: on "no such user" the
// entry is dropped, the person looked up again, and the photo sent to the
// right id; a person who is gone for good fails after that one lookup.
func TestStaleRememberedIDLookedUpAgain(t *testing.T) {
	for _, c := range []struct {
		p     upload.Platform
		stale string
		right func(sandbox.User) string
	}{
		{upload.Zoom, "5b1cffff-0000-4000-8000-00000000ffff", func(u sandbox.User) string { return u.UUID }},
		{upload.Igloo, "a1f0ffff-9c3e-4d2b-b7a1-00000000ffff", func(u sandbox.User) string { return u.GUID }},
	} {
		t.Run(string(c.p), func(t *testing.T) {
			sb, cfg := scaleSandbox(t, 5, sandbox.Options{})
			path := people.PathFor(filepath.Join(t.TempDir(), "journal.db"))
			tenants := cfg.Tenants()
			pc, warn := people.Open(path, tenants)
			if warn != "" {
				t.Fatal(warn)
			}
			jane := benchPerson(0)
			pc.Put(c.p, upload.Target{Person: jane, ID: c.stale})
			pc.Put(c.p, upload.Target{Person: "gone@example.com", ID: c.stale})
			if err := pc.Save(); err != nil {
				t.Fatal(err)
			}
			pc, _ = people.Open(path, tenants)

			jobs := staffJobs(t, 1)
			jobs = append(jobs, engine.Job{Path: writeSmallPhoto(t, t.TempDir(), "gone@example.com.jpg"), Person: "gone@example.com"})
			st, events := runPeople(t, cfg, c.p, jobs, pc, true)
			if st.Done != 1 || st.Failed != 1 {
				t.Fatalf("%d uploaded, %d failed, want 1 and 1", st.Done, st.Failed)
			}
			got := map[string]int{}
			for _, r := range sb.Received() {
				got[r.User]++
			}
			if got[jane] != 1 || len(got) != 1 {
				t.Errorf("stored %v, want one photo for %s", got, jane)
			}
			retried := map[string]int{}
			for _, ev := range events {
				if ev.Kind == engine.EventRetrying && strings.Contains(ev.Message, "looking them up again") {
					retried[ev.Person]++
				}
				if ev.Kind == engine.EventFailed && ev.Person == "gone@example.com" && upload.ClassOf(ev.Err) != upload.ClassNotFound {
					t.Errorf("gone@example.com failed with %v, want not found", ev.Err)
				}
			}
			if retried[jane] != 1 || retried["gone@example.com"] != 1 {
				t.Errorf("looked up again: %v, want once each", retried)
			}
			if t2, ok := pc.Get(c.p, jane, time.Hour); !ok || t2.ID != c.right(userByEmail(t, sb, jane)) {
				t.Errorf("cache holds %+v (%v) for %s after the run, want the right id", t2, ok, jane)
			}
			if _, ok := pc.Get(c.p, "gone@example.com", time.Hour); ok {
				t.Errorf("the stale id of a person gone for good is still remembered")
			}
		})
	}
}

// Lookups are paced by the platform's lookup limit (lookup_rate), not by
// its upload rate: with uploads at 1/min and lookups at 10/s, the sandbox
// sees the k-th lookup no earlier than k/10 s after the run started, and
// all of them well before an upload-paced run could have made a third
// (the run's 2-minute deadline).
func TestLookupsPacedByTheLookupLimit(t *testing.T) {
	const n, perSecond = 15, 10
	noListScope := []string{"user:read:user:admin", "user:write:profile_picture:admin"}
	for _, c := range []struct {
		p    upload.Platform
		opts sandbox.Options
		set  map[string]string
	}{
		{upload.Igloo, sandbox.Options{}, map[string]string{"member_list": "off"}},
		{upload.Zoom, sandbox.Options{ZoomScopes: noListScope}, nil}, // every user looked up alone
		{upload.Netex, sandbox.Options{}, nil},                       // usernames: looked up one by one
	} {
		t.Run(string(c.p), func(t *testing.T) {
			sb, cfg := scaleSandbox(t, 30, c.opts)
			for k, v := range map[string]string{"rate": "1/min", "lookup_rate": fmt.Sprintf("%d/s", perSecond)} {
				if err := cfg.Set(string(c.p), k, v); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range c.set {
				if err := cfg.Set(string(c.p), k, v); err != nil {
					t.Fatal(err)
				}
			}
			jobs := staffJobs(t, n)
			if c.p == upload.Netex {
				for i := range jobs {
					jobs[i].Person = strings.TrimSuffix(jobs[i].Person, "@example.com")
				}
			}
			start := time.Now()
			st, _ := runPeople(t, cfg, c.p, jobs, nil, false)
			took := time.Since(start)
			if st.Done != n {
				t.Fatalf("%d of %d checked (failed %d)", st.Done, n, st.Failed)
			}
			var at []time.Time
			if c.p == upload.Netex {
				at = sb.NetexLookups()
			} else {
				_, _, at = lookups(sb, c.p)
			}
			if len(at) < n {
				t.Fatalf("the sandbox saw %d lookups, want at least %d", len(at), n)
			}
			// The k-th lookup cannot leave before the limiter's k-th
			// token, start + k/lookup_rate, and arrives after it left: a
			// bound a loaded machine can only make easier to meet.
			sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
			for k, a := range at {
				if due := start.Add(time.Duration(k) * time.Second / perSecond); a.Before(due.Add(-5 * time.Millisecond)) {
					t.Fatalf("lookup #%d arrived %v after the start, before its token was due (%v): faster than lookup_rate %d/s",
						k, a.Sub(start), due.Sub(start), perSecond)
				}
			}
			if took > 2*time.Minute-10*time.Second {
				t.Errorf("%d lookups took %v: paced by the upload rate (1/min)?", n, took)
			}
		})
	}
}

// A platform that looked people up one by one although the run was large
// says why (here: the workplace does not offer its member list), so a slow
// run is explained.
func TestListNoteExplainsOneByOneLookups(t *testing.T) {
	sb, cfg := scaleSandbox(t, 10, sandbox.Options{IglooNoMemberList: true})
	c, err := cfg.Client(upload.Igloo)
	if err != nil {
		t.Fatal(err)
	}
	c.(upload.PeopleLister).ExpectPeople(5)
	if _, err := c.Resolve(t.Context(), benchPerson(0)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printLookupNotes(&out, engine.Config{Clients: []upload.Client{c}})
	if want := "Igloo: the member list is not offered (HTTP 404): searching for each person"; !strings.Contains(out.String(), want) {
		t.Errorf("notes %q, want %q", out.String(), want)
	}
	if list, single, _ := lookups(sb, upload.Igloo); list != 1 || single != 1 {
		t.Errorf("%d list pages, %d searches", list, single)
	}
}
