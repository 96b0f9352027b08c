package content

import (
	"bytes"
	"image"
	"image/png"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// mapCache is a Cache in memory that counts what it is asked.
type mapCache struct {
	mu               sync.Mutex
	m                map[string][]byte
	gets, hits, puts int
}

func newMapCache() *mapCache { return &mapCache{m: map[string][]byte{}} }

func (c *mapCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets++
	b, ok := c.m[key]
	if ok {
		c.hits++
	}
	return b, ok
}

func (c *mapCache) Put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.puts++
	c.m[key] = b
}

// reset forgets the counts, not the entries.
func (c *mapCache) reset() { c.gets, c.hits, c.puts = 0, 0, 0 }

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cacheFixture sets every field an article can have, and shows images.
func cacheFixture(t testing.TB) fstest.MapFS {
	return fstest.MapFS{
		"node/loop.md": {Data: []byte(`---
title: The event loop
description: How Node.js runs many connections on one thread.
date: 2026-11-05
updated: 2026-11-07
tags: [nodejs, runtime]
series: course
order: 1
render: isr
revalidate: 60s
aliases: [/old/loop, /older/loop]
image: cover.png
---
## Phases

Body text with a [link](/articles/node/timers) and a [relative one](timers#top).

![The phases of the loop](phases.png "Phases")

### Timers

` + "```go\nfunc main() { println(\"hi\") }\n```\n\n![A diagram](diagram.svg)\n\n![](phases.png)\n")},
		"node/timers.md": {Data: []byte(`---
title: Timers
description: setTimeout and friends.
date: 2026-11-06
tags: []
series: course
order: 2
---
No headings, no links.
`)},
		"draft.md":         {Data: []byte("---\ntitle: Unfinished\ndescription: A draft.\ndate: 2026-11-11\ndraft: true\nrender: ssr\n---\nSecret.\n")},
		"node/cover.png":   {Data: pngOf(t, 1200, 630)},
		"node/phases.png":  {Data: pngOf(t, 700, 400)},
		"node/diagram.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>`)},
	}
}

// sameSite fails unless two sites hold deeply equal articles (unexported
// fields included) in the same order, tags, series, aliases and warnings.
func sameSite(t *testing.T, got, want *Site) {
	t.Helper()
	paths := func(list []*Article) []string {
		var out []string
		for _, a := range list {
			out = append(out, a.Path)
		}
		return out
	}
	if g, w := paths(got.All()), paths(want.All()); !slices.Equal(g, w) {
		t.Fatalf("articles %v, want %v", g, w)
	}
	for _, w := range want.All() {
		g, _ := got.Article(w.Path)
		if !reflect.DeepEqual(*g, *w) {
			t.Fatalf("%s differs:\ngot  %+v\nwant %+v", w.Path, *g, *w)
		}
		for _, al := range w.Aliases {
			if g, _ := got.Alias(al); g != w.Path {
				t.Errorf("alias %s leads to %q, want %s", al, g, w.Path)
			}
		}
	}
	if g, w := paths(got.Articles()), paths(want.Articles()); !slices.Equal(g, w) {
		t.Errorf("public articles %v, want %v", g, w)
	}
	if g, w := got.SeriesNames(), want.SeriesNames(); !slices.Equal(g, w) {
		t.Errorf("series %v, want %v", g, w)
	}
	for _, name := range want.SeriesNames() {
		if g, w := paths(got.Series(name)), paths(want.Series(name)); !slices.Equal(g, w) {
			t.Errorf("series %s is %v, want %v", name, g, w)
		}
	}
	if len(got.Tags()) != len(want.Tags()) {
		t.Errorf("%d tags, want %d", len(got.Tags()), len(want.Tags()))
	}
	for i, w := range want.Tags() {
		if i < len(got.Tags()) && (got.Tags()[i].Name != w.Name || !slices.Equal(paths(got.Tags()[i].Articles), paths(w.Articles))) {
			t.Errorf("tag %d is %s %v, want %s %v", i, got.Tags()[i].Name, paths(got.Tags()[i].Articles), w.Name, paths(w.Articles))
		}
	}
	if !slices.Equal(got.Warnings(), want.Warnings()) {
		t.Errorf("warnings %v, want %v", got.Warnings(), want.Warnings())
	}
}

