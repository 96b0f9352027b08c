package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// article returns a valid article source.
func article(title, body string, front ...string) string {
	return "---\ntitle: " + title + "\ndescription: About " + title + ".\ndate: 2026-11-01\n" + strings.Join(front, "") + "---\n" + body + "\n"
}

// tree returns every file under dir with its bytes and modification time.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		info, _ := d.Info()
		out[p] = fmt.Sprintf("%x %v", b, info.ModTime().UnixNano())
		return nil
	})
	return out
}

func TestBuildCommand(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800") // 2026-11-27 12:00:00 UTC
	dir := t.TempDir()
	write(t, dir, "a.md", article("Alpha", "Static."))
	write(t, dir, "b.md", article("Beta", "Regenerated.", "render: isr\n", "revalidate: 30s\n"))
	write(t, dir, "c.md", article("Gamma", "Per request.", "render: ssr\n"))
	out := filepath.Join(t.TempDir(), "dist")
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--base-url", "https://example.org"}, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"built " + out, "1 ssg, 8 isr", "preview images", "SOURCE_DATE_EPOCH=1795780800",
		"2 pages need a server (SSR), not exported: /articles/c /search"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("build summary:\n%s\nwant it to mention %q", stdout.String(), want)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("build wrote to stderr, which is not a terminal: %q", stderr.String())
	}
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !bytes.Contains(home, []byte("2026-11-27 12:00:00 UTC")) || !bytes.Contains(home, []byte("https://example.org/")) {
		t.Errorf("index.html does not show the SOURCE_DATE_EPOCH time and base URL (%v)", err)
	}

	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	err = Run(context.Background(), []string{"build", "--content", dir, "--out", out}, io.Discard, &stderr)
	if ExitCode(err) != 2 || !strings.Contains(stderr.String(), "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: exit %d, stderr %q; want 2 and a message", ExitCode(err), stderr.String())
	}
}

// TestBuildFailsOnBadContent: one broken article among many fails the
// build with every problem, as check prints them, and changes nothing.
func TestBuildFailsOnBadContent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 30 {
		write(t, dir, fmt.Sprintf("good-%d.md", i), article(fmt.Sprintf("Good %d", i), "Fine."))
	}
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	before := tree(t, filepath.Dir(out))

	write(t, dir, "good-7.md", "---\ntitle: Broken\ndate: 2026-11-01\nflavour: mint\n---\nBroken.\n")
	write(t, dir, "good-3.md", article("Good 3", "See [gone](/articles/gone)."))
	write(t, dir, "sub/bad.md", article("Bad", "x", "render: isr\n"))
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"build", "--content", dir, "--out", out}, &stdout, &stderr)
	if ExitCode(err) != 1 {
		t.Fatalf("build of broken content: exit %d (%v), want 1", ExitCode(err), err)
	}
	for _, want := range []string{
		dir + "/good-7.md:4: warning: unknown key \"flavour\"",
		dir + "/good-7.md:5: missing required key \"description\"",
		dir + "/good-3.md:6: links to /articles/gone, which is not an article",
		dir + "/sub/bad.md:5: render: isr needs a revalidate interval",
		"4 problems",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("build output:\n%s\nwant a line with %q", stderr.String(), want)
		}
	}
	var checkOut bytes.Buffer
	Run(context.Background(), []string{"check", "--content", dir}, io.Discard, &checkOut)
	if checkOut.String() != stderr.String() {
		t.Errorf("build and check report differently:\nbuild:\n%s\ncheck:\n%s", stderr.String(), checkOut.String())
	}
	if after := tree(t, filepath.Dir(out)); len(after) != len(before) {
		t.Errorf("a failed build changed the output folder: %d files before, %d after", len(before), len(after))
	} else {
		for name, v := range before {
			if after[name] != v {
				t.Errorf("a failed build changed %s", name)
			}
		}
	}
}

