package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestErrorAnswersAreNeverStored: every error answer and odd status says
// no cache may keep it (405 and 414 would otherwise be cacheable by
// default), and an HTML route answers with the site's error page, not a
// line of plain text.
func TestErrorAnswersAreNeverStored(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, tt := range []struct {
		name, method, target string
		hdr                  map[string]string
		body                 string
		status               int
		html                 bool
	}{
		{name: "a bad image width", method: "GET", target: "/_img/articles/rendering/photo.png?w=7", status: 400, html: true},
		{name: "a method the route does not take", method: "POST", target: "/articles/rendering/ssg", status: 405, html: true},
		{name: "a body too large", method: "POST", target: "/api/theme", body: "theme=" + strings.Repeat("x", 8<<10), hdr: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 413, html: false},
		{name: "an address too long", method: "GET", target: "/articles/" + strings.Repeat("x", MaxURI), status: 414, html: true},
		{name: "a range past the end of a file", method: "GET", target: "/articles/rendering/photo.png", hdr: map[string]string{"Range": "bytes=99999999-"}, status: 416},
		{name: "a JSON error", method: "POST", target: "/api/revalidate", status: 404},
		{name: "the metrics", method: "GET", target: "/metrics", status: 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			ts.handler.ServeHTTP(rec, req)
			cc := rec.Header().Get("Cache-Control")
			if rec.Code != tt.status || !strings.Contains(cc, "no-store") || strings.Contains(cc, "public") {
				t.Fatalf("%s %s: %d with Cache-Control %q, want %d and no-store", tt.method, tt.target[:min(len(tt.target), 60)], rec.Code, cc, tt.status)
			}
			if !tt.html {
				return
			}
			doc, err := goquery.NewDocumentFromReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if h1 := doc.Find("main h1").Text(); h1 != http.StatusText(tt.status) || doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
				t.Errorf("%s %s: page heading %q, want the site's error page titled %q with noindex", tt.method, tt.target[:min(len(tt.target), 60)], h1, http.StatusText(tt.status))
			}
		})
	}
}
