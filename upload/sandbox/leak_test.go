package sandbox

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// settledGoroutines waits for the goroutine count to fall to at most want.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 300 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// Closing a started sandbox, also with requests held in flight by injected
// latency, leaves no goroutine behind; neither does the command's
// shutdown on a signal.
func TestCloseLeaksNoGoroutines(t *testing.T) {
	before := settledGoroutines(0)
	for round := 0; round < 2; round++ {
		s, err := Start(Options{RateScale: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if round == 1 {
			s.SetFaults(Faults{Latency: time.Minute})
		}
		tr := &http.Transport{}
		hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
		cr := s.Credentials()
		done := make(chan struct{}, 4)
		for i := 0; i < 4; i++ {
			go func() {
				defer func() { done <- struct{}{} }()
				req, _ := http.NewRequest("POST", cr["interact"]["base_url"]+"/api/umi/"+cr["interact"]["domain_id"]+"/upload/username/nobody/picture", bytes.NewReader([]byte("x")))
				req.Header.Set("X-ApiKey", cr["interact"]["api_key"])
				if resp, err := hc.Do(req); err == nil {
					resp.Body.Close()
				}
			}()
		}
		time.Sleep(100 * time.Millisecond)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("a request outlived Close")
			}
		}
		tr.CloseIdleConnections()
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, Options{Listen: "127.0.0.1:0", RateScale: 1}, &out, &errOut) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case code := <-exited:
		if code != 0 || !strings.Contains(out.String(), "sandbox stopped") {
			t.Fatalf("exit %d: %s %s", code, out.String(), errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox command did not stop")
	}
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%d goroutines before, %d after:\n%s", before, after, buf)
	}
}