// TestServePrebuilt starts serve from an export: ready at once, no page
// rendered, the exported bytes served, ISR regenerating after its interval.
func TestServePrebuilt(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800") // 2026-11-27 12:00:00 UTC
	dir := t.TempDir()
	write(t, dir, "ssg.md", article("Static", "Static one."))
	write(t, dir, "isr.md", article("Regenerated", "ISR one.", "render: isr\n", "revalidate: 10s\n"))
	write(t, dir, "ssr.md", article("Per request", "SSR one.", "render: ssr\n"))
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--base-url", "http://127.0.0.1"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}

	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 27, 12, 0, 5, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	cfg := ServeConfig{Content: dir, Prebuilt: out, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second, now: now}
	a, err := newApp(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.prebuilt.Missing) != 0 {
		t.Fatalf("the fresh export lacks %v", a.prebuilt.Missing)
	}
	base := running(t, a)
	get := func(path string) (int, http.Header, []byte) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}
	if code, _, _ := get("/readyz"); code != 200 {
		t.Fatalf("/readyz = %d once seeded", code)
	}
	if _, _, metrics := get("/metrics"); bytes.Contains(metrics, []byte(`renderwise_renders_total{mode="ssg"}`)) ||
		bytes.Contains(metrics, []byte(`renderwise_renders_total{mode="isr"}`)) {
		t.Errorf("serve --prebuilt rendered pages at start:\n%s", grepLines(metrics, "renderwise_renders_total"))
	}
	for path, file := range map[string]string{
		"/": "index.html", "/articles/ssg": "articles/ssg/index.html", "/articles/isr": "articles/isr/index.html",
		"/feed.xml": "feed.xml", "/sitemap.xml": "sitemap.xml", "/tags": "tags/index.html",
	} {
		code, h, body := get(path)
		want, _ := os.ReadFile(filepath.Join(out, file))
		if code != 200 || h.Get("X-Cache") != "HIT" || !bytes.Equal(body, want) {
			t.Errorf("GET %s: %d X-Cache=%q, same bytes as %s: %v", path, code, h.Get("X-Cache"), file, bytes.Equal(body, want))
		}
	}
	if code, _, body := get("/articles/ssr"); code != 200 || !bytes.Contains(body, []byte("SSR one.")) {
		t.Errorf("GET /articles/ssr: %d, want the SSR page", code)
	}
	if code, _, body := get("/no/such/page"); code != 404 || !bytes.Contains(body, []byte("Page not found")) {
		t.Errorf("GET /no/such/page: %d, want the 404 page", code)
	}

	// The ISR page was generated at the export's time: after its interval
	// it is stale and regenerated in the background, as usual.
	write(t, dir, "isr.md", article("Regenerated", "ISR two.", "render: isr\n", "revalidate: 10s\n"))
	later := now().Add(10 * time.Second)
	os.Chtimes(filepath.Join(dir, "isr.md"), later, later)
	clock.Add(int64(10 * time.Second))
	if _, h, body := get("/articles/isr"); h.Get("X-Cache") != "STALE" || !bytes.Contains(body, []byte("ISR one.")) {
		t.Errorf("GET /articles/isr after 10s: X-Cache=%q, want STALE and the exported page", h.Get("X-Cache"))
	}
	a.cache.Wait()
	if _, h, body := get("/articles/isr"); h.Get("X-Cache") != "HIT" || !bytes.Contains(body, []byte("ISR two.")) {
		t.Errorf("GET /articles/isr after regeneration: X-Cache=%q, has the edit: %v", h.Get("X-Cache"), bytes.Contains(body, []byte("ISR two.")))
	}
}

// TestServePrebuiltRendersWhatChanged: an export older than the content is
// used for what still matches; the rest is rendered before ready.
func TestServePrebuiltRendersWhatChanged(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir := t.TempDir()
	write(t, dir, "one.md", article("One", "First."))
	write(t, dir, "two.md", article("Two", "Second."))
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "two.md", article("Two", "Second, edited."))
	a, err := newApp(ServeConfig{Content: dir, Prebuilt: out, BaseURL: "http://localhost:8080"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.srv.Close()
	var missing []string
	for _, rt := range a.prebuilt.Missing {
		missing = append(missing, rt.Path)
	}
	if want := []string{"/articles/two", "/feed.xml"}; strings.Join(missing, " ") != strings.Join(want, " ") {
		t.Errorf("missing from the export: %q, want %q", missing, want)
	}
	if err := a.seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	p, ok := a.cache.Peek("/articles/two")
	body, _ := p.Plain()
	if !ok || !bytes.Contains(body, []byte("Second, edited.")) {
		t.Error("a page changed since the export was not rendered at start")
	}
}

func TestServePrebuiltErrors(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	err := Run(context.Background(), []string{"serve", "--prebuilt", t.TempDir(), "--addr", "127.0.0.1:0"}, io.Discard, &stderr)
	if ExitCode(err) != 1 || !strings.Contains(stderr.String(), "--prebuilt") {
		t.Errorf("serve --prebuilt of an empty folder: exit %d, stderr %q", ExitCode(err), stderr.String())
	}
	stderr.Reset()
	err = Run(context.Background(), []string{"serve", "--prebuilt", "dist", "--dev", "--content", "."}, io.Discard, &stderr)
	if ExitCode(err) != 2 {
		t.Errorf("serve --prebuilt --dev: exit %d, stderr %q; want 2", ExitCode(err), stderr.String())
	}
}

func grepLines(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
