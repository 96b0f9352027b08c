package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/cachedir"
	"github.com/renderwise/renderwise/internal/export"
)

// started is one run of a server over a cache folder.
type started struct {
	base    string
	logs    *syncBuffer
	renders map[string]int // renders before ready, by mode (renderwise_renders_total)
}

// startCached runs serve over content with the cache folder root, at the
// time at, until its cache folder write is over, then stops it. fn, if not
// nil, is called while it serves.
func startCached(t *testing.T, content, root string, at time.Time, fn func(s started)) started {
	t.Helper()
	s := started{logs: &syncBuffer{}}
	cfg := ServeConfig{Content: content, CacheDir: root, BaseURL: "http://127.0.0.1", Drain: 200 * time.Millisecond, LogFormat: "json",
		now: func() time.Time { return at }}
	a, err := newApp(cfg, s.logs)
	if err != nil {
		t.Fatal(err)
	}
	ready, written := make(chan struct{}), make(chan struct{})
	a.onReady = func() { close(ready) }
	a.onWritten = func() { close(written) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.run(ctx, ln) }()
	defer a.srv.Close()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, s.logs)
	}
	s.base = "http://" + ln.Addr().String()
	_, metrics := fetch(t, s.base+"/metrics")
	s.renders = renderCounts(metrics)
	if fn != nil {
		fn(s)
	}
	<-written
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	return s
}

var renderLine = regexp.MustCompile(`(?m)^renderwise_renders_total\{mode="(\w+)"\} (\d+)$`)

func renderCounts(metrics string) map[string]int {
	n := map[string]int{}
	for _, m := range renderLine.FindAllStringSubmatch(metrics, -1) {
		n[m[1]], _ = strconv.Atoi(m[2])
	}
	return n
}

func total(n map[string]int) int {
	sum := 0
	for _, v := range n {
		sum += v
	}
	return sum
}

// siteFolder is the cache folder serve uses for content under root.
func siteFolder(t *testing.T, root, content, baseURL string) string {
	t.Helper()
	name, err := cachedir.Name(content, baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, name)
}

// TestCacheFolderWarmsTheNextStart: a cold start renders every page and
// writes the cache folder; the next start loads every page from it and
// renders none; after an edit only what it changed is rendered, at the
// time the folder's pages were generated, and written back.
func TestCacheFolderWarmsTheNextStart(t *testing.T) {
	t.Parallel()
	dir, root := t.TempDir(), t.TempDir()
	write(t, dir, "a.md", article("Alpha", "First."))
	write(t, dir, "b.md", article("Beta", "Second."))
	write(t, dir, "c.md", article("Gamma", "Regenerated.", "render: isr\n", "revalidate: 60s\n"))
	noon := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

	var coldBody string
	cold := startCached(t, dir, root, noon, func(s started) { _, coldBody = fetch(t, s.base+"/articles/a") })
	if total(cold.renders) == 0 || !strings.Contains(cold.logs.String(), "holds no export yet") {
		t.Fatalf("a cold start rendered %v and logged:\n%s", cold.renders, cold.logs)
	}
	if !strings.Contains(cold.logs.String(), "cache folder written") {
		t.Fatalf("a cold start did not write the cache folder:\n%s", cold.logs)
	}
	folder := siteFolder(t, root, dir, "http://127.0.0.1")
	if _, err := os.Stat(filepath.Join(folder, "export", export.ManifestName)); err != nil {
		t.Fatalf("the cache folder holds no export: %v", err)
	}

	var warmBody string
	warm := startCached(t, dir, root, noon.Add(time.Hour), func(s started) { _, warmBody = fetch(t, s.base+"/articles/a") })
	if total(warm.renders) != 0 {
		t.Errorf("a warm start rendered %v, want nothing\n%s", warm.renders, warm.logs)
	}
	if !strings.Contains(warm.logs.String(), "the cache folder is up to date") {
		t.Errorf("a warm start with nothing changed did not skip the write:\n%s", warm.logs)
	}
	if warmBody != coldBody {
		t.Error("a warm start serves other bytes for /articles/a than the cold start did")
	}

	write(t, dir, "b.md", article("Beta", "Second, edited."))
	edited := startCached(t, dir, root, noon.Add(2*time.Hour), func(s started) {
		_, body := fetch(t, s.base+"/articles/b")
		if !strings.Contains(body, "Second, edited.") || !strings.Contains(body, "2026-11-27 12:00:00 UTC") {
			t.Errorf("the edited article is not served as rendered at the folder's time (12:00):\n%s", body)
		}
	})
	if edited.renders["ssg"] != 1 || total(edited.renders) != 2 { // the article and the feed
		t.Errorf("a start after one edit rendered %v, want the article (ssg) and the feed (isr)", edited.renders)
	}
	again := startCached(t, dir, root, noon.Add(3*time.Hour), nil)
	if total(again.renders) != 0 {
		t.Errorf("the start after the edit was written back rendered %v, want nothing\n%s", again.renders, again.logs)
	}
}

