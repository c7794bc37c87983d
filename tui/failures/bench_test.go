package failures

import (
	"fmt"
	"testing"
	"time"

	"headshot/tui/common"
	"headshot/upload"
)

// BenchmarkRefreshAndView2000 is one tick with 2,000 failures listed: read
// the engine, rebuild the rows, render 80x24.
func BenchmarkRefreshAndView2000(b *testing.B) {
	eng := mixedEngine()
	for i := 0; i < 2000; i++ {
		eng.items = append(eng.items, failedItem(fmt.Sprintf("b%04d", i), upload.Platforms()[i%5],
			fmt.Sprintf("staff%04d@example.com", i), &upload.Error{Class: upload.Class(1 + i%7), Status: 500, Message: "some words from the server"}))
	}
	now := t0
	m := New(common.NewCommon(common.Color256), eng, WithClock(func() time.Time { return now }))
	m.SetSize(80, 22)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(m.poll.Current())
		_ = m.View()
	}
}