func TestLoadCachedEqualsLoad(t *testing.T) {
	t.Parallel()
	fsys := cacheFixture(t)
	want, err := LoadWith(fsys, Options{ImageURL: testImageURL})
	if err != nil {
		t.Fatal(err)
	}
	c := newMapCache()
	cold, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
	if err != nil {
		t.Fatal(err)
	}
	sameSite(t, cold, want)
	if c.hits != 0 || c.puts != 3 {
		t.Errorf("a load into an empty cache: %d hits, %d puts; want 0 and 3", c.hits, c.puts)
	}
	c.reset()
	warm, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
	if err != nil {
		t.Fatal(err)
	}
	sameSite(t, warm, want)
	if c.hits != 3 || c.puts != 0 {
		t.Errorf("a load of unchanged files: %d hits, %d puts; want 3 and 0", c.hits, c.puts)
	}
	a, _ := warm.Article("/articles/node/loop")
	if !bytes.Contains(a.HTML, []byte("srcset=")) || len(a.links) == 0 || a.lines["image"] != 12 {
		t.Errorf("the fixture does not exercise images, links and key lines: %s", a.HTML)
	}
}

func TestLoadCachedRendersWhatChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		edit     func(f fstest.MapFS)
		rendered int
	}{
		{"an edited article is rendered again", func(f fstest.MapFS) {
			f["node/timers.md"] = &fstest.MapFile{Data: bytes.Replace(f["node/timers.md"].Data, []byte("No headings"), []byte("Still no headings"), 1)}
		}, 1},
		{"an article is rendered again when an image it shows changes size", func(f fstest.MapFS) {
			f["node/phases.png"] = &fstest.MapFile{Data: pngOf(t, 800, 400)}
		}, 1},
		{"an article is rendered again when a raster image it shows changes bytes only", func(f fstest.MapFS) {
			img := pngOf(t, 700, 400)
			f["node/phases.png"] = &fstest.MapFile{Data: append(img[:len(img):len(img)], 0)}
		}, 1},
		{"an article is rendered again when an SVG it shows changes size", func(f fstest.MapFS) {
			f["node/diagram.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="41" height="20"></svg>`)}
		}, 1},
		{"an SVG whose bytes change but not its size is not rendered again: its markup has no hash", func(f fstest.MapFS) {
			f["node/diagram.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect/></svg>`)}
		}, 0},
		{"an article is rendered again when an image it shows disappears", func(f fstest.MapFS) {
			delete(f, "node/diagram.svg")
		}, 1},
		{"a renamed article is rendered again", func(f fstest.MapFS) {
			f["moved.md"] = f["draft.md"]
			delete(f, "draft.md")
		}, 1},
		{"a cover image is checked, not rendered", func(f fstest.MapFS) {
			f["node/cover.png"] = &fstest.MapFile{Data: pngOf(t, 1000, 500)}
		}, 0},
		{"a new article beside the others is the only one rendered", func(f fstest.MapFS) {
			f["new.md"] = &fstest.MapFile{Data: []byte("---\ntitle: New\ndescription: D.\ndate: 2026-11-12\n---\nNew [loop](/articles/node/loop).\n")}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := cacheFixture(t)
			c := newMapCache()
			before, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(fsys)
			c.reset()
			got, gotErr := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
			want, wantErr := LoadWith(fsys, Options{ImageURL: testImageURL})
			if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
				t.Fatalf("cached load: %v; load: %v", gotErr, wantErr)
			}
			if wantErr == nil {
				sameSite(t, got, want)
			}
			if c.puts != tt.rendered {
				t.Errorf("%d articles rendered, want %d", c.puts, tt.rendered)
			}
			if got == nil {
				return
			}
			changed := 0
			for _, a := range got.All() {
				if a.Digest() == "" {
					t.Errorf("%s has no digest", a.Path)
				}
				if b, ok := before.Article(a.Path); !ok || b.Digest() != a.Digest() {
					changed++
				}
			}
			if changed != tt.rendered {
				t.Errorf("%d articles have a new digest, want %d", changed, tt.rendered)
			}
		})
	}
}

func TestLoadCachedReportsProblemsAndCachesNone(t *testing.T) {
	t.Parallel()
	fsys := cacheFixture(t)
	fsys["bad.md"] = &fstest.MapFile{Data: []byte("---\ntitle: T\n---\nBody\n")}
	fsys["node/timers.md"] = &fstest.MapFile{Data: bytes.Replace(fsys["node/timers.md"].Data, []byte("No headings"), []byte("[gone](/articles/gone)"), 1)}
	_, want := LoadWith(fsys, Options{ImageURL: testImageURL})
	c := newMapCache()
	for range 2 {
		_, got := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Fatalf("cached load: %v\nwant: %v", got, want)
		}
	}
	// bad.md is never put; timers.md is (its broken link is a cross-file
	// problem, checked on every load).
	if len(c.m) != 3 {
		t.Errorf("%d entries cached, want 3 (not the file with problems)", len(c.m))
	}
}