// TestDamagedCacheFolder: a cache folder whose export cannot be read is
// done without — every page rendered, with a warning — and written anew.
func TestDamagedCacheFolder(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		damage func(export string) error
	}{
		{"a manifest that is not one", func(e string) error {
			return os.WriteFile(filepath.Join(e, export.ManifestName), []byte("not gob"), 0o644)
		}},
		{"a page cut short", func(e string) error { return os.Truncate(filepath.Join(e, "articles", "a", "index.html"), 20) }},
		{"a page missing", func(e string) error { return os.Remove(filepath.Join(e, "articles", "a", "index.html.br")) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, root := t.TempDir(), t.TempDir()
			write(t, dir, "a.md", article("Alpha", "First."))
			write(t, dir, "b.md", article("Beta", "Second."))
			at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
			cold := startCached(t, dir, root, at, nil)
			if err := tt.damage(filepath.Join(siteFolder(t, root, dir, "http://127.0.0.1"), "export")); err != nil {
				t.Fatal(err)
			}
			damaged := startCached(t, dir, root, at, func(s started) {
				if code, body := fetch(t, s.base+"/articles/a"); code != 200 || !strings.Contains(body, "First.") {
					t.Errorf("GET /articles/a: %d", code)
				}
			})
			if total(damaged.renders) != total(cold.renders) {
				t.Errorf("a start over %s rendered %v, want every page, as cold: %v", tt.name, damaged.renders, cold.renders)
			}
			if !strings.Contains(damaged.logs.String(), `"level":"WARN","msg":"the cache folder's export cannot be`) {
				t.Errorf("a start over %s logged no warning:\n%s", tt.name, damaged.logs)
			}
			if healed := startCached(t, dir, root, at, nil); total(healed.renders) != 0 {
				t.Errorf("the start after the damaged one rendered %v, want nothing: the folder was not written anew\n%s", healed.renders, healed.logs)
			}
		})
	}
}

// TestCacheFolderSettings: when serve and build use a cache folder, and
// where.
func TestCacheFolderSettings(t *testing.T) {
	user := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", user)
	t.Setenv("RENDERWISE_CACHE_DIR", "")
	os.Unsetenv("RENDERWISE_CACHE_DIR")
	dir := t.TempDir()
	def := filepath.Join(user, "renderwise")
	for _, tt := range []struct {
		name string
		args []string
		env  string // RENDERWISE_CACHE_DIR, if not empty
		want string
		note string
	}{
		{"a content folder has one in the user cache folder", []string{"--content", dir}, "", def, ""},
		{"the embedded articles have none", nil, "", "", ""},
		{"the embedded articles have one when it is given", []string{"--cache-dir", "/srv/cache"}, "", "/srv/cache", ""},
		{"none turns it off", []string{"--content", dir, "--cache-dir", "none"}, "", "", ""},
		{"the empty string turns it off", []string{"--content", dir, "--cache-dir="}, "", "", ""},
		{"the environment gives it", []string{"--content", dir}, "/var/cache/rw", "/var/cache/rw", ""},
		{"the environment turns it off", []string{"--content", dir}, "none", "", ""},
		{"--dev has none", []string{"--content", dir, "--dev"}, "", "", ""},
		{"--dev says it does not use one given", []string{"--content", dir, "--dev", "--cache-dir", "/c"}, "", "", "not with --dev"},
		{"--prebuilt takes precedence", []string{"--content", dir, "--prebuilt", "dist", "--cache-dir", "/c"}, "", "", "--prebuilt takes precedence"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("RENDERWISE_CACHE_DIR", tt.env)
			}
			cfg, err := parseServe(tt.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.CacheDir != tt.want || cfg.cacheNote != tt.note {
				t.Errorf("serve %q: cache folder %q (%q), want %q (%q)", tt.args, cfg.CacheDir, cfg.cacheNote, tt.want, tt.note)
			}
			if tt.note != "" || tt.args == nil || slices.Contains(tt.args, "--dev") {
				return
			}
			bargs := append([]string{"--out", "dist"}, tt.args...)
			bcfg, err := parseBuild(bargs, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if bcfg.CacheDir != tt.want {
				t.Errorf("build %q: cache folder %q, want %q", bargs, bcfg.CacheDir, tt.want)
			}
		})
	}
}

