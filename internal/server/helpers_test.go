package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/static"
)

const baseURL = "https://renderwise.example"

// fixture is a small site: an SSG article with code, an ISR article, an SSR
// article, a draft, an alias and an image.
func fixture() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml": {Data: []byte("title: Renderwise\ndescription: A course on how the web is built and delivered.\n")},
		"rendering/ssg.md": {Data: []byte(`---
title: Static site generation
description: Pages rendered before the server is ready.
date: 2026-11-09
tags: [rendering]
series: course
order: 1
aliases: [/old-ssg]
---
## Build time

Read about [ISR](/articles/rendering/isr).

## Serving

` + "```go\nfunc main() {}\n```\n\n![A diagram of the build](diagram.svg)\n\n![A photo of a build server](photo.png)\n")},
		"rendering/photo.png":   {Data: testPNG(1000, 500)},
		"rendering/diagram.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"/>`)},
		"rendering/isr.md": {Data: []byte(`---
title: Incremental static regeneration
description: Static pages regenerated in the background.
date: 2026-11-10
tags: [rendering, nextjs]
series: course
order: 2
render: isr
revalidate: 30s
---
## Stale while revalidate

Version one.
`)},
		"rendering/ssr.md": {Data: []byte(`---
title: Server-side rendering
description: Pages rendered on every request.
date: 2026-11-08
tags: [rendering]
series: course
order: 3
render: ssr
---
## Per request

Rendered for you.
`)},
		"draft.md": {Data: []byte(`---
title: Unfinished
description: A draft.
date: 2026-11-11
draft: true
---
Secret draft body.
`)},
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

type testSite struct {
	fsys    fstest.MapFS
	clock   *fakeClock
	srv     *Server
	handler http.Handler
}

func newTestSite(t testing.TB, cfg Config) *testSite {
	t.Helper()
	return newTestSiteFS(t, cfg, fixture())
}

// newTestSiteFS is newTestSite on other content.
func newTestSiteFS(t testing.TB, cfg Config, fsys fstest.MapFS) *testSite {
	t.Helper()
	site, err := content.LoadWith(fsys, content.Options{ImageURL: page.ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	set, err := assets.New(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixNano())
	if cfg.BaseURL == "" {
		cfg.BaseURL = baseURL
	}
	store := content.NewStore(fsys, site)
	builder := page.NewBuilder(page.Config{BaseURL: cfg.BaseURL}, set)
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	renderer := NewRenderer(store, builder, clock.Now, nil, m)
	pages := cache.New(cache.Config{Render: renderer.Render, Now: clock.Now, Metrics: m})
	srv := New(cfg, Deps{Content: store, Builder: builder, Renderer: renderer, Cache: pages, Assets: set, Metrics: m, Registry: reg, Now: clock.Now})
	t.Cleanup(srv.Close)
	if err := srv.Prerender(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &testSite{fsys: fsys, clock: clock, srv: srv, handler: srv.Handler()}
}

// edit replaces a file with a new modification time, as an editor would.
func (ts *testSite) edit(name, data string) {
	ts.fsys[name] = &fstest.MapFile{Data: []byte(data), ModTime: ts.clock.Now()}
}

func (ts *testSite) do(t *testing.T, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

func (ts *testSite) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return ts.do(t, http.MethodGet, target, nil)
}

// decoded returns the body of rec without its Content-Encoding.
func decoded(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var r io.Reader = bytes.NewReader(rec.Body.Bytes())
	switch rec.Header().Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// metricValue returns the value of one sample from /metrics, or "".
func metricValue(t *testing.T, ts *testSite, sample string) string {
	t.Helper()
	for _, line := range strings.Split(ts.get(t, "/metrics").Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// testPNG is an opaque w×h PNG with a gradient, so resizing has work to do.
func testPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
