package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/renderwise/renderwise/internal/page"
)

func pprSite(t *testing.T) *testSite {
	t.Helper()
	fsys := fixture()
	fsys["rendering/ppr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Partial prerendering\ndescription: A shell with holes.\ndate: 2026-11-12\nrender: ppr\n---\n## The shell\n\nStatic text of the shell.\n")}
	return newTestSiteFS(t, Config{}, fsys)
}

// TestPPRServesShellAndHoles: one response, the shell as prerendered and
// the holes rendered for this request; gzip decodes with the standard
// decoder to the same bytes as the identity answer's shell; the headers
// are a personalised page's.
func TestPPRServesShellAndHoles(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	plain := ts.get(t, "/articles/rendering/ppr")
	if plain.Code != 200 {
		t.Fatalf("GET: %d\n%s", plain.Code, plain.Body)
	}
	h := plain.Header()
	if h.Get("X-Render-Mode") != "ppr" || h.Get("Cache-Control") != cachePrivate || !strings.HasPrefix(h.Get("Server-Timing"), "lookup;dur=") || h.Get("ETag") != "" {
		t.Errorf("headers %v", h)
	}
	body := plain.Body.String()
	for _, want := range []string{"Static text of the shell.", "PPR · partial prerendering", `class="delivery-hole"`, `class="ppr-fallback"`, `class="ppr-filled"`, "took 0 ms"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.ContainsRune(body, 0) {
		t.Error("a hole mark reached the reader")
	}
	if strings.Index(body, `class="ppr-fallback"`) > strings.Index(body, `class="ppr-filled"`) {
		t.Error("the live hole comes before its fallback")
	}
	zipped := ts.do(t, http.MethodGet, "/articles/rendering/ppr", map[string]string{"Accept-Encoding": "gzip"})
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", zipped.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	unzipped, err := io.ReadAll(zr) // checks the CRC and the size
	if err != nil {
		t.Fatalf("the stitched gzip does not decode: %v", err)
	}
	if strip(string(unzipped)) != strip(body) {
		t.Error("the gzip answer's shell differs from the identity answer's")
	}
}

// strip removes the holes' times, which differ between two requests.
func strip(s string) string {
	for _, hole := range [][2]string{{`<span class="delivery-hole">`, "</span>"}, {`<div class="ppr-filled">`, "</div>"}} {
		i := strings.Index(s, hole[0])
		if i < 0 {
			continue
		}
		end := strings.Index(s[i:], hole[1])
		s = s[:i] + s[i+end:]
	}
	return s
}

// TestPPRDelay: ?delay= waits that long, clamped to MaxDelay; a bad one is
// a 400; a reader who leaves stops the hole.
func TestPPRDelay(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	if rec := ts.get(t, "/articles/rendering/ppr?delay=abc"); rec.Code != 400 {
		t.Errorf("?delay=abc: %d, want 400", rec.Code)
	}
	start := time.Now()
	rec := ts.get(t, "/articles/rendering/ppr?delay=120")
	if took := time.Since(start); took < 120*time.Millisecond || !strings.Contains(rec.Body.String(), "took 120 ms") {
		t.Errorf("?delay=120 answered in %v: %q", took, rec.Body.String()[:0])
	}
	if d, _ := dataDelay(httptest.NewRequest("GET", "/x?delay=99999", nil)); d != page.MaxDelay {
		t.Errorf("?delay=99999 → %v, want %v", d, page.MaxDelay)
	}
	if d, _ := dataDelay(httptest.NewRequest("GET", "/x?delay=-5", nil)); d != 0 {
		t.Errorf("?delay=-5 → %v, want 0", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", "/articles/rendering/ppr?delay=2000", nil).WithContext(ctx)
	done := make(chan string)
	go func() {
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, req)
		done <- w.Body.String()
	}()
	time.Sleep(50 * time.Millisecond)
	start = time.Now()
	cancel()
	body := <-done
	if took := time.Since(start); took > time.Second {
		t.Errorf("the hole went on %v after the reader left", took)
	}
	if !strings.Contains(body, `class="ppr-fallback"`) || strings.Contains(body, `class="ppr-filled"`) {
		t.Error("after the reader left: want the shell up to the live hole, and not the hole")
	}
}

// TestPPRFailingHole: a hole that fails or panics is its error fallback;
// the rest of the page arrives and the failure is counted.
func TestPPRFailingHole(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	saved := ts.srv.holes
	for name, fail := range map[string]func(){
		"an error": func() {},
		"a panic":  func() { panic("boom") },
	} {
		ts.srv.holes = func(ctx context.Context, w io.Writer, hole string, req page.HoleRequest) error {
			if hole == page.HoleDelivery {
				fail()
				return errors.New("source down")
			}
			return saved(ctx, w, hole, req)
		}
		rec := ts.get(t, "/articles/rendering/ppr")
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "could not be rendered just now") || !strings.Contains(body, `class="ppr-filled"`) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
			t.Errorf("%s in a hole: %d, want its error fallback and the rest of the page", name, rec.Code)
		}
	}
	if got := metricValue(t, ts, `renderwise_holes_total{hole="delivery",result="error"}`); got != "2" {
		t.Errorf("hole errors counted: %q, want 2", got)
	}
}

