package server

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/renderwise/renderwise/articles"
)

// discard is a ResponseWriter that keeps nothing, so benchmarks measure the
// server and not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Flush()                      {}

func benchRoute(b *testing.B, h http.Handler, path, accept string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkBaseline writes a prebuilt page from memory with no router or
// middleware: the floor the page benchmarks are compared with.
func BenchmarkBaseline(b *testing.B) {
	ts := newTestSite(b, Config{})
	p, _ := ts.srv.cache.Peek("/articles/rendering/ssg")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "br")
		w.Write(p.Brotli)
	})
	benchRoute(b, h, "/articles/rendering/ssg", "br")
}

func BenchmarkServeSSG(b *testing.B) {
	benchRoute(b, newTestSite(b, Config{}).handler, "/articles/rendering/ssg", "gzip, deflate, br")
}

func BenchmarkServeISRHit(b *testing.B) {
	benchRoute(b, newTestSite(b, Config{}).handler, "/articles/rendering/isr", "gzip, deflate, br")
}

func BenchmarkServeSSR(b *testing.B) {
	benchRoute(b, newTestSite(b, Config{}).handler, "/articles/rendering/ssr", "")
}

func BenchmarkServeSSRGzip(b *testing.B) {
	benchRoute(b, newTestSite(b, Config{}).handler, "/articles/rendering/ssr", "gzip")
}

func BenchmarkSearchPage(b *testing.B) {
	benchRoute(b, newTestSite(b, Config{}).handler, "/search?q=render", "")
}

// BenchmarkServePPR serves the shell of a PPR article with its holes
// rendered, gzip-stitched (DESIGN.md §6: at least half of an SSG hit).
func BenchmarkServePPR(b *testing.B) {
	fsys := fixture()
	fsys["rendering/ppr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Partial prerendering\ndescription: A shell with holes.\ndate: 2026-11-12\nrender: ppr\n---\n## The shell\n\nStatic text of the shell.\n")}
	benchRoute(b, newTestSiteFS(b, Config{}, fsys).handler, "/articles/rendering/ppr", "gzip")
}

// embeddedSite is the test site on the embedded articles, the pages the
// load test measures.
func embeddedSite(b *testing.B) *testSite {
	fsys := fstest.MapFS{}
	err := fs.WalkDir(articles.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(articles.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return newTestSiteFS(b, Config{}, fsys)
}

// BenchmarkServeSSRArticle streams the embedded SSR article, gzipped, as
// the load test does (DESIGN.md §6: 10,000 a second on one core).
func BenchmarkServeSSRArticle(b *testing.B) {
	benchRoute(b, embeddedSite(b).handler, "/articles/rendering/ssr", "gzip")
}

// BenchmarkServePPRArticle serves the embedded PPR article, gzipped.
func BenchmarkServePPRArticle(b *testing.B) {
	benchRoute(b, embeddedSite(b).handler, "/articles/rendering/ppr", "gzip")
}

// BenchmarkServeSSRArticlePlain is BenchmarkServeSSRArticle without
// compression: the render alone.
func BenchmarkServeSSRArticlePlain(b *testing.B) {
	benchRoute(b, embeddedSite(b).handler, "/articles/rendering/ssr", "")
}
