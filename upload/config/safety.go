package config

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
)

// PermError is a config file refused for its permissions, as ssh refuses
// a private key others can change: whoever can write the file can point
// base_url at their own server and collect every secret.
type PermError struct {
	Path string
	Why  string // "writable by group and others (mode 0666)"
	Fix  string // the command that fixes it
}

func (e *PermError) Error() string {
	return fmt.Sprintf("config %s is %s, so someone else could change where its credentials are sent; refusing to use it: run %s", e.Path, e.Why, e.Fix)
}

// maxConfig bounds the config file read into memory.
const maxConfig = 4 << 20

// readPrivate reads the config file, refusing one that group or others
// can write or that another user owns, and warning when others can read
// it. The checks are made on the opened file, not on the name.
func readPrivate(path string) ([]byte, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		return nil, nil, fmt.Errorf("is a folder, not a config file")
	}
	mode := st.Mode().Perm()
	if mode&0o022 != 0 {
		who := "group"
		switch {
		case mode&0o022 == 0o022:
			who = "group and others"
		case mode&0o002 != 0:
			who = "others"
		}
		return nil, nil, &PermError{Path: path, Why: fmt.Sprintf("writable by %s (mode %04o)", who, mode), Fix: "chmod 600 " + path}
	}
	if uid, ok := fileOwner(st); ok && uid != os.Getuid() && uid != 0 {
		return nil, nil, &PermError{Path: path, Why: fmt.Sprintf("owned by another user (uid %d)", uid), Fix: "chown $(id -u) " + path + " (or use your own copy)"}
	}
	var warnings []string
	if mode&0o044 != 0 {
		warnings = append(warnings, fmt.Sprintf("config %s is readable by others (mode %04o) and holds credentials: run chmod 600 %s", path, mode, path))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfig+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxConfig {
		return nil, nil, fmt.Errorf("is over %d MB: not a headshot config", maxConfig>>20)
	}
	return data, warnings, nil
}

// Warnings are what Load found worth saying but not refusing: a file
// others can read, HEADSHOT_* variables that are no setting. Callers print
// them.
func (c *Config) Warnings() []string { return c.warnings }

// checkPlainHTTP refuses http:// URLs to other hosts, which would send the
// credentials in clear text, unless allow_http = true.
func (c *Config) checkPlainHTTP(name string) error {
	if c.AllowHTTP {
		return nil
	}
	var errs []string
	for _, table := range Tables() {
		if !c.HasTable(table) {
			continue
		}
		for _, f := range Fields(table) {
			if f.Kind != KindURL {
				continue
			}
			v := c.Get(table, f.Key)
			if host, plain := plainRemote(v); plain {
				where := "the file"
				if e := c.FromEnv(table, f.Key); e != "" {
					where = e
				}
				errs = append(errs, fmt.Sprintf("%s: [%s] %s (from %s): http:// to %s would send the credentials in clear text: use https://, or put allow_http = true at the top of the config if this is deliberate",
					name, table, f.Key, where, host))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// plainRemote says whether raw is an http:// URL to a host other than this
// machine, and names the host.
func plainRemote(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		return "", false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return host, false
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return host, false
	}
	return host, true
}

// otherEnv are the HEADSHOT_* variables read outside the config tables:
// the config and journal paths, the image trace, and those the tests and
// benchmarks read (a developer's, not a typo).
var otherEnv = []string{EnvConfig, EnvJournal, "HEADSHOT_GRAPHICS_TRACE",
	"HEADSHOT_FACE_EVAL", "HEADSHOT_SHOTS", "HEADSHOT_CLI_CHILD_ARGS", "HEADSHOT_ENGINE_CRASH_CHILD"}

// unknownEnv warns about HEADSHOT_* variables that set nothing (a typo in
// HEADSHOT_ZOOM_CLIENT_SECRT silently leaves the file's value in use).
func unknownEnv(environ []string) []string {
	known := map[string]bool{}
	for _, v := range otherEnv {
		known[v] = true
	}
	for _, t := range Tables() {
		for _, f := range Fields(t) {
			known[f.EnvVar()] = true
		}
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HEADSHOT_") || known[name] {
			continue
		}
		msg := fmt.Sprintf("environment variable %s is not a headshot setting and is ignored", name)
		if near := nearest(name, known); near != "" {
			msg += " (did you mean " + near + "?)"
		}
		out = append(out, msg)
	}
	sort.Strings(out)
	return out
}

// nearest is the known name within a few edits of name, if any.
func nearest(name string, known map[string]bool) string {
	best, bestD := "", 4
	for k := range known {
		if d := editDistance(name, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