// TestNoCacheFolderWritesNothing: serve and build of a content folder with
// --cache-dir none leave the user cache folder empty.
func TestNoCacheFolderWritesNothing(t *testing.T) {
	user := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", user)
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir := t.TempDir()
	write(t, dir, "a.md", article("Alpha", "First."))
	cfg, err := parseServe([]string{"--content", dir, "--cache-dir", "none", "--log-format", "json"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	a, err := newApp(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	running(t, a)
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--cache-dir", "none"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(user); len(entries) != 0 {
		t.Errorf("with --cache-dir none the user cache folder holds %d entries", len(entries))
	}
}

// TestCacheFolderInUse: a folder another renderwise is writing is done
// without, by serve and by build, and left alone.
func TestCacheFolderInUse(t *testing.T) {
	t.Parallel()
	dir, root := t.TempDir(), t.TempDir()
	write(t, dir, "a.md", article("Alpha", "First."))
	other, err := cachedir.Open(siteFolder(t, root, dir, "http://127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if !other.TryWrite() {
		t.Fatal("no lock")
	}
	var logs syncBuffer
	a, err := newApp(ServeConfig{Content: dir, CacheDir: root, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	running(t, a)
	if !strings.Contains(logs.String(), "another renderwise is writing the cache folder; starting without it") {
		t.Errorf("serve beside a writer logged:\n%s", logs.String())
	}
	var stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--cache-dir", root, "--base-url", "http://127.0.0.1"}, io.Discard, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "building without it") {
		t.Errorf("build beside a writer said:\n%s", stderr.String())
	}
	if _, err := os.Stat(other.Export()); err == nil {
		t.Error("the folder in use was written")
	}
}

// TestStoppedWriteLeavesTheFolder: a server stopped before its write is
// over leaves the cache folder as it was: no export, no temporary folder.
func TestStoppedWriteLeavesTheFolder(t *testing.T) {
	t.Parallel()
	dir, root := t.TempDir(), t.TempDir()
	write(t, dir, "a.md", article("Alpha", "First."))
	var logs syncBuffer
	a, err := newApp(ServeConfig{Content: dir, CacheDir: root, BaseURL: "http://127.0.0.1"}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer a.srv.Close()
	defer a.folder.close()
	if err := a.seedFromCache(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a.writeCache(ctx)
	if !strings.Contains(logs.String(), "the server stopped before the cache folder was written") {
		t.Errorf("a stopped write logged:\n%s", logs.String())
	}
	folder := siteFolder(t, root, dir, "http://127.0.0.1")
	entries, _ := os.ReadDir(folder)
	if len(entries) != 1 || entries[0].Name() != "lock" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after a stopped write the folder holds %q, want only the lock", names)
	}
}

// TestBuildKeepsImagesInTheCacheFolder: a clean build leaves its export in
// the cache folder too; after rm -rf of the export, the next clean
// build takes every preview image and parsed article from it — the same
// files, not drawn again — even at another build time.
func TestBuildKeepsImagesInTheCacheFolder(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir, root := t.TempDir(), t.TempDir()
	write(t, dir, "a.md", article("Alpha", "First."))
	write(t, dir, "b.md", article("Beta", "Second."))
	write(t, dir, "c.md", article("Gamma", "Third.", "render: isr\n", "revalidate: 30s\n"))
	out := filepath.Join(t.TempDir(), "dist")
	build := func() string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--cache-dir", root}, &stdout, &stderr); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr.String())
		}
		if stderr.Len() > 0 {
			t.Errorf("build wrote to stderr: %s", stderr.String())
		}
		return stdout.String()
	}
	folder := siteFolder(t, root, dir, "")
	if got := build(); !strings.Contains(got, "the cache folder "+folder+" now holds this export too") {
		t.Fatalf("a clean build:\n%s\nwant it to keep a copy in %s", got, folder)
	}
	if got := build(); strings.Contains(got, "cache folder") {
		t.Errorf("an incremental build used the cache folder:\n%s", got)
	}
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1795784400") // an hour later: every HTML page is rendered again
	got := build()
	images := regexp.MustCompile(`(\d+) preview images`).FindStringSubmatch(got)
	taken := regexp.MustCompile(`(\d+) outputs taken from the cache folder`).FindStringSubmatch(got)
	if images == nil || taken == nil || !strings.Contains(got, "0 articles parsed, 3 unchanged taken from the parse cache") {
		t.Fatalf("a clean build after rm -rf:\n%s\nwant images and parsed articles taken from the cache folder", got)
	}
	if n, _ := strconv.Atoi(images[1]); n == 0 {
		t.Fatalf("no preview images in\n%s", got)
	} else if m, _ := strconv.Atoi(taken[1]); m < n {
		t.Errorf("%d outputs taken from the cache folder, fewer than the %d preview images", m, n)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "og", "articles", "*.png"))
	if len(pngs) == 0 {
		t.Fatal("no preview images exported")
	}
	for _, png := range pngs {
		rel, _ := filepath.Rel(out, png)
		a, _ := os.Stat(png)
		b, _ := os.Stat(filepath.Join(folder, "export", rel))
		if a == nil || b == nil || !os.SameFile(a, b) {
			t.Errorf("%s was drawn again, not taken from the cache folder", rel)
		}
	}
}
