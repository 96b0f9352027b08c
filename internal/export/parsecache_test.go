package export

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// buildCached loads fsys through the parse cache of out and builds into out,
// as renderwise build does. It returns the cache, for its counts.
func buildCached(t testing.TB, fsys fstest.MapFS, out, version string) *ParseCache {
	t.Helper()
	c := NewParseCache(out, version)
	site, err := content.LoadWith(fsys, content.Options{Cache: c, ImageURL: page.ImageURL})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, fsys)
	e.site = site
	d := e.deps()
	d.ParseCache = c
	cfg := e.config(out)
	cfg.Version = version
	if _, err := Build(context.Background(), cfg, d); err != nil {
		t.Fatal(err)
	}
	return c
}

// cacheEntries returns how many entries each shard of the parse cache of
// the export at out holds, by file name.
func cacheEntries(t testing.TB, out string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	dir := filepath.Join(out, ParseCacheDir)
	list, _ := os.ReadDir(dir)
	for _, e := range list {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		entries, err := decodeShard(b)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		counts[e.Name()] = len(entries)
	}
	return counts
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// withoutCache returns the files of an export outside its parse cache.
func withoutCache(all map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, b := range all {
		if !strings.HasPrefix(name, ParseCacheDir+"/") {
			out[name] = b
		}
	}
	return out
}

func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for name := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s is missing", what, name)
		} else if !bytes.Equal(g, want[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s is left over", what, name)
		}
	}
}

// TestParseCacheChangesNoByte: after every kind of edit, an incremental
// build through the parse cache equals a clean build without it (the cache
// folder aside) and a clean build with it (the cache folder included), and
// only the edited articles are parsed again.
func TestParseCacheChangesNoByte(t *testing.T) {
	t.Parallel()
	cases := append(edits[:len(edits):len(edits)], struct {
		name          string
		edit          func(fstest.MapFS)
		kept, changed []string
	}{"the size of an image an article shows", func(f fstest.MapFS) {
		replace(f, "rendering/diagram.svg", `viewBox="0 0 10 10"`, `viewBox="0 0 20 10"`)
	}, nil, []string{"articles/rendering/ssg/index.html"}})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out := filepath.Join(dir, "dist")
			fsys := fixture()
			buildCached(t, fsys, out, "v1")
			if n := total(cacheEntries(t, out)); n != 6 {
				t.Fatalf("a clean build kept %d parsed articles, want the fixture's 6", n)
			}
			old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					os.Chtimes(p, old, old)
				}
				return err
			})
			before := files(t, out)

			edited := fixture()
			tt.edit(edited)
			changedMD, removedMD := 0, 0
			for name, f := range edited {
				if strings.HasSuffix(name, ".md") && (fsys[name] == nil || !bytes.Equal(fsys[name].Data, f.Data)) {
					changedMD++
				}
			}
			for name := range fsys {
				if _, ok := edited[name]; !ok && strings.HasSuffix(name, ".md") {
					removedMD++
				}
			}
			c := buildCached(t, edited, out, "v1")
			cached, parsed := c.Stats()
			want := changedMD
			if strings.Contains(tt.name, "image") {
				want = 1 // the article showing it
			}
			if parsed != want || cached < 4 {
				t.Errorf("%s: %d articles parsed, %d from the cache; want %d parsed", tt.name, parsed, cached, want)
			}

			clean := filepath.Join(dir, "clean")
			e := newEnv(t, edited)
			cfg := e.config(clean)
			cfg.Version = "v1"
			if _, err := Build(context.Background(), cfg, e.deps()); err != nil {
				t.Fatal(err)
			}
			cleanCached := filepath.Join(dir, "clean-cached")
			buildCached(t, edited, cleanCached, "v1")
			got := files(t, out)
			sameFiles(t, "incremental with the cache against clean without", withoutCache(got), files(t, clean))
			sameFiles(t, "incremental against clean, both with the cache", got, files(t, cleanCached))
			for _, name := range tt.changed {
				if bytes.Equal(before[name], got[name]) {
					t.Errorf("%s is unchanged after %s", name, tt.name)
				}
			}
			rewritten := 0
			for name := range got {
				if !strings.HasPrefix(name, ParseCacheDir+"/") {
					continue
				}
				info, err := os.Stat(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				if !info.ModTime().Equal(old) {
					rewritten++
				}
			}
			if rewritten > parsed+removedMD || (parsed > 0) != (rewritten > 0) {
				t.Errorf("%d cache shards written for %d articles parsed and %d removed; the others must be linked", rewritten, parsed, removedMD)
			}
		})
	}
}

func TestParseCacheIsKeyedByVersion(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dist")
	buildCached(t, fixture(), out, "v1")
	if cached, parsed := buildCached(t, fixture(), out, "v1").Stats(); cached != 6 || parsed != 0 {
		t.Errorf("the same version again: %d cached, %d parsed; want 6 and 0", cached, parsed)
	}
	if cached, parsed := buildCached(t, fixture(), out, "v2").Stats(); cached != 0 || parsed != 6 {
		t.Errorf("another version: %d cached, %d parsed; want 0 and 6", cached, parsed)
	}
	if n := total(cacheEntries(t, out)); n != 6 {
		t.Errorf("after a build by another version the cache holds %d entries, want only its 6", n)
	}
}

// TestParseCacheSurvivesDamage: a damaged or missing entry is parsed again,
// and the export is still the one a clean build makes.
func TestParseCacheSurvivesDamage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	buildCached(t, fixture(), out, "v1")
	counts := cacheEntries(t, out)
	names := slices.Sorted(maps.Keys(counts))
	if len(names) < 2 {
		t.Fatalf("the cache has %d shards, want at least 2", len(names))
	}
	os.Remove(filepath.Join(out, ParseCacheDir, names[0]))
	os.WriteFile(filepath.Join(out, ParseCacheDir, names[1]), []byte("garbage"), 0o644)
	damaged := counts[names[0]] + counts[names[1]]
	c := buildCached(t, fixture(), out, "v1")
	if cached, parsed := c.Stats(); cached != 6-damaged || parsed != damaged {
		t.Errorf("%d cached, %d parsed; want %d and %d", cached, parsed, 6-damaged, damaged)
	}
	clean := filepath.Join(dir, "clean")
	buildCached(t, fixture(), clean, "v1")
	sameFiles(t, "after damage", files(t, out), files(t, clean))
}

func FuzzDecodeShard(f *testing.F) {
	f.Add(encodeShard(map[string][]byte{"0123456789abcdef": []byte("entry"), "0123456789abcdeg": nil}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := decodeShard(b)
		if err != nil {
			return
		}
		if again := encodeShard(entries); len(entries) > 0 && !bytes.Equal(again, b) {
			// Names in the input may repeat or be out of order; what
			// decodes must at least encode to something that decodes alike.
			back, err := decodeShard(again)
			if err != nil || len(back) != len(entries) {
				t.Fatalf("re-encoding %q gives %q (%v)", b, again, err)
			}
		}
	})
}
