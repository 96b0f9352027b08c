package page

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var fixedNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func fixture(t testing.TB) (*Builder, *content.Site) {
	t.Helper()
	fsys := fstest.MapFS{
		"site.yaml": {Data: []byte("title: Renderwise\ntagline: How the web is built and delivered\ndescription: A course.\nmenu:\n  - {title: Course, url: \"/#course\"}\n  - {title: Tags, url: /tags}\n  - {title: Search, url: /search}\n  - {title: About, url: /articles/about}\n")},
		"guide.md":  {Data: []byte("---\ntitle: A guide\ndescription: A fixture article.\ndate: 2026-11-05\nupdated: 2026-11-06\ntags: [basics]\nseries: course\norder: 1\n---\n## First\n\nText with `code`.\n\n### Detail\n\n```go\nfunc main() {}\n```\n\n## Second\n\nSee [next](/articles/next).\n")},
		"next.md":   {Data: []byte("---\ntitle: Next\ndescription: The second article.\ndate: 2026-11-07\nseries: course\norder: 2\nrender: isr\nrevalidate: 90s\n---\nBody.\n")},
	}
	site, err := content.LoadWith(fsys, content.Options{ImageURL: ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	// Small stand-ins for static/, so the goldens change with the markup,
	// not with every stylesheet edit.
	set, err := assets.New(fstest.MapFS{
		"site.css": {Data: []byte("body{margin:0}")}, "code.css": {Data: []byte(".chroma{}")}, "search.css": {Data: []byte("mark{}")},
		"theme.js": {Data: []byte("// theme")}, "code.js": {Data: []byte("// code")}, "isr.js": {Data: []byte("// isr")}, "search.js": {Data: []byte("// search")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return NewBuilder(Config{BaseURL: "https://renderwise.example/"}, set), site
}

// TestGoldenPages compares whole pages byte for byte with a fixed clock and
// base URL. Rewrite with: go test ./internal/page -update
func TestGoldenPages(t *testing.T) {
	t.Parallel()
	b, site := fixture(t)
	for name, route := range map[string]string{"article": "/articles/guide", "isr-article": "/articles/next", "home": "/", "tags": "/tags"} {
		t.Run(name, func(t *testing.T) {
			rt, ok := Resolve(site, route)
			if !ok {
				t.Fatalf("Resolve(%s): no page", route)
			}
			p, err := b.Build(context.Background(), site, rt, fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			golden := "testdata/" + name + ".golden.html"
			if *update {
				os.WriteFile(golden, p.Body, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/page -update)", err)
			}
			if !bytes.Equal(p.Body, want) {
				t.Errorf("Build(%s) differs from %s; review with -update and git diff", route, golden)
			}
		})
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	t.Parallel()
	b, site := fixture(t)
	for _, route := range Routes(site) {
		p1, err := b.Build(context.Background(), site, route, fixedNow)
		if err != nil {
			t.Fatalf("Build(%s): %v", route.Path, err)
		}
		p2, _ := b.Build(context.Background(), site, route, fixedNow)
		if !bytes.Equal(p1.Body, p2.Body) || p1.ETag != p2.ETag || !bytes.Equal(p1.Brotli, p2.Brotli) {
			t.Errorf("Build(%s) twice gave different bytes", route.Path)
		}
	}
}

func TestModes(t *testing.T) {
	t.Parallel()
	_, site := fixture(t)
	tests := []struct {
		route      string
		mode       content.Mode
		revalidate time.Duration
		ok         bool
	}{
		{"/", content.ISR, HomeRevalidate, true},
		{"/articles/guide", content.SSG, 0, true},
		{"/articles/next", content.ISR, 90 * time.Second, true},
		{"/search", content.SSR, 0, true},
		{"/tags/basics", content.ISR, HomeRevalidate, true},
		{"/tags/nope", "", 0, false},
		{"/og/articles/guide.png", content.SSG, 0, true},
		{"/og/index.png", content.SSG, 0, true},
		{"/og/og/index.png.png", "", 0, false},
		{"/articles/nope", "", 0, false},
		{"/sitemaps/1.xml", "", 0, false},
	}
	for _, tt := range tests {
		rt, ok := Resolve(site, tt.route)
		if rt.Mode != tt.mode || rt.Revalidate != tt.revalidate || ok != tt.ok {
			t.Errorf("Resolve(%s) = %s %s %v, want %s %s %v", tt.route, rt.Mode, rt.Revalidate, ok, tt.mode, tt.revalidate, tt.ok)
		}
	}
}

func TestInterval(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{30 * time.Second: "30 seconds", time.Minute: "1 minute", 90 * time.Second: "90 seconds", 2 * time.Hour: "2 hours"} {
		if got := interval(d); got != want {
			t.Errorf("interval(%s) = %q, want %q", d, got, want)
		}
	}
}

// flushPipe is an http.Flusher-like writer over a pipe: bytes reach the
// reader only when they are written through, which templ does on Flush.
type flushPipe struct{ *io.PipeWriter }

func (flushPipe) Flush() {}

// TestLayoutFlushesHeadBeforeBody renders a page whose body blocks until the
// test has read the complete head from the other end of a pipe: that only
// works if the head was flushed before the body started to render.
func TestLayoutFlushesHeadBeforeBody(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	headRead := make(chan struct{})
	body := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		select {
		case <-headRead:
		case <-time.After(10 * time.Second):
			t.Error("the body started rendering before the head reached the client")
		}
		_, err := io.WriteString(w, "<p>body</p>")
		return err
	})
	done := make(chan error, 1)
	go func() {
		ctx := templ.WithChildren(context.Background(), body)
		done <- web.Layout(web.Meta{Title: "T", Styles: []string{"/static/site.x.css"}}).Render(ctx, flushPipe{pw})
		pw.Close()
	}()
	r := bufio.NewReader(pr)
	var head strings.Builder
	for !strings.Contains(head.String(), "</head>") {
		line, err := r.ReadString('>')
		if err != nil {
			t.Fatalf("reading the head: %v (got %q)", err, head.String())
		}
		head.WriteString(line)
	}
	if !strings.Contains(head.String(), `<link rel="stylesheet" href="/static/site.x.css">`) {
		t.Errorf("the flushed head lacks the stylesheet: %s", head.String())
	}
	close(headRead)
	rest, _ := io.ReadAll(r)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rest), "<p>body</p>") {
		t.Errorf("body missing after the head: %s", rest)
	}
}

func BenchmarkBuildArticle(b *testing.B) {
	bld, site := fixture(b)
	ctx := context.Background()
	rt, _ := Resolve(site, "/articles/guide")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bld.Build(ctx, site, rt, fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStreamArticle(b *testing.B) {
	bld, site := fixture(b)
	ctx := context.Background()
	rt, _ := Resolve(site, "/articles/guide")
	b.ReportAllocs()
	for b.Loop() {
		if err := bld.Stream(ctx, io.Discard, site, rt, Request{Start: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCardCoversFrontMatter fails when content.FrontMatter gains an
// exported field that digester.card does not write: a listing could then show
// something its key does not cover.
func TestCardCoversFrontMatter(t *testing.T) {
	t.Parallel()
	n := 0
	rt := reflect.TypeFor[content.FrontMatter]()
	for i := range rt.NumField() {
		if rt.Field(i).IsExported() {
			n++
		}
	}
	if n != cardFields {
		t.Errorf("content.FrontMatter has %d exported fields; digester.card writes %d: add the new one to it", n, cardFields)
	}
}
