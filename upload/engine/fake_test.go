package engine

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"headshot/imageprep"
	"headshot/upload"
)

// call is one request a fake client received.
type call struct {
	person string
	at     time.Time
	bytes  int
}

// fakeClient is a scriptable upload.Client.
type fakeClient struct {
	p   upload.Platform
	lim upload.Limits

	mu       sync.Mutex
	calls    []call
	resolves []string
	perUser  map[string]int
	// answer decides the n-th (1-based) upload for a person; nil error: ok.
	answer func(person string, n int, ph upload.Photo) error
	// receipt, when set, is the n-th successful upload's receipt.
	receipt func(person string, n int) upload.Receipt
	// resolveErr decides Resolve.
	resolveErr func(person string) error
	// hold, when set, makes Upload wait for it (or ctx).
	hold chan struct{}
	// batches counts UploadBatch requests (batch fakes).
	batches int
}

func newFake(p upload.Platform, perSecond int) *fakeClient {
	return &fakeClient{p: p, perUser: map[string]int{}, lim: upload.Limits{
		MaxBytes: 5 << 20, MIMETypes: []string{"image/jpeg", "image/png"},
		Rate: upload.Rate{N: perSecond, Per: time.Second}, Burst: 1, Concurrency: 4, BatchSize: 1}}
}

func (f *fakeClient) Platform() upload.Platform       { return f.p }
func (f *fakeClient) Limits() upload.Limits           { return f.lim }
func (f *fakeClient) Check(ctx context.Context) error { return nil }

func (f *fakeClient) Resolve(ctx context.Context, person string) (upload.Target, error) {
	f.mu.Lock()
	f.resolves = append(f.resolves, person)
	fn := f.resolveErr
	f.mu.Unlock()
	if fn != nil {
		if err := fn(person); err != nil {
			return upload.Target{}, err
		}
	}
	return upload.Target{Person: person, ID: "id-" + person}, nil
}

func (f *fakeClient) Upload(ctx context.Context, t upload.Target, ph upload.Photo) (upload.Receipt, error) {
	if err := f.Limits().Validate(f.p, ph); err != nil {
		return upload.Receipt{}, err
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{person: t.Person, at: time.Now(), bytes: len(ph.Data)})
	f.perUser[t.Person]++
	n := f.perUser[t.Person]
	answer, hold, receipt := f.answer, f.hold, f.receipt
	f.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return upload.Receipt{}, &upload.Error{Platform: f.p, Class: upload.ClassCanceled, Err: ctx.Err()}
		}
	}
	if ctx.Err() != nil {
		return upload.Receipt{}, &upload.Error{Platform: f.p, Class: upload.ClassCanceled, Err: ctx.Err()}
	}
	if answer != nil {
		if err := answer(t.Person, n, ph); err != nil {
			return upload.Receipt{}, err
		}
	}
	if receipt != nil {
		return receipt(t.Person, n), nil
	}
	return upload.Receipt{Status: 200}, nil
}

func (f *fakeClient) callList() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

func (f *fakeClient) uploadsOf(person string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.perUser[person]
}

// batchFake is a fake BatchClient.
type batchFake struct{ *fakeClient }

func (b batchFake) UploadBatch(ctx context.Context, items []upload.Item) ([]upload.Outcome, error) {
	b.mu.Lock()
	b.batches++
	b.mu.Unlock()
	out := make([]upload.Outcome, len(items))
	for i, it := range items {
		_, err := b.Upload(ctx, it.Target, it.Photo)
		if ue, ok := upload.AsError(err); ok && ue.Class == upload.ClassCanceled {
			return nil, err
		}
		out[i].Err = err
	}
	return out, nil
}

// fakePrep is a PrepareFunc producing size bytes (capped by the budget)
// and counting its calls.
type fakePrep struct {
	mu    sync.Mutex
	calls []imageprep.Options
	paths []string
	size  int
	delay time.Duration
}

func (fp *fakePrep) prepare(ctx context.Context, path string, o imageprep.Options) (*imageprep.Result, error) {
	fp.mu.Lock()
	fp.calls = append(fp.calls, o)
	fp.paths = append(fp.paths, path)
	size := fp.size
	fp.mu.Unlock()
	if fp.delay > 0 {
		select {
		case <-time.After(fp.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if size == 0 {
		size = 1000
	}
	if o.Profile.MaxBytes > 0 && int64(size) > o.Profile.MaxBytes {
		size = int(o.Profile.MaxBytes)
	}
	data := make([]byte, size)
	copy(data, path)
	return &imageprep.Result{Data: data, Format: imageprep.JPEG, Width: 600, Height: 600}, nil
}

func (fp *fakePrep) count() int {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return len(fp.calls)
}

// photos writes n distinct small files named person<i>.jpg and returns jobs.
func photos(t testing.TB, n int) []Job {
	t.Helper()
	dir := t.TempDir()
	jobs := make([]Job, n)
	for i := range jobs {
		person := fmt.Sprintf("p%03d@example.com", i)
		path := filepath.Join(dir, person+".jpg")
		if err := os.WriteFile(path, []byte("photo of "+person), 0o600); err != nil {
			t.Fatal(err)
		}
		jobs[i] = Job{Path: path, Person: person}
	}
	return jobs
}

// photosIn writes one small file for <name>@example.com in dir.
func photosIn(t testing.TB, dir, name string) Job {
	t.Helper()
	person := name + "@example.com"
	path := filepath.Join(dir, person+".jpg")
	if err := os.WriteFile(path, []byte("photo of "+person), 0o600); err != nil {
		t.Fatal(err)
	}
	return Job{Path: path, Person: person}
}

// collector reads every event until the channel closes.
type collector struct {
	mu     sync.Mutex
	events []Event
	done   chan struct{}
}

func collect(e *Engine) *collector {
	c := &collector{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for ev := range e.Events() {
			c.mu.Lock()
			c.events = append(c.events, ev)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *collector) all() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.events...)
}

func (c *collector) count(k EventKind, p upload.Platform) int {
	n := 0
	for _, ev := range c.all() {
		if ev.Kind == k && (p == "" || ev.Platform == p) {
			n++
		}
	}
	return n
}

// testConfig is a Config with fast backoff and the fake preparer.
func testConfig(fp *fakePrep, clients ...upload.Client) Config {
	return Config{Clients: clients, Prepare: fp.prepare, Backoff: 20 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond, BatchWindow: 30 * time.Millisecond}
}

// runAll starts an engine, submits jobs, waits (bounded) and closes it.
func runAll(t *testing.T, cfg Config, jobs []Job) (*Engine, *collector) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e.Start(ctx)
	e.Submit(jobs...)
	if err := e.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	e.Close()
	<-c.done
	return e, c
}

// startEngine starts an engine for a test that submits several runs in
// one session; it is closed (and its events drained) when the test ends.
func startEngine(t *testing.T, cfg Config) (*Engine, context.Context) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := collect(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(func() { cancel(); e.Close(); <-c.done })
	e.Start(ctx)
	return e, ctx
}

func itemsIn(e *Engine, st string) int {
	n := 0
	for _, it := range e.Items() {
		if string(it.State) == st {
			n++
		}
	}
	return n
}

func rectOf(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }
