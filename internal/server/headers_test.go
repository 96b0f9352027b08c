package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestEncodingsDecodeToTheSameHTML(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, path := range []string{"/", "/articles/rendering/ssg", "/articles/rendering/isr", "/feed.xml"} {
		plain := ts.do(t, http.MethodGet, path, nil)
		if plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("GET %s without Accept-Encoding: Content-Encoding %q", path, plain.Header().Get("Content-Encoding"))
		}
		// The server keeps no plain body (page.Page.Compact): the identity
		// answer is the gzip body inflated, with its length.
		if p, ok := ts.srv.cache.Peek(path); !ok || p.Body != nil {
			t.Errorf("%s: the stored page keeps its plain body", path)
		}
		if got := plain.Header().Get("Content-Length"); got != strconv.Itoa(plain.Body.Len()) || plain.Body.Len() == 0 {
			t.Errorf("GET %s identity: Content-Length %s for %d bytes", path, got, plain.Body.Len())
		}
		for _, tt := range []struct{ accept, want string }{
			{"gzip", "gzip"},
			{"gzip, deflate, br", "br"},
			{"br;q=0, gzip", "gzip"},
			{"identity", ""},
			{"*", "br"},
			{"gzip;q=0", ""},
		} {
			rec := ts.do(t, http.MethodGet, path, map[string]string{"Accept-Encoding": tt.accept})
			if got := rec.Header().Get("Content-Encoding"); got != tt.want {
				t.Errorf("GET %s, Accept-Encoding %q: Content-Encoding %q, want %q", path, tt.accept, got, tt.want)
			}
			if rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("GET %s: Vary = %q", path, rec.Header().Get("Vary"))
			}
			if decoded(t, rec) != plain.Body.String() {
				t.Errorf("GET %s, Accept-Encoding %q: body differs from the identity body", path, tt.accept)
			}
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	const path = "/articles/rendering/ssg"
	first := ts.do(t, http.MethodGet, path, map[string]string{"Accept-Encoding": "br"})
	etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") || lastMod != "Mon, 09 Nov 2026 00:00:00 GMT" {
		t.Fatalf("ETag %q, Last-Modified %q; want a strong tag and the article's date", etag, lastMod)
	}
	tests := []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"the same tag", map[string]string{"If-None-Match": etag}, 304},
		{"the tag in a list", map[string]string{"If-None-Match": `"other", ` + etag}, 304},
		{"another encoding's tag", map[string]string{"If-None-Match": strings.Replace(etag, "-br", "-gz", 1)}, 304},
		{"a different tag", map[string]string{"If-None-Match": `"nope"`}, 200},
		{"modified since before", map[string]string{"If-Modified-Since": "Sun, 01 Nov 2026 00:00:00 GMT"}, 200},
		{"not modified since", map[string]string{"If-Modified-Since": lastMod}, 304},
		{"If-None-Match wins over If-Modified-Since", map[string]string{"If-None-Match": `"nope"`, "If-Modified-Since": lastMod}, 200},
	}
	for _, tt := range tests {
		rec := ts.do(t, http.MethodGet, path, tt.hdr)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.status)
		}
		if rec.Code == 304 && rec.Body.Len() != 0 {
			t.Errorf("%s: a 304 with a body", tt.name)
		}
	}
	// A regenerated ISR page has a new tag: the old one no longer matches.
	old := ts.get(t, isrPath).Header().Get("ETag")
	ts.clock.Advance(time.Minute)
	ts.get(t, isrPath)
	ts.srv.cache.Wait()
	if rec := ts.do(t, http.MethodGet, isrPath, map[string]string{"If-None-Match": old}); rec.Code != 200 {
		t.Errorf("If-None-Match with the tag of the previous generation: %d, want 200", rec.Code)
	}
}

