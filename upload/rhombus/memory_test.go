package rhombus_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"headshot/upload"
	"headshot/upload/apihttp"
	"headshot/upload/rhombus"
)

// listServer answers getUsersInOrg with n users, written as they are
// generated (the server holds none of it), about 230 bytes each.
func listServer(n int, extra string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString(`{"error":false,"users":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				bw.WriteByte(',')
			}
			if extra == "" { // small users: the cap test, fast even under -race
				fmt.Fprintf(bw, `{"uuid":"u%d"}`, i)
				continue
			}
			fmt.Fprintf(bw, `{"uuid":"u%07d-aaaa-bbbb-cccc","email":"staff%07d@example.com","firstName":"First%d","lastName":"Last%d","name":"","status":"ACTIVE","roleUuids":["r1","r2"],"createdAtMillis":1700000000000,"note":"%s"}`, i, i, i, i, extra)
		}
		bw.WriteString(`]}`)
		bw.Flush()
	}))
}

// peakRSS is this process's high-water resident set (VmHWM), in MB.
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

// BenchmarkUserList64MB reads a 64 MB organisation list (about 280,000
// users) and reports the process's peak RSS. Run alone, so the peak is
// this list's:
//
//	go test -run '^$' -bench UserList64MB -benchtime 1x ./upload/rhombus
func BenchmarkUserList64MB(b *testing.B) {
	srv := listServer(280_000, strings.Repeat("x", 10))
	defer srv.Close()
	cl, err := rhombus.New(rhombus.Config{BaseURL: srv.URL, APIKey: "k3y-for-bench"})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := cl.Check(b.Context()); err != nil {
			b.Fatal(err)
		}
		t, err := cl.Resolve(b.Context(), "staff0279999@example.com")
		if err != nil || t.ID != "staff0279999@example.com" {
			b.Fatalf("%v %+v", err, t)
		}
	}
	b.ReportMetric(peakRSS(), "peakRSS-MB")
}

// A list past MaxListUsers is refused with the count said, not kept.
func TestUserListOverTheCapRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("300,000 users")
	}
	srv := listServer(300_001, "")
	defer srv.Close()
	cl, err := rhombus.New(rhombus.Config{BaseURL: srv.URL, APIKey: "k3y", Settings: apihttp.Settings{Timeout: 10 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	err = cl.Check(t.Context())
	if upload.ClassOf(err) != upload.ClassServer || !strings.Contains(err.Error(), "goes on past 300000 users") {
		t.Fatalf("Check = %v", err)
	}
}

// The streamed list still finds people by email in any case and by uuid,
// and a user's name echoing the key is redacted.
func TestStreamedUserListResolves(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"error":false,"extra":{"a":[1,2]},"users":[{"uuid":"u1","email":"Jane@Example.com","firstName":"Jane","lastName":"Doe"},{"uuid":"u2","email":"","name":"K3Y-SECRET-VALUE"}],"more":null}`))
	}))
	defer srv.Close()
	cl, err := rhombus.New(rhombus.Config{BaseURL: srv.URL, APIKey: "k3y-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	if tg, err := cl.Resolve(t.Context(), "jane@example.com"); err != nil || tg.ID != "Jane@Example.com" || tg.Name != "Jane Doe" {
		t.Errorf("by email: %+v %v", tg, err)
	}
	tg, err := cl.Resolve(t.Context(), "u2")
	if err != nil || tg.ID != "u2" || strings.Contains(strings.ToLower(tg.Name), "k3y") {
		t.Errorf("by uuid: %+v %v", tg, err)
	}
}
