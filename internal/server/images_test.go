package server

import (
	"bytes"
	"image"
	_ "image/jpeg"
	"net/http"
	"strings"
	"testing"
)

func TestImageEndpoint(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	d := doc(t, ts.get(t, "/articles/rendering/ssg").Body.String())
	photo := d.Find(`img[src="/articles/rendering/photo.png"]`)
	srcset := photo.AttrOr("srcset", "")
	if photo.AttrOr("width", "") != "1000" || photo.AttrOr("height", "") != "500" || photo.AttrOr("alt", "") == "" ||
		photo.AttrOr("sizes", "") == "" || photo.AttrOr("loading", "") != "lazy" || !strings.Contains(srcset, "/_img/articles/rendering/photo.png?w=640&v=") {
		t.Errorf("the photo's <img> lacks responsive attributes: %v", photo.Nodes[0].Attr)
	}
	diagram := d.Find(`img[src="/articles/rendering/diagram.svg"]`)
	if diagram.AttrOr("width", "") != "400" || diagram.AttrOr("fetchpriority", "") != "high" || diagram.AttrOr("srcset", "") != "" || diagram.AttrOr("loading", "") != "" {
		t.Errorf("the first image (an SVG) should be eager, sized from its viewBox, without srcset: %v", diagram.Nodes[0].Attr)
	}

	var versioned string
	for _, cand := range strings.Split(srcset, ",") {
		url, _, _ := strings.Cut(strings.TrimSpace(cand), " ")
		if strings.Contains(url, "w=640") {
			versioned = url
		}
	}
	for _, tt := range []struct {
		url    string
		status int
		width  int
		cache  string
	}{
		{versioned, 200, 640, cacheImmutable},
		{"/_img/articles/rendering/photo.png?w=320", 200, 320, "public, max-age=3600"},
		{"/_img/articles/rendering/photo.png?w=960", 200, 960, "public, max-age=3600"},
		{"/_img/articles/rendering/photo.png?w=1280", 200, 1000, "public, max-age=3600"}, // never enlarged
		{"/_img/articles/rendering/photo.png?w=641", 400, 0, ""},
		{"/_img/articles/rendering/photo.png", 400, 0, ""},
		{"/_img/articles/rendering/photo.png?w=640&q=5", 400, 0, ""},
		{"/_img/articles/rendering/photo.png?w=640&q=high", 400, 0, ""},
		{"/_img/articles/rendering/diagram.svg?w=640", 400, 0, ""},
		{"/_img/articles/rendering/nope.png?w=640", 404, 0, ""},
		{"/_img/articles/rendering/ssg.md?w=640", 404, 0, ""}, // not a published file
		{"/_img/static/site.css?w=640", 404, 0, ""},
		{"/_img/https://example.com/x.png?w=640", 301, 0, ""}, // cleaned to a local path…
		{"/_img/https:/example.com/x.png?w=640", 404, 0, ""},  // …that names no file
	} {
		rec := ts.get(t, tt.url)
		if rec.Code != tt.status {
			t.Errorf("GET %s: %d, want %d (%s)", tt.url, rec.Code, tt.status, rec.Body.String())
			continue
		}
		if tt.status != 200 {
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
		if err != nil || cfg.Width != tt.width || format != "jpeg" || rec.Header().Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %s %dx%d %v, want a %d-pixel-wide JPEG", tt.url, format, cfg.Width, cfg.Height, err, tt.width)
		}
		if got := rec.Header().Get("Cache-Control"); got != tt.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.url, got, tt.cache)
		}
		etag := rec.Header().Get("ETag")
		if again := ts.do(t, "GET", tt.url, map[string]string{"If-None-Match": etag}); etag == "" || again.Code != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s: %d, want 304", tt.url, etag, again.Code)
		}
	}
}