func TestHeadHasNoBody(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, path := range []string{"/", "/articles/rendering/ssr", "/articles/rendering/ssg"} {
		rec := ts.do(t, http.MethodHead, path, nil)
		if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("X-Render-Mode") == "" {
			t.Errorf("HEAD %s: %d, %d body bytes, headers %v", path, rec.Code, rec.Body.Len(), rec.Header())
		}
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, tt := range []struct{ method, path, allow string }{
		{"POST", "/", "GET, HEAD"},
		{"PUT", "/articles/rendering/ssg", "GET, HEAD"},
		{"DELETE", "/tags", "GET, HEAD"},
		{"GET", "/api/revalidate", "POST"},
	} {
		rec := ts.do(t, tt.method, tt.path, nil)
		if rec.Code != 405 || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow=%q, want 405 Allow=%q", tt.method, tt.path, rec.Code, rec.Header().Get("Allow"), tt.allow)
		}
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	tests := []struct {
		path     string
		status   int
		location string
	}{
		{"/old-ssg", 301, "/articles/rendering/ssg"},
		{"/articles/rendering/ssg/", 301, "/articles/rendering/ssg"},
		{"/articles/rendering/ssg.md", 301, "/articles/rendering/ssg"},
		{"/tags/", 301, "/tags"},
		{"/articles/rendering/../rendering/ssg", 301, "/articles/rendering/ssg"},
		{"/search/?q=x", 301, "/search?q=x"},
		{"/tags/rendering/page/1", 301, "/tags/rendering"},
		{"/archive/2026/page/1", 301, "/archive/2026"},
		{"/tags/rendering/page/2", 404, ""}, // one page is all it has
		{"/tags/nope/page/1", 404, ""},
		{"/archive", 200, ""},
		{"/archive/2026", 200, ""},
		{"/page/2", 404, ""}, // the course home has one page
		// Hostile forms clean to a path on this site or are refused.
		{"//evil.example/", 301, "/evil.example"},
		{"/%2F%2Fevil.example/", 301, "/evil.example"},
		{"///evil.example", 301, "/evil.example"},
		{"/%5Cevil.example/", 404, ""},
		{"/\\evil.example/", 404, ""},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, "http://localhost"+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.RequestURI = tt.path
		rec := newRecorder()
		ts.handler.ServeHTTP(rec, req)
		loc := rec.Header().Get("Location")
		if rec.Code != tt.status || loc != tt.location {
			t.Errorf("GET %s: %d Location %q, want %d %q", tt.path, rec.Code, loc, tt.status, tt.location)
		}
		if strings.HasPrefix(loc, "//") || strings.Contains(loc, "\\") || strings.Contains(loc, ":") {
			t.Errorf("GET %s redirects off-site to %q", tt.path, loc)
		}
	}
}

func TestPanicBecomesThe500Page(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	h := ts.srv.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	h = requestID(h)
	rec := newRecorder()
	h.ServeHTTP(rec, mustRequest(t, "/x"))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("panic: %d %q", rec.Code, rec.Body.String())
	}
	id := rec.Header().Get("X-Request-ID")
	if id == "" || !strings.Contains(rec.Body.String(), id) {
		t.Errorf("the 500 page does not name the request ID %q", id)
	}
	if rec := ts.get(t, "/"); rec.Code != 200 {
		t.Errorf("after a panic the server answers %d", rec.Code)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	if got := ts.do(t, "GET", "/healthz", map[string]string{"X-Request-ID": "abcdef12-3456"}).Header().Get("X-Request-ID"); got != "abcdef12-3456" {
		t.Errorf("a well-formed X-Request-ID was replaced by %q", got)
	}
	if got := ts.do(t, "GET", "/healthz", map[string]string{"X-Request-ID": "bad id\r\nX-Evil: 1"}).Header().Get("X-Request-ID"); strings.Contains(got, "bad") {
		t.Errorf("a malformed X-Request-ID was kept: %q", got)
	}
}

func TestHSTSOnlyForHTTPS(t *testing.T) {
	t.Parallel()
	if got := newTestSite(t, Config{}).get(t, "/").Header().Get("Strict-Transport-Security"); got == "" {
		t.Error("no Strict-Transport-Security with an https base URL")
	}
	if got := newTestSite(t, Config{BaseURL: "http://localhost:8080"}).get(t, "/").Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("Strict-Transport-Security %q with an http base URL", got)
	}
}

func mustRequest(t *testing.T, target string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestServerTimingOnEveryPage: every page says where its time went — a
// stored page its cache lookup, a streamed page its data wait up front and
// its render and compression in a trailer — in the names the delivery
// panel uses.
func TestServerTimingOnEveryPage(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	srv := httptest.NewServer(ts.handler)
	defer srv.Close()
	for _, c := range []struct{ path, header, trailer string }{
		{"/articles/rendering/ssg", `lookup;dur=`, ""},
		{"/", `lookup;dur=`, ""},
		{"/tags", `;desc="HIT"`, ""},
		{"/articles/rendering/ssr", `data;dur=`, `render;dur=`},
		{"/articles/rendering/ppr", `part-newest;dur=`, `hole-live;dur=`},
		{"/search?q=cache", "", `gzip;dur=`},
	} {
		req, _ := http.NewRequest("GET", srv.URL+c.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("TE", "trailers")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		header, trailer := resp.Header.Get("Server-Timing"), resp.Trailer.Get("Server-Timing")
		if header == "" && trailer == "" {
			t.Errorf("%s: no Server-Timing", c.path)
		}
		if !strings.Contains(header, c.header) || !strings.Contains(trailer, c.trailer) {
			t.Errorf("%s: Server-Timing %q, trailer %q; want %q and %q", c.path, header, trailer, c.header, c.trailer)
		}
	}
}
