package cli

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

// TestEmptySiteServes: a content folder with no articles yet is a site
// like any other: serve starts, and home, 404, feed and sitemap answer
// with valid documents.
func TestEmptySiteServes(t *testing.T) {
	t.Parallel()
	a, err := newApp(ServeConfig{Content: t.TempDir(), BaseURL: "http://127.0.0.1", Drain: 5 * time.Second}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := running(t, a)
	get := func(path string) (int, string) { return fetch(t, base+path) }
	if code, body := get("/"); code != 200 || !strings.Contains(body, "<h1") {
		t.Errorf("GET / of an empty site: %d, want 200 and a page", code)
	}
	if code, _ := get("/articles/nothing"); code != 404 {
		t.Errorf("GET /articles/nothing: %d, want 404", code)
	}
	for _, path := range []string{"/feed.xml", "/sitemap.xml"} {
		code, body := get(path)
		var doc struct {
			XMLName xml.Name
			Updated string `xml:"updated"`
		}
		if err := xml.Unmarshal([]byte(body), &doc); code != 200 || err != nil {
			t.Errorf("GET %s: %d, %v; want 200 and well-formed XML:\n%s", path, code, err, body)
		}
		if path == "/feed.xml" && doc.Updated == "" {
			t.Errorf("the empty feed has no <updated>, which Atom requires:\n%s", body)
		}
	}
}
