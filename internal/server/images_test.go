package server

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/image/webp"
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
		if got := rec.Header().Get("Vary"); got != "Accept" {
			t.Errorf("GET %s: Vary %q, want Accept", tt.url, got)
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

// Chrome's, Firefox's and Safari's Accept for an <img>, as they send it.
const (
	acceptChrome  = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
	acceptFirefox = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"
	acceptSafari  = "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"
)

func TestImageFormatFollowsAccept(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	const url = "/_img/articles/rendering/photo.png?w=640"
	for _, tt := range []struct {
		name, accept, want string
	}{
		{"a request without Accept gets JPEG", "", "image/jpeg"},
		{"Chrome gets WebP", acceptChrome, "image/webp"},
		{"Firefox gets WebP", acceptFirefox, "image/webp"},
		{"Safari gets WebP", acceptSafari, "image/webp"},
		{"image/webp alone gets WebP", "image/webp", "image/webp"},
		{"the type is matched without regard to case", "Image/WebP;Q=0.5", "image/webp"},
		{"a low but non-zero quality still counts", "image/jpeg, image/webp;q=0.001", "image/webp"},
		{"q=0 refuses WebP", "image/webp;q=0", "image/jpeg"},
		{"q=0.0 with spaces refuses WebP", "image/webp ; q = 0.0, */*", "image/jpeg"},
		{"a malformed quality refuses WebP", "image/webp;q=high", "image/jpeg"},
		{"image/* does not imply WebP", "image/*,*/*;q=0.8", "image/jpeg"},
		{"*/* does not imply WebP", "*/*", "image/jpeg"},
		{"AVIF alone is not offered", "image/avif", "image/jpeg"},
		{"a longer type is not image/webp", "image/webpx", "image/jpeg"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := ts.do(t, "GET", url, map[string]string{"Accept": tt.accept})
			if rec.Code != http.StatusOK {
				t.Fatalf("Accept %q: status %d, want 200 (%s)", tt.accept, rec.Code, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Type"); got != tt.want {
				t.Errorf("Accept %q: Content-Type %q, want %q", tt.accept, got, tt.want)
			}
			if got := rec.Header().Get("Vary"); got != "Accept" {
				t.Errorf("Accept %q: Vary %q, want Accept", tt.accept, got)
			}
			var cfg image.Config
			var err error
			if tt.want == "image/webp" {
				cfg, err = webp.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
			} else {
				cfg, _, err = image.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
			}
			if err != nil || cfg.Width != 640 || cfg.Height != 320 {
				t.Errorf("Accept %q: decoded %dx%d, %v; want a valid 640x320 %s", tt.accept, cfg.Width, cfg.Height, err, tt.want)
			}
		})
	}
}

func TestImageFormatsHaveTheirOwnETag(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	const url = "/_img/articles/rendering/photo.png?w=320"
	webpAccept := map[string]string{"Accept": acceptChrome}
	jpeg := ts.get(t, url)
	wp := ts.do(t, "GET", url, webpAccept)
	jpegTag, webpTag := jpeg.Header().Get("ETag"), wp.Header().Get("ETag")
	if jpegTag == "" || webpTag == "" || jpegTag == webpTag {
		t.Fatalf("ETags: JPEG %q, WebP %q; want two different ones", jpegTag, webpTag)
	}
	if again := ts.do(t, "GET", url, webpAccept); again.Header().Get("ETag") != webpTag || !bytes.Equal(again.Body.Bytes(), wp.Body.Bytes()) {
		t.Errorf("a second WebP answer differs from the first: ETag %q, want %q", again.Header().Get("ETag"), webpTag)
	}
	for _, tt := range []struct {
		name   string
		accept string
		etag   string
		status int
	}{
		{"a WebP client revalidating its WebP", acceptChrome, webpTag, http.StatusNotModified},
		{"a JPEG client revalidating its JPEG", "", jpegTag, http.StatusNotModified},
		{"a WebP client holding the JPEG", acceptChrome, jpegTag, http.StatusOK},
		{"a JPEG client holding the WebP", "", webpTag, http.StatusOK},
	} {
		rec := ts.do(t, "GET", url, map[string]string{"Accept": tt.accept, "If-None-Match": tt.etag})
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.status)
		}
		if got := rec.Header().Get("Vary"); got != "Accept" {
			t.Errorf("%s: Vary %q, want Accept", tt.name, got)
		}
	}
}

func TestTransparentImageAsWebPKeepsAlpha(t *testing.T) {
	t.Parallel()
	fsys := fixture()
	fsys["rendering/clear.png"] = &fstest.MapFile{Data: transparentPNG(t, 800, 400)}
	ts := newTestSiteFS(t, Config{}, fsys)
	const url = "/_img/articles/rendering/clear.png?w=320"
	if rec := ts.get(t, url); rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("without Accept: Content-Type %q, want image/png", rec.Header().Get("Content-Type"))
	}
	rec := ts.do(t, "GET", url, map[string]string{"Accept": acceptFirefox})
	if got := rec.Header().Get("Content-Type"); got != "image/webp" {
		t.Fatalf("with WebP accepted: Content-Type %q, want image/webp", got)
	}
	m, err := webp.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("decode the WebP: %v", err)
	}
	if b := m.Bounds(); b.Dx() != 320 || b.Dy() != 160 {
		t.Errorf("size %dx%d, want 320x160", b.Dx(), b.Dy())
	}
	// The left half is opaque, the right half fully transparent.
	if _, _, _, a := m.At(40, 80).RGBA(); a != 0xffff {
		t.Errorf("alpha on the opaque half: %#x, want 0xffff", a)
	}
	if _, _, _, a := m.At(280, 80).RGBA(); a != 0 {
		t.Errorf("alpha on the transparent half: %#x, want 0", a)
	}
}

// transparentPNG returns a w×h PNG whose left half is opaque blue and whose
// right half is fully transparent.
func transparentPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w / 2 {
			m.SetNRGBA(x, y, color.NRGBA{20, 40, 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
