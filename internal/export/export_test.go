package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/server"
	"github.com/renderwise/renderwise/static"
)

const baseURL = "https://renderwise.example"

var buildTime = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// fixture is a small site with every kind of input: SSG, ISR and SSR
// articles (the three that explain the modes), a series, tags, a draft, an
// alias, code, and a diagram beside an article.
func fixture() fstest.MapFS {
	return fstest.MapFS{
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

` + "```go\nfunc main() {}\n```\n\n![A diagram of the build](diagram.svg)\n")},
		"rendering/diagram.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`)},
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
		"guide.md": {Data: []byte(`---
title: A guide to caching
description: How caches keep pages.
date: 2026-11-05
tags: [caching]
---
## Caches

Plain text about caching.
`)},
		"notes/other.md": {Data: []byte(`---
title: Other notes on caching
description: Unrelated notes.
date: 2026-11-01
tags: [notes]
---
Nothing to see.
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

type env struct {
	fsys    fstest.MapFS
	site    *content.Site
	set     *assets.Set
	builder *page.Builder
}

func newEnv(t testing.TB, fsys fstest.MapFS) *env {
	t.Helper()
	site, err := content.LoadWith(fsys, content.Options{ImageURL: page.ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	set, err := assets.New(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fsys: fsys, site: site, set: set, builder: page.NewBuilder(page.Config{BaseURL: baseURL}, set)}
}

func (e *env) build(t testing.TB, out string) *Summary {
	t.Helper()
	s, err := Build(context.Background(), e.config(out), e.deps())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) config(out string) Config {
	return Config{Out: out, BaseURL: baseURL, Now: buildTime, Version: "test"}
}

func (e *env) deps() Deps {
	return Deps{Site: e.site, Content: e.fsys, Builder: e.builder, Assets: e.set}
}

// files returns every file under dir with its bytes, by slash path.
func files(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBuildWritesTheSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	sum := e.build(t, out)
	got := files(t, out)

	var want []string
	for _, f := range []string{
		"index.html", "tags/index.html", "tags/rendering/index.html", "tags/nextjs/index.html",
		"tags/caching/index.html", "tags/notes/index.html",
		"articles/rendering/ssg/index.html", "articles/rendering/isr/index.html",
		"articles/guide/index.html", "articles/notes/other/index.html",
		"feed.xml", "sitemap.xml", "robots.txt", "404.html",
		"articles/rendering/diagram.svg", "archive/index.html", "archive/2026/index.html",
	} {
		want = append(want, f, f+".gz", f+".br")
	}
	for _, f := range []string{
		"og/index.png", "og/tags.png", "og/tags/rendering.png", "og/tags/nextjs.png", "og/tags/caching.png", "og/tags/notes.png",
		"og/articles/rendering/ssg.png", "og/articles/rendering/isr.png", "og/articles/rendering/ssr.png",
		"og/articles/guide.png", "og/articles/notes/other.png", "og/search.png", "og/archive.png", "og/archive/2026.png", "og/lab.png",
		ManifestName, NginxPagesMap, NginxServerConf,
	} {
		want = append(want, f)
	}
	for name, a := range e.set.All() {
		want = append(want, "static/"+name)
		if a.Gzip != nil {
			want = append(want, "static/"+name+".gz", "static/"+name+".br")
		}
	}
	slices.Sort(want)
	if have := slices.Sorted(maps.Keys(got)); !slices.Equal(have, want) {
		t.Errorf("export tree:\n got %q\nwant %q", have, want)
	}
	for _, never := range []string{"articles/draft/index.html", "articles/rendering/ssr/index.html", "search/index.html"} {
		if _, ok := got[never]; ok {
			t.Errorf("%s was exported", never)
		}
	}
	if want := []string{"/articles/rendering/ssr", "/lab", "/search"}; !slices.Equal(sum.NeedsServer, want) {
		t.Errorf("NeedsServer = %q, want %q", sum.NeedsServer, want)
	}
	if sum.Pages[content.SSG] != 3 || sum.Pages[content.ISR] != 12 || sum.Images != 15 || sum.Reused != 0 {
		t.Errorf("summary %+v, want 3 ssg and 12 isr pages, 15 images, nothing reused", sum)
	}
	if n := len(got); sum.Files+1+2 != n { // + manifest and the two nginx files
		t.Errorf("summary counts %d files, the folder has %d", sum.Files, n)
	}
	conf := string(got[NginxServerConf])
	for _, line := range []string{"location = /articles/rendering/ssr { proxy_pass http://renderwise; }", "location = /old-ssg { return 301 /articles/rendering/ssg; }"} {
		if !strings.Contains(conf, line) {
			t.Errorf("%s lacks %q:\n%s", NginxServerConf, line, conf)
		}
	}
	if m := string(got[NginxPagesMap]); !strings.Contains(m, `"/articles/rendering/isr/index.html" isr-30;`) || !strings.Contains(m, `"/index.html" isr-60;`) {
		t.Errorf("%s lacks the ISR intervals:\n%s", NginxPagesMap, m)
	}
}

// TestExportedBytesAreServedBytes compares every exported file with what
// the server answers for its path at the same time: the same bytes.
func TestExportedBytesAreServedBytes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	m, err := readManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return buildTime }
	store := content.NewStore(e.fsys, e.site)
	renderer := server.NewRenderer(store, e.builder, now, nil, nil)
	srv := server.New(server.Config{BaseURL: baseURL}, server.Deps{Content: store, Builder: e.builder, Assets: e.set, Now: now,
		Renderer: renderer, Cache: cache.New(cache.Config{Render: renderer.Render, Now: now})})
	defer srv.Close()
	if err := srv.Prerender(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	for _, o := range m.Outputs {
		route, status := o.Route, http.StatusOK
		if o.Kind == kindNotFound {
			route, status = "/no/such/page", http.StatusNotFound
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, route, nil))
		body, err := os.ReadFile(filepath.Join(out, o.File))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Code != status || !bytes.Equal(rec.Body.Bytes(), body) {
			t.Errorf("GET %s: %d, %d bytes; the export has %s with %d bytes (equal: %v), want status %d",
				route, rec.Code, rec.Body.Len(), o.File, len(body), bytes.Equal(rec.Body.Bytes(), body), status)
		}
		if got := rec.Header().Get("Content-Type"); o.ContentType != "" && got != o.ContentType {
			t.Errorf("GET %s: Content-Type %q, the manifest says %q", route, got, o.ContentType)
		}
		if !o.Compressed {
			continue
		}
		gz, _ := os.ReadFile(filepath.Join(out, o.File+".gz"))
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatalf("%s.gz: %v", o.File, err)
		}
		if !zr.ModTime.IsZero() || zr.Name != "" {
			t.Errorf("%s.gz carries mtime %v and name %q, want none", o.File, zr.ModTime, zr.Name)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, body) {
			t.Errorf("%s.gz does not decode to %s (%v)", o.File, o.File, err)
		}
		br, _ := os.ReadFile(filepath.Join(out, o.File+".br"))
		plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil || !bytes.Equal(plain, body) {
			t.Errorf("%s.br does not decode to %s (%v)", o.File, o.File, err)
		}
	}
}

func TestBuildsAreByteIdentical(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	e.build(t, filepath.Join(dir, "a"))
	e.build(t, filepath.Join(dir, "b"))
	a, b := files(t, filepath.Join(dir, "a")), files(t, filepath.Join(dir, "b"))
	if !maps.EqualFunc(a, b, bytes.Equal) {
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Errorf("%s differs between two builds of the same inputs", name)
			}
		}
		t.Errorf("two builds differ: %d and %d files", len(a), len(b))
	}
}

// edits change one kind of input each; the incremental build after each
// must equal a clean build.
var edits = []struct {
	name string
	edit func(fstest.MapFS)
	// kept are files the edit must not touch; changed must be rewritten.
	kept, changed []string
}{
	{"a body edit", func(f fstest.MapFS) { replace(f, "guide.md", "Plain text", "Plainer words") },
		[]string{"articles/notes/other/index.html", "og/articles/guide.png", "tags/caching/index.html", "static/"},
		[]string{"articles/guide/index.html", "feed.xml"}},
	{"a title edit", func(f fstest.MapFS) { replace(f, "guide.md", "A guide to caching", "A guide to keeping") },
		[]string{"articles/rendering/isr/index.html", "og/articles/rendering/ssg.png"},
		[]string{"articles/guide/index.html", "og/articles/guide.png", "tags/caching/index.html", "index.html"}},
	{"a series neighbour's title", func(f fstest.MapFS) {
		replace(f, "rendering/isr.md", "title: Incremental static regeneration", "title: ISR")
	},
		[]string{"articles/guide/index.html"},
		[]string{"articles/rendering/ssg/index.html", "articles/rendering/isr/index.html"}},
	{"a new tag", func(f fstest.MapFS) { replace(f, "guide.md", "tags: [caching]", "tags: [caching, proxies]") },
		[]string{"tags/rendering/index.html", "og/articles/notes/other.png"},
		[]string{"tags/proxies/index.html", "tags/index.html", "sitemap.xml", "og/articles/guide.png"}},
	{"a new article", func(f fstest.MapFS) {
		f["fresh.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Fresh\ndescription: New.\ndate: 2026-11-20\ntags: [caching]\n---\nNew.\n")}
	}, []string{"articles/rendering/ssg/index.html.br"}, []string{"articles/fresh/index.html", "og/articles/fresh.png", "index.html", "feed.xml",
		"articles/rendering/isr/index.html"}}, // isr.md was the newest: it now links to a newer one
	{"a deleted article", func(f fstest.MapFS) { delete(f, "notes/other.md") },
		[]string{"articles/rendering/ssg/index.html"}, []string{"sitemap.xml", "tags/index.html"}},
	{"a date edit", func(f fstest.MapFS) { replace(f, "notes/other.md", "date: 2026-11-01", "date: 2026-11-02") },
		[]string{"robots.txt.gz"}, []string{"articles/notes/other/index.html", "sitemap.xml"}},
	{"a mode change", func(f fstest.MapFS) {
		replace(f, "guide.md", "tags: [caching]", "tags: [caching]\nrender: isr\nrevalidate: 5m")
	}, []string{"articles/rendering/ssg/index.html"}, []string{"articles/guide/index.html", "tags/caching/index.html"}},
	{"a diagram edit", func(f fstest.MapFS) { replace(f, "rendering/diagram.svg", `width="10"`, `width="9"`) },
		[]string{"articles/rendering/ssg/index.html"}, []string{"articles/rendering/diagram.svg", "articles/rendering/diagram.svg.gz"}},
	{"a draft published", func(f fstest.MapFS) { replace(f, "draft.md", "draft: true", "draft: false") },
		[]string{"articles/rendering/ssg/index.html.gz"}, []string{"articles/draft/index.html", "index.html"}},
}

func replace(f fstest.MapFS, name, old, new string) {
	s := string(f[name].Data)
	if !strings.Contains(s, old) {
		panic("fixture " + name + " has no " + old)
	}
	f[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

func TestIncrementalEqualsClean(t *testing.T) {
	t.Parallel()
	for _, tt := range edits {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out := filepath.Join(dir, "dist")
			newEnv(t, fixture()).build(t, out)
			// Age every file, so that any file written again shows it.
			old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					os.Chtimes(p, old, old)
				}
				return err
			})
			before := files(t, out)

			fsys := fixture()
			tt.edit(fsys)
			e := newEnv(t, fsys)
			sum := e.build(t, out)
			clean := filepath.Join(dir, "clean")
			e.build(t, clean)
			got, want := files(t, out), files(t, clean)
			for name := range want {
				if !bytes.Equal(got[name], want[name]) {
					t.Errorf("%s differs from a clean build after %s", name, tt.name)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s is left over after %s; a clean build has none", name, tt.name)
				}
			}
			if sum.Reused == 0 || sum.Rendered == 0 {
				t.Errorf("%s: %d outputs rendered, %d reused; want some of each", tt.name, sum.Rendered, sum.Reused)
			}
			untouched := 0
			for name := range got {
				info, err := os.Stat(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				aged := info.ModTime().Equal(old)
				if aged {
					untouched++
				}
				for _, k := range tt.kept {
					if strings.HasPrefix(name, k) && !aged {
						t.Errorf("%s was written again after %s, which it does not depend on", name, tt.name)
					}
				}
				for _, c := range tt.changed {
					if name == c && (aged || bytes.Equal(before[name], got[name])) {
						t.Errorf("%s is unchanged after %s, which it depends on", name, tt.name)
					}
				}
			}
			if untouched < len(got)/2 {
				t.Errorf("after %s only %d of %d files were left untouched", tt.name, untouched, len(got))
			}
		})
	}
}

func TestNewBuildTimeKeepsImages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour)
	sum, err := Build(context.Background(), cfg, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Images == 0 || sum.Reused < sum.Images+sum.Assets {
		t.Errorf("a new build time reused %d outputs; want at least the %d images and %d assets", sum.Reused, sum.Images, sum.Assets)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Contains(b, []byte("13:00:00")) {
		t.Error("the home page does not show the new build time")
	}
}

// TestFailedBuildLeavesTheExport cancels a build half way: the previous
// export stays as it was and no temporary folder is left.
func TestFailedBuildLeavesTheExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	e.build(t, out)
	before := files(t, out)

	ctx, cancel := context.WithCancel(context.Background())
	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour)
	cfg.Workers = 1
	cfg.Progress = func(done, total int) {
		if done == total/2 {
			cancel()
		}
	}
	if _, err := Build(ctx, cfg, e.deps()); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled build returned %v, want context.Canceled", err)
	}
	if after := files(t, out); !maps.EqualFunc(before, after, bytes.Equal) {
		t.Error("a cancelled build changed the previous export")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after a cancelled build the parent holds %q, want only dist", names)
	}
}

func TestBuildRefusesToReplaceOtherFolders(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "precious.txt"), []byte("keep me"), 0o644)
	_, err := Build(context.Background(), newEnv(t, fixture()).config(out), newEnv(t, fixture()).deps())
	if err == nil || !strings.Contains(err.Error(), "not an export") {
		t.Fatalf("building over a folder that is not an export: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "precious.txt")); string(b) != "keep me" {
		t.Error("the folder was changed")
	}
}

// TestBuildReplacesAJSONExport: an export built before the manifest was
// gob (format 3) has .renderwise-build.json; it is an export, rebuilt whole.
func TestBuildReplacesAJSONExport(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dist")
	os.MkdirAll(filepath.Join(out, "articles", "gone"), 0o755)
	os.WriteFile(filepath.Join(out, legacyManifest), []byte(`{"format":2,"outputs":[]}`), 0o644)
	os.WriteFile(filepath.Join(out, "articles", "gone", "index.html"), []byte("old"), 0o644)
	e := newEnv(t, fixture())
	sum, err := Build(context.Background(), e.config(out), e.deps())
	if err != nil {
		t.Fatalf("building over a JSON export: %v", err)
	}
	if sum.Reused != 0 {
		t.Errorf("%d outputs reused from a JSON export", sum.Reused)
	}
	if len(sum.Stale) != 1 || !strings.Contains(sum.Stale[0], "is a JSON manifest") {
		t.Errorf("building over a JSON export: stale %q, want it to say the manifest is JSON", sum.Stale)
	}
	for _, gone := range []string{legacyManifest, "articles/gone/index.html"} {
		if _, err := os.Stat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s is still in the export", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ManifestName)); err != nil {
		t.Errorf("no %s: %v", ManifestName, err)
	}
}

// TestBuildRecoversFromAKilledSwap: a build killed between its two renames
// leaves only the backup; the next build puts it back first.
func TestBuildRecoversFromAKilledSwap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	if err := os.Rename(out, backupOf(out)); err != nil {
		t.Fatal(err)
	}
	sum := e.build(t, out)
	if sum.Rendered != 0 {
		t.Errorf("after a killed swap the next build rendered %d outputs, want all reused from the restored export", sum.Rendered)
	}
	if _, err := os.Stat(backupOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the backup is still there: %v", err)
	}
}

func TestReadGivesBackTheBuiltPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	pb, err := Read(context.Background(), out, e.config(out), e.deps())
	if err != nil {
		t.Fatal(err)
	}
	if len(pb.Missing) != 0 || pb.NotFound == nil || !pb.BuildTime.Equal(buildTime) {
		t.Fatalf("Read: missing %v, 404 page %v, build time %v", pb.Missing, pb.NotFound != nil, pb.BuildTime)
	}
	routes := page.Routes(e.site)
	if len(pb.Pages) != len(routes) {
		t.Fatalf("Read returned %d pages for %d routes", len(pb.Pages), len(routes))
	}
	for _, got := range pb.Pages {
		rt, _ := page.Resolve(e.site, got.Route)
		want, err := e.builder.Build(context.Background(), e.site, rt, buildTime)
		if err != nil {
			t.Fatal(err)
		}
		if got.Gzip != nil && got.Body != nil {
			t.Errorf("%s read back keeps its plain body beside the gzip one", got.Route)
		}
		body, err := got.Plain()
		if err != nil {
			t.Fatal(err)
		}
		if got.ETag != want.ETag || !bytes.Equal(body, want.Body) || got.Size != len(want.Body) || !bytes.Equal(got.Gzip, want.Gzip) || !bytes.Equal(got.Brotli, want.Brotli) ||
			got.ContentType != want.ContentType || got.Status != want.Status || got.Mode != want.Mode ||
			got.Revalidate != want.Revalidate || !got.Modified.Equal(want.Modified) || !got.Generated.Equal(want.Generated) {
			t.Errorf("%s read back: %s %s %d %s %v %v %v; rendered: %s %s %d %s %v %v %v", got.Route,
				got.ETag, got.ContentType, got.Status, got.Mode, got.Revalidate, got.Modified, got.Generated,
				want.ETag, want.ContentType, want.Status, want.Mode, want.Revalidate, want.Modified, want.Generated)
		}
	}

	// Content changed since the export: what it touches is missing.
	fsys := fixture()
	replace(fsys, "guide.md", "Plain text", "Other text")
	e2 := newEnv(t, fsys)
	pb, err = Read(context.Background(), out, e2.config(out), e2.deps())
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, rt := range pb.Missing {
		missing = append(missing, rt.Path)
	}
	if want := []string{"/articles/guide", "/feed.xml"}; !slices.Equal(missing, want) {
		t.Errorf("after an edit, Read misses %q, want %q", missing, want)
	}
	// Another base URL: nothing matches.
	cfg := e.config(out)
	cfg.BaseURL = "https://elsewhere.example"
	pb, err = Read(context.Background(), out, cfg, e.deps())
	if err != nil || len(pb.Pages) != 0 || pb.NotFound != nil {
		t.Errorf("Read for another base URL: %d pages, 404 %v, %v; want none", len(pb.Pages), pb.NotFound != nil, err)
	}
	if _, err := Read(context.Background(), t.TempDir(), e.config(out), e.deps()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a folder without a manifest: %v", err)
	}
}

// TestWriteFailureLeavesTheExport breaks the build's folder half way, as a
// full or read-only disk would (permissions do not stop root, so the folder
// is replaced by a file): the build fails with an error and the previous
// export is served unchanged.
func TestWriteFailureLeavesTheExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	e.build(t, out)
	before := files(t, out)

	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour)
	cfg.Workers = 1
	broken := false
	cfg.Progress = func(done, total int) {
		if done < total/2 || broken {
			return
		}
		tmps, _ := filepath.Glob(filepath.Join(dir, ".dist.*"))
		for _, tmp := range tmps {
			os.RemoveAll(tmp)
			os.WriteFile(tmp, []byte("not a folder"), 0o644)
			broken = true
		}
	}
	_, err := Build(context.Background(), cfg, e.deps())
	if !broken {
		t.Fatal("the test found no build folder to break")
	}
	if err == nil {
		t.Fatal("a build whose folder broke reported success")
	}
	if after := files(t, out); !maps.EqualFunc(before, after, bytes.Equal) {
		t.Error("a failed build changed the previous export")
	}
}
