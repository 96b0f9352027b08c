package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestEmbeddedSite serves the real course and visits every article and
// every local link on every page: each answers 200 (or a redirect to a page
// that does), and each article is delivered in the mode it declares.
func TestEmbeddedSite(t *testing.T) {
	t.Parallel()
	a, err := newApp(ServeConfig{BaseURL: "https://renderwise.example"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.srv.Close()
	if err := a.srv.Prerender(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := a.srv.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	seen := map[string]bool{}
	queue := []string{"/", "/tags", "/search?q=render"}
	for _, art := range a.store.Site().All() {
		rec := get(art.Path)
		if rec.Code != 200 || rec.Header().Get("X-Render-Mode") != string(art.Render) {
			t.Errorf("GET %s: %d X-Render-Mode=%q, want 200 %s", art.Path, rec.Code, rec.Header().Get("X-Render-Mode"), art.Render)
		}
		queue = append(queue, art.Path)
		// The first round trip of a new connection carries about 14 KB: the
		// whole page, its inline styles included, must fit (DESIGN.md §6).
		req := httptest.NewRequest(http.MethodGet, art.Path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		gz := httptest.NewRecorder()
		h.ServeHTTP(gz, req)
		if n := gz.Body.Len(); gz.Header().Get("Content-Encoding") != "gzip" || n > 14<<10 {
			t.Errorf("GET %s: %d bytes with gzip, want at most 14 KB", art.Path, n)
		}
	}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		rec := get(path)
		if rec.Code == 301 {
			queue = append(queue, rec.Header().Get("Location"))
			continue
		}
		if rec.Code != 200 {
			t.Errorf("GET %s: %d", path, rec.Code)
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			continue
		}
		d, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		d.Find("a[href], img[src], link[href]").Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("href", s.AttrOr("src", ""))
			ref, _, _ = strings.Cut(ref, "#")
			if strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") && !seen[ref] {
				queue = append(queue, ref)
			}
		})
	}
	if len(seen) < 40 {
		t.Errorf("visited only %d local URLs; the crawl is not reaching the site", len(seen))
	}
}
