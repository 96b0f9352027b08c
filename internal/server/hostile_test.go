package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// serveRaw sends a request whose target is written as is, the way a hostile
// client would put it on the wire.
func serveRaw(t testing.TB, h http.Handler, method, target string, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://localhost/", strings.NewReader(body))
	u, err := url.ParseRequestURI(target)
	if err != nil {
		u = &url.URL{Path: target}
	}
	req.URL, req.RequestURI = u, target
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkSafe fails if a response could hurt: a server error, a redirect off
// the site, a header with a line break, or a file from outside the roots.
func checkSafe(t testing.TB, target string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Errorf("%s: status %d", target, rec.Code)
	}
	if loc := rec.Header().Get("Location"); loc != "" && !safeLocalPath(strings.SplitN(loc, "?", 2)[0]) {
		t.Errorf("%s: redirects off-site to %q", target, loc)
	}
	for k, vs := range rec.Header() {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				t.Errorf("%s: header %s carries a line break: %q", target, k, v)
			}
		}
	}
	body := rec.Body.String()
	for _, leak := range []string{"root:x:0:0", "module github.com/renderwise", "package server"} {
		if strings.Contains(body, leak) {
			t.Errorf("%s: the response leaks a file from outside the site (%q)", target, leak)
		}
	}
}

func TestHostileRequests(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{RevalidateToken: "s3cret"})
	traversals := []string{
		"/static/../../../etc/passwd",
		"/static/..%2f..%2f..%2fetc%2fpasswd",
		"/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/%252e%252e/%252e%252e/etc/passwd",
		"/static/..\\..\\etc\\passwd",
		"/articles/../../go.mod",
		"/articles/..%2f..%2fgo.mod",
		"/articles/%2e%2e/%2e%2e/go.mod",
		"/articles/rendering/%252e%252e%252f%252e%252e%252fgo.mod",
		"/articles/rendering/..\\..\\go.mod",
		"/articles//etc/passwd",
		"/articles/%00.svg",
		"/og/../../etc/passwd.png",
		"/og/articles/..%2f..%2fetc%2fpasswd.png",
		"/api/articles/..%2f..%2fgo.mod",
		"/_img/../../etc/passwd?w=640",
		"/_img/%2e%2e/go.mod?w=640",
	}
	for _, target := range traversals {
		rec := serveRaw(t, ts.handler, "GET", target, "")
		checkSafe(t, target, rec)
		if rec.Code == 200 {
			t.Errorf("%s: 200, want 301, 400 or 404", target)
		}
	}

	// Header injection through values that reach headers.
	for _, target := range []string{
		"/search/?q=%0d%0aSet-Cookie:%20evil=1",
		"/old-ssg?x=%0d%0aLocation:%20//evil.example",
		"/tags/?%0d%0aX-Injected:1",
	} {
		rec := serveRaw(t, ts.handler, "GET", target, "")
		checkSafe(t, target, rec)
		if rec.Header().Get("Set-Cookie") != "" || rec.Header().Get("X-Injected") != "" {
			t.Errorf("%s: an injected header reached the response", target)
		}
	}

	// Oversized requests get clear answers.
	long := "/articles/" + strings.Repeat("a", MaxURI)
	if rec := serveRaw(t, ts.handler, "GET", long, ""); rec.Code != http.StatusRequestURITooLong {
		t.Errorf("a %d-byte URI: %d, want 414", len(long), rec.Code)
	}
	if rec := serveRaw(t, ts.handler, "GET", "/search?q="+strings.Repeat("x", MaxURI+1), ""); rec.Code != http.StatusRequestURITooLong {
		t.Errorf("a huge query: %d, want 414", rec.Code)
	}
	req := httptest.NewRequest("POST", "/api/revalidate", strings.NewReader(`{"path":"/`+strings.Repeat("a", 1<<20)+`"}`))
	req.Header.Set("Authorization", "Bearer s3cret")
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1 MB revalidate body: %d, want 413", rec.Code)
	}

	// Methods that pages do not take.
	for _, m := range []string{"TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT"} {
		if rec := serveRaw(t, ts.handler, m, "/articles/rendering/ssg", ""); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s on a page: %d, want 405", m, rec.Code)
		}
	}
	// The site still answers normally afterwards.
	if rec := ts.get(t, "/articles/rendering/ssg"); rec.Code != 200 {
		t.Errorf("after the hostile requests: %d", rec.Code)
	}
}

// TestCachedPagesCannotBePoisoned sends requests that might make a page
// render differently (odd headers, queries, cookies) and checks that the
// stored page, served to everyone afterwards, is unchanged.
func TestCachedPagesCannotBePoisoned(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	ts.clock.Advance(31e9) // the ISR page is stale: the next request regenerates it
	before := ts.get(t, "/").Body.String()
	hostile := httptest.NewRequest("GET", "/articles/rendering/isr?utm=<script>&q=zzpoison", nil)
	hostile.Host = "evil.example"
	for k, v := range map[string]string{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "javascript", "X-Original-URL": "/admin",
		"Cookie": "theme=dark; rw_preview=forged", "Accept-Language": "<script>", "User-Agent": "<script>alert(1)</script>"} {
		hostile.Header.Set(k, v)
	}
	ts.handler.ServeHTTP(httptest.NewRecorder(), hostile)
	ts.srv.cache.Wait()
	after := ts.get(t, "/articles/rendering/isr").Body.String()
	for _, bad := range []string{"evil.example", "<script>alert", "zzpoison", "/admin", "javascript"} {
		if strings.Contains(after, bad) {
			t.Errorf("the regenerated page holds %q from a hostile request", bad)
		}
	}
	if ts.get(t, "/").Body.String() != before {
		t.Error("the home page changed")
	}
}

// FuzzRequestPath serves arbitrary request targets: nothing panics, no 5xx,
// and every redirect stays on the site.
func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{"/", "/articles/rendering/ssg/", "//evil.example/", "/%2F%2Fevil.example/", "/\\evil.example/",
		"/articles/x.md", "/old-ssg", "/tags/", "/og/index.png", "/static/%2e%2e/x", "/articles/../../etc/passwd", "/search?q=%00"} {
		f.Add(s)
	}
	ts := newTestSite(f, Config{})
	f.Fuzz(func(t *testing.T, target string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		checkSafe(t, target, serveRaw(t, ts.handler, "GET", target, ""))
	})
}

// TestClientGoneMidStream cancels SSR requests while they are being
// written: the server stops rendering for them, keeps answering others, and
// leaves no goroutine behind.
func TestClientGoneMidStream(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	srv := httptest.NewServer(ts.handler)
	defer srv.Close()
	before := runtime.NumGoroutine()
	for range 50 {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/articles/rendering/ssr", nil)
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Read(make([]byte, 64)) // the head has arrived; go away
			cancel()
			resp.Body.Close()
		}
		cancel()
	}
	srv.Client().CloseIdleConnections()
	resp, err := srv.Client().Get(srv.URL + "/articles/rendering/ssr")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after 50 abandoned streams: %v %v", resp, err)
	}
	resp.Body.Close()
	srv.Client().CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("goroutines: %d after, %d before", n, before)
	}
}