// TestPPRCachedPart: a PPR page's cached part comes from the page cache by
// its own lifetime — fresh, then stale and regenerated once, then expired
// by its tag — and the delivery panel and Server-Timing say how it was
// found; the part is its own cacheable page for the edge.
func TestPPRCachedPart(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	const path = "/articles/rendering/ppr"
	look := func(wantStatus, wantAge string) string {
		t.Helper()
		rec := ts.get(t, path)
		body := rec.Body.String()
		want := "the cached part “Newest on this site” was " + wantStatus + ", " + wantAge + " old (kept for 1 minute)"
		if !strings.Contains(body, want) {
			i := strings.Index(body, `class="delivery-hole"`)
			t.Errorf("delivery panel: want %q in\n%s", want, body[i:min(len(body), i+500)])
		}
		if st := rec.Header().Get("Server-Timing"); !strings.Contains(st, `part-newest;dur=`) || !strings.Contains(st, `desc="`+wantStatus+`"`) {
			t.Errorf("Server-Timing %q, want the part's lookup, %s", st, wantStatus)
		}
		return body
	}
	body := look("HIT", "0 seconds")
	i, j, k := strings.Index(body, `id="newest"`), strings.Index(body, "Static text of the shell."), strings.Index(body, `class="ppr-fallback"`)
	if i < 0 || j > i || k < i {
		t.Errorf("the part is not between the article and the live hole: %d %d %d", j, i, k)
	}
	if !strings.Contains(body[i:], `href="/articles/rendering/ppr"`) {
		t.Error("the newest part does not list the newest article")
	}
	ts.clock.Advance(61 * time.Second)
	look("STALE", "61 seconds")
	ts.srv.cache.Wait()
	look("HIT", "0 seconds")
	if got := ts.srv.cache.RevalidateTag("list:latest", true); !slices.Contains(got, page.PartPath(page.PartNewest)) {
		t.Errorf("revalidating list:latest marked %v, want the part among them", got)
	}
	look("MISS", "0 seconds")

	part := ts.get(t, page.PartPath(page.PartNewest))
	h := part.Header()
	if part.Code != 200 || h.Get("X-Render-Mode") != "isr" || !strings.Contains(h.Get("Cache-Control"), "s-maxage=60") || !strings.Contains(h.Get("Surrogate-Key"), "list:latest") {
		t.Errorf("GET the part: %d %v", part.Code, h)
	}
	if b := part.Body.String(); !strings.HasPrefix(b, `<section class="ppr-part"`) || strings.Contains(b, "<html") {
		t.Errorf("the part is a fragment, not a page: %.80q", b)
	}
	if rec := ts.get(t, "/_parts/nothing"); rec.Code != 404 {
		t.Errorf("an unknown part: %d, want 404", rec.Code)
	}
}

// TestPPRServerTimingTrailer: what is known only once the page is sent —
// each hole and the compression of the holes — follows in a trailer.
func TestPPRServerTimingTrailer(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	srv := httptest.NewServer(ts.handler)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/articles/rendering/ppr", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("TE", "trailers")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	got := resp.Trailer.Get("Server-Timing")
	for _, want := range []string{"hole-delivery;dur=", "hole-live;dur=", `gzip;dur=`} {
		if !strings.Contains(got, want) {
			t.Errorf("trailer Server-Timing %q lacks %q", got, want)
		}
	}
	// A client that did not ask for trailers (a proxy may choke on one)
	// gets none.
	req.Header.Del("TE")
	resp, err = (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if len(resp.Trailer) != 0 {
		t.Errorf("without TE: trailers, a trailer was sent: %v", resp.Trailer)
	}
}
