package zoom_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"headshot/upload"
	"headshot/upload/sandbox"
	"headshot/upload/zoom"
)

// BenchmarkUploadToSandbox measures one Zoom picture upload (token cached,
// 600x600 JPEG) against the loopback sandbox with rate limits lifted.
func BenchmarkUploadToSandbox(b *testing.B) {
	s := sandbox.New(sandbox.Options{RateScale: 1e6})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	s.URL = srv.URL
	cl, err := zoom.New(config(s))
	if err != nil {
		b.Fatal(err)
	}
	p := photo(b)
	tg := upload.Target{Person: jane, ID: jane}
	b.SetBytes(int64(len(p.Data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := cl.Upload(context.Background(), tg, p); err != nil {
			b.Fatal(err)
		}
	}
}