func TestLoadCachedRendersAgainOverBrokenEntries(t *testing.T) {
	t.Parallel()
	fsys := cacheFixture(t)
	want, err := LoadWith(fsys, Options{ImageURL: testImageURL})
	if err != nil {
		t.Fatal(err)
	}
	breaks := map[string]func([]byte) []byte{
		"truncated":     func(b []byte) []byte { return b[:len(b)/2] },
		"a byte longer": func(b []byte) []byte { return append(slices.Clip(b), 0) },
		"empty":         func([]byte) []byte { return nil },
		"huge counts":   func(b []byte) []byte { return bytes.Repeat([]byte{0xff}, 64) },
	}
	for name, brk := range breaks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newMapCache()
			if _, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL}); err != nil {
				t.Fatal(err)
			}
			for k, b := range c.m {
				c.m[k] = brk(b)
			}
			c.reset()
			got, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL})
			if err != nil {
				t.Fatal(err)
			}
			sameSite(t, got, want)
			if c.puts != 3 {
				t.Errorf("%d articles rendered again over broken entries, want 3", c.puts)
			}
		})
	}
}

// TestCacheEntryCoversEveryField fails when Article or FrontMatter gains a
// field: add it to encodeEntry and decodeEntry (or to what decodeEntry
// derives from the file name), then to the lists here.
func TestCacheEntryCoversEveryField(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		typ  reflect.Type
		want []string
	}{
		{reflect.TypeFor[Article](), []string{"FrontMatter", "Path", "File", "HTML", "Headings", "Words", "ReadingMinutes", "HasCode", "links", "warnings", "includes", "stamp", "digest"}},
		{reflect.TypeFor[FrontMatter](), []string{"Title", "Description", "Date", "Updated", "Tags", "TagNames", "Authors", "Series", "Order", "Render", "Revalidate", "Draft", "Aliases", "Image", "CacheTags", "lines"}},
	} {
		var got []string
		for f := range tt.typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s has fields %v; the cache entry knows %v", tt.typ, got, tt.want)
		}
	}
}

func TestCacheEntriesAreDeterministic(t *testing.T) {
	t.Parallel()
	fsys := cacheFixture(t)
	a, b := newMapCache(), newMapCache()
	for _, c := range []*mapCache{a, b} {
		if _, err := LoadWith(fsys, Options{Cache: c, ImageURL: testImageURL}); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range a.m {
		if !bytes.Equal(v, b.m[k]) {
			t.Errorf("entry %s differs between two loads", k)
		}
	}
}

func TestCacheKeyCoversNameBytesAndSettings(t *testing.T) {
	t.Parallel()
	src := []byte("---\ntitle: T\n---\n")
	keys := map[string]string{
		"base":            cacheKey("a.md", src, parseOptions{}),
		"other name":      cacheKey("b.md", src, parseOptions{}),
		"other bytes":     cacheKey("a.md", append(slices.Clip(src), 'x'), parseOptions{}),
		"name into bytes": cacheKey("a.md"+string(src[:1]), src[1:], parseOptions{}),
		"unsafe HTML":     cacheKey("a.md", src, parseOptions{unsafeHTML: true}),
	}
	seen := map[string]string{}
	for name, k := range keys {
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s have the same key", name, other)
		}
		seen[k] = name
	}
	if !strings.Contains(rendererVersion(), "go") {
		t.Errorf("rendererVersion() = %q, want at least the Go version", rendererVersion())
	}
}

func FuzzDecodeEntry(f *testing.F) {
	c := newMapCache()
	if _, err := LoadWith(cacheFixture(f), Options{Cache: c, ImageURL: testImageURL}); err != nil {
		f.Fatal(err)
	}
	for _, b := range c.m {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, _, _, err := decodeEntry(b, "x.md")
		if err == nil && a == nil {
			t.Fatal("no article and no error")
		}
	})
}

// testImageURL makes srcset URLs as the server's /_img route does
// (page.ImageURL, which this package may not import).
func testImageURL(path string, width int, version string) string {
	return "/_img" + path + "?w=" + strconv.Itoa(width) + "&v=" + version
}
