package assets

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestFingerprints(t *testing.T) {
	t.Parallel()
	a, err := New(fstest.MapFS{"site.css": {Data: []byte("body{}")}, "app.js": {Data: []byte("x")}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(fstest.MapFS{"site.css": {Data: []byte("body{color:red}")}, "app.js": {Data: []byte("x")}})
	if err != nil {
		t.Fatal(err)
	}
	ua, ub := a.URL("site.css"), b.URL("site.css")
	if !strings.HasPrefix(ua, "/static/site.") || !strings.HasSuffix(ua, ".css") {
		t.Errorf("URL(site.css) = %s, want /static/site.<hash>.css", ua)
	}
	if ua == ub {
		t.Errorf("changed content kept the same URL %s", ua)
	}
	if a.URL("app.js") != b.URL("app.js") {
		t.Error("unchanged content changed its URL")
	}
	got, ok := a.Get(strings.TrimPrefix(ua, Prefix))
	if !ok || got.ContentType != "text/css; charset=utf-8" || got.Gzip == nil || got.Brotli == nil {
		t.Errorf("Get(%s) = %+v, %v; want CSS with compressed bodies", ua, got, ok)
	}
}
