package rhombus_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"headshot/upload"
	"headshot/upload/rhombus"
	"headshot/upload/sandbox"
)

// BenchmarkBatchOf100ToSandbox measures one full Rhombus request (100
// 600x600 PNGs, per-file results) against the loopback sandbox.
func BenchmarkBatchOf100ToSandbox(b *testing.B) {
	s := sandbox.New(sandbox.Options{RateScale: 1e6})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	s.URL = srv.URL
	cl, err := rhombus.New(config(s))
	if err != nil {
		b.Fatal(err)
	}
	p := photo(b)
	items := make([]upload.Item, 100)
	for i, u := range s.Users()[:100] {
		items[i] = upload.Item{Target: upload.Target{Person: u.Email, ID: u.Email}, Photo: p}
	}
	b.SetBytes(int64(len(p.Data)) * 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := cl.UploadBatch(context.Background(), items)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range out {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
		}
	}
}
