package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/static"
)

func TestRedisFlagErrors(t *testing.T) {
	// Not parallel: t.Setenv.
	for _, tc := range []struct {
		name string
		args []string
		env  string
	}{
		{"a URL of another scheme", []string{"serve", "--redis", "http://127.0.0.1:6379"}, ""},
		{"a bad URL from the environment", []string{"serve"}, "redis://127.0.0.1:6379/notadb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("RENDERWISE_REDIS", tc.env)
			}
			var stderr bytes.Buffer
			err := Run(context.Background(), append(tc.args, "--addr", "127.0.0.1:0"), io.Discard, &stderr)
			if ExitCode(err) != 2 || !strings.Contains(stderr.String(), "--redis") {
				t.Errorf("%v: exit %d, stderr %q; want 2 and a message about --redis", tc.args, ExitCode(err), stderr.String())
			}
		})
	}
}

// syncBuffer is a log destination tests read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeWithRedisDown starts serve with --redis pointing at nothing:
// it serves every page, regenerates ISR pages itself, and says why.
func TestServeWithRedisDown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "ssg.md", "---\ntitle: SSG page\ndescription: Static.\ndate: 2026-11-01\n---\nStatic one.\n")
	write(t, dir, "isr.md", "---\ntitle: ISR page\ndescription: Regenerated.\ndate: 2026-11-02\nrender: isr\nrevalidate: 10s\n---\nISR one.\n")
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redisURL := "redis://" + closed.Addr().String() + "/0"
	closed.Close() // nothing listens there now

	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	logs := &syncBuffer{}
	a, err := newApp(ServeConfig{Content: dir, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second, Redis: redisURL, LogFormat: "text", now: now}, logs)
	if err != nil {
		t.Fatal(err)
	}
	base := running(t, a)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("X-Cache")
	}
	for _, path := range []string{"/articles/ssg", "/articles/isr", "/"} {
		if status, _ := get(path); status != 200 {
			t.Errorf("GET %s with Redis down: %d, want 200", path, status)
		}
	}
	// Past the interval: the claim fails, so this replica regenerates the
	// page itself.
	clock.Add(int64(11 * time.Second))
	if status, cache := get("/articles/isr"); status != 200 || cache != "STALE" {
		t.Errorf("stale ISR page with Redis down: %d %s, want 200 STALE", status, cache)
	}
	a.cache.Wait()
	if status, cache := get("/articles/isr"); status != 200 || cache != "HIT" {
		t.Errorf("after the regeneration: %d %s, want 200 HIT", status, cache)
	}
	for _, want := range []string{"shared store unreachable at start", "shared store unreachable; regenerating locally"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log has no %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs.String(), redisURL) {
		t.Errorf("the log shows the Redis URL (it may hold a password):\n%s", logs)
	}
}

func TestSharedNamespace(t *testing.T) {
	t.Parallel()
	set, err := assets.New(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	ns1, err := sharedNamespace("https://a.example", set)
	if err != nil {
		t.Fatal(err)
	}
	ns2, _ := sharedNamespace("https://a.example", set)
	ns3, _ := sharedNamespace("https://b.example", set)
	if ns1 != ns2 || ns1 == ns3 || len(ns1) != 12 {
		t.Errorf("namespaces: %q twice gave %q, another base URL %q; want stable, 12 hex digits, different per base URL", ns1, ns2, ns3)
	}
}
