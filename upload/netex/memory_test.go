package netex

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
)

// endlessUsers pages forever: every page is full and no total is given.
func endlessUsers(small bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
		count, _ := strconv.Atoi(r.URL.Query().Get("count"))
		bw := bufio.NewWriter(w)
		bw.WriteString(`{"users":[`)
		for i := start; i < start+count; i++ {
			if i > start {
				bw.WriteByte(',')
			}
			if small { // the cap test: fast even under -race
				fmt.Fprintf(bw, `{"id":%d,"email":"s%d@x"}`, i, i)
				continue
			}
			fmt.Fprintf(bw, `{"id":"%d","username":"user%d","email":"staff%d@example.com","firstName":"F%d","lastName":"L%d","externalId":"ext-%d","commonId":"c-%d"}`, i, i, i, i, i, i, i)
		}
		bw.WriteString(`]}`)
		bw.Flush()
	}))
}

// A user list that pages forever stops at MaxListUsers with the reason.
func TestEndlessUserListCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("300,000 users")
	}
	srv := endlessUsers(true)
	defer srv.Close()
	// Not paced: 600 pages at the default lookup_rate would take 2 min.
	c := newClient(t, Config{BaseURL: srv.URL, Token: "tok-123456", Settings: apihttp.Settings{Timeout: 10 * time.Minute},
		LookupRate: upload.Rate{N: 100000, Per: time.Second}})
	_, err := c.Resolve(t.Context(), "nobody@example.com")
	e := wantClass(t, err, upload.ClassServer)
	if !strings.Contains(e.Message, fmt.Sprintf("goes on past %d users", apihttp.MaxListUsers)) {
		t.Errorf("message %q", e.Message)
	}
	if c.users != nil {
		t.Errorf("a refused list was kept (%d users)", len(c.users))
	}
}

// BenchmarkEndlessUserList reads a list that pages forever up to the cap
// and reports the peak RSS (run alone: -run '^$' -bench EndlessUserList
// -benchtime 1x).
func BenchmarkEndlessUserList(b *testing.B) {
	srv := endlessUsers(false)
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, Token: "tok-123456", LookupRate: upload.Rate{N: 100000, Per: time.Second}})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := c.Resolve(b.Context(), "nobody@example.com"); upload.ClassOf(err) != upload.ClassServer {
			b.Fatal(err)
		}
	}
	b.ReportMetric(peakRSS(), "peakRSS-MB")
}

func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
