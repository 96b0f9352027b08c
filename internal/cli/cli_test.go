package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckListsEveryProblem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "ok.md", "---\ntitle: Fine\ndescription: A good file.\ndate: 2026-11-01\ntags: [go]\n---\nSee [gone](/articles/gone).\n\n"+
		"[a tag](/tags/go), [the archive](/archive/2026), [the API](/api/articles/ok), [no tag](/tags/rust), [no page](/about/), [tags](/tags/go/).\n")
	write(t, dir, "sub/bad.md", "---\ntitle: Bad\ndate: 2026-11-01\nrender: isr\nflavour: mint\n---\n")
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"check", "--content", dir}, &stdout, &stderr)
	if ExitCode(err) != 1 {
		t.Fatalf("check on a broken folder: exit %d (err %v), want 1", ExitCode(err), err)
	}
	for _, want := range []string{
		dir + "/ok.md:7: links to /articles/gone, which is not an article",
		dir + "/ok.md:9: links to /tags/rust, which is not a page of the site",
		dir + "/ok.md:9: links to /about, which is not a page of the site",
		dir + "/sub/bad.md:4: render: isr needs a revalidate interval",
		dir + "/sub/bad.md:5: warning: unknown key \"flavour\"",
		dir + "/sub/bad.md:6: missing required key \"description\"",
		"6 problems",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("check output:\n%s\nwant a line with %q", stderr.String(), want)
		}
	}
	if strings.Contains(stderr.String(), "renderwise:") {
		t.Errorf("problems were printed twice:\n%s", stderr.String())
	}
}

// TestCheckStrict: unknown keys, in front matter and in site.yaml, are
// warnings that check passes with, and errors with --strict (or
// RENDERWISE_STRICT) that make it exit 1.
func TestCheckStrict(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go1.21.md", "---\ntitle: Fine\nsummary: Written for Hugo.\ndate: 2026-11-01T10:00:00Z\ntags: [Go 1.21]\nweight: 3\n---\nBody.\n")
	write(t, dir, "site.yaml", "title: Elsewhere\ntheme: ananke\n")
	tests := []struct {
		name   string
		args   []string
		env    string
		exit   int
		stdout string
		stderr []string
	}{
		{"without --strict unknown keys are warnings", []string{"check", "--content", dir}, "", 0, "1 articles, no problems, 2 warnings", []string{
			dir + "/go1.21.md:6: warning: unknown key \"weight\"",
			dir + "/site.yaml:2: warning: unknown key \"theme\"",
		}},
		{"with --strict unknown keys are errors", []string{"check", "--strict", "--content", dir}, "", 1, "", []string{
			dir + "/go1.21.md:6: unknown key \"weight\"",
			dir + "/site.yaml:2: unknown key \"theme\"",
			"2 problems",
		}},
		{"RENDERWISE_STRICT is --strict", []string{"check", "--content", dir}, "true", 1, "", []string{"2 problems"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("RENDERWISE_STRICT", tt.env)
			}
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tt.args, &stdout, &stderr)
			if got := ExitCode(err); got != tt.exit {
				t.Fatalf("%v: exit %d, want %d\nstderr:\n%s", tt.args, got, tt.exit, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("%v: stdout %q, want %q", tt.args, stdout.String(), tt.stdout)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("%v: stderr:\n%s\nwant a line with %q", tt.args, stderr.String(), want)
				}
			}
		})
	}
}

func TestCommandLineErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		exit int
		msg  string
	}{
		{"an unknown command", []string{"publish"}, nil, 2, `unknown command "publish"`},
		{"an unknown flag", []string{"serve", "--port", "1"}, nil, 2, "flag provided but not defined: -port"},
		{"a bad base URL", []string{"serve", "--base-url", "ftp://x"}, nil, 2, "--base-url"},
		{"a bad base URL from the environment", []string{"serve"}, map[string]string{"RENDERWISE_BASE_URL": "not a url"}, 2, "--base-url"},
		{"a bad duration from the environment", []string{"serve"}, map[string]string{"RENDERWISE_DRAIN": "soon"}, 2, `RENDERWISE_DRAIN="soon"`},
		{"a missing content folder", []string{"check", "--content", "/nonexistent/renderwise"}, nil, 2, "--content /nonexistent/renderwise"},
		{"dev without a folder", []string{"serve", "--dev"}, nil, 2, "--dev watches a folder"},
		{"a bad log format", []string{"serve", "--log-format", "xml"}, nil, 2, "--log-format"},
		{"help", []string{"check", "--help"}, nil, 0, "Usage: renderwise check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tt.args, &stdout, &stderr)
			if got := ExitCode(err); got != tt.exit {
				t.Errorf("renderwise %v: exit %d, want %d (err %v)", tt.args, got, tt.exit, err)
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("renderwise %v: stderr %q, want it to mention %q", tt.args, stderr.String(), tt.msg)
			}
		})
	}
}

func TestServeListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stderr bytes.Buffer
	err = Run(context.Background(), []string{"serve", "--addr", ln.Addr().String()}, io.Discard, &stderr)
	if ExitCode(err) != 1 || !strings.Contains(stderr.String(), "listen on "+ln.Addr().String()) {
		t.Errorf("serve on a port in use: exit %d, stderr %q", ExitCode(err), stderr.String())
	}
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeEndToEnd runs the code serve runs, in-process, over a folder on
// disk, and walks DESIGN.md §4 by editing files and moving a fake clock.
func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	isr := func(body string) string {
		return "---\ntitle: ISR page\ndescription: Regenerated.\ndate: 2026-11-02\nrender: isr\nrevalidate: 10s\n---\n" + body + "\n"
	}
	write(t, dir, "ssg.md", "---\ntitle: SSG page\ndescription: Static.\ndate: 2026-11-01\n---\nStatic one.\n")
	write(t, dir, "isr.md", isr("ISR one."))
	write(t, dir, "ssr.md", "---\ntitle: SSR page\ndescription: Per request.\ndate: 2026-11-03\nrender: ssr\n---\nSSR one.\n")

	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	edit := func(name, data string) {
		write(t, dir, name, data)
		mt := now().Add(time.Duration(len(data)) * time.Millisecond)
		os.Chtimes(filepath.Join(dir, name), mt, mt)
	}

	cfg := ServeConfig{Content: dir, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second, RevalidateToken: "tok", now: now}
	a, err := newApp(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := running(t, a)
	get := func(path string) (int, http.Header, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	expect := func(path string, status int, cache, body string) {
		t.Helper()
		code, h, b := get(path)
		if code != status || h.Get("X-Cache") != cache || !strings.Contains(b, body) {
			t.Fatalf("GET %s: %d X-Cache=%q body has %q=%v; want %d %q", path, code, h.Get("X-Cache"), body, strings.Contains(b, body), status, cache)
		}
	}

	if code, _, _ := get("/readyz"); code != 200 {
		t.Fatalf("/readyz = %d after the pages were rendered", code)
	}
	expect("/articles/ssg", 200, "HIT", "Static one.")
	expect("/articles/isr", 200, "HIT", "ISR one.")
	expect("/articles/ssr", 200, "", "SSR one.")

	// Edits: SSR shows them at once, ISR after its interval, SSG never.
	edit("ssr.md", strings.Replace("---\ntitle: SSR page\ndescription: Per request.\ndate: 2026-11-03\nrender: ssr\n---\nSSR one.\n", "one", "two", 1))
	edit("isr.md", isr("ISR two."))
	edit("ssg.md", "---\ntitle: SSG page\ndescription: Static.\ndate: 2026-11-01\n---\nStatic two.\n")
	expect("/articles/ssr", 200, "", "SSR two.")
	expect("/articles/isr", 200, "HIT", "ISR one.")
	clock.Add(int64(10 * time.Second))
	expect("/articles/isr", 200, "STALE", "ISR one.")
	a.cache.Wait()
	expect("/articles/isr", 200, "HIT", "ISR two.")
	expect("/articles/ssg", 200, "HIT", "Static one.")

	// A broken edit keeps the last good page.
	edit("isr.md", "---\ntitle: [broken\n---\n")
	clock.Add(int64(10 * time.Second))
	expect("/articles/isr", 200, "STALE", "ISR two.")
	a.cache.Wait()
	expect("/articles/isr", 200, "HIT", "ISR two.")

	// On-demand revalidation after a fix.
	edit("isr.md", isr("ISR three."))
	req, _ := http.NewRequest(http.MethodPost, base+"/api/revalidate", strings.NewReader(`{"path":"/articles/isr"}`))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /api/revalidate: %v %v", resp, err)
	}
	resp.Body.Close()
	expect("/articles/isr", 200, "HIT", "ISR three.")

	// New and deleted files.
	edit("new.md", isr("Brand new."))
	expect("/articles/new", 200, "MISS", "Brand new.")
	expect("/articles/new", 200, "HIT", "Brand new.")
	os.Remove(filepath.Join(dir, "ssr.md"))
	expect("/articles/ssr", 404, "", "Page not found")
	os.Remove(filepath.Join(dir, "new.md"))
	clock.Add(int64(10 * time.Second))
	expect("/articles/new", 200, "STALE", "Brand new.")
	a.cache.Wait()
	if code, _, _ := get("/articles/new"); code != 404 {
		t.Errorf("a deleted ISR file after its regeneration: %d, want 404", code)
	}
	// The home page picks up the new state after its own interval.
	clock.Add(int64(time.Minute))
	get("/")
	a.cache.Wait()
	if _, _, home := get("/"); strings.Contains(home, "SSR page") {
		t.Error("the home page still lists a deleted article after regenerating")
	}
}

// TestContentFolderDisappearing removes the whole content folder while the
// server runs: ISR pages keep their last good version instead of turning
// into 404s, and the server keeps answering.
func TestContentFolderDisappearing(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "content")
	write(t, dir, "isr.md", "---\ntitle: ISR page\ndescription: Regenerated.\ndate: 2026-11-02\nrender: isr\nrevalidate: 10s\n---\nStill here.\n")
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixNano())
	a, err := newApp(ServeConfig{Content: dir, BaseURL: "http://127.0.0.1", now: func() time.Time { return time.Unix(0, clock.Load()) }}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.srv.Close()
	if err := a.srv.Prerender(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := a.srv.Handler()
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code, rec.Body.String()
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(time.Hour))
	for _, path := range []string{"/articles/isr", "/"} {
		get(path) // stale: starts a regeneration that cannot read the folder
	}
	a.cache.Wait()
	for _, path := range []string{"/articles/isr", "/"} {
		if code, body := get(path); code != 200 || !strings.Contains(body, "ISR page") {
			t.Errorf("GET %s after the folder vanished: %d, want the last good page", path, code)
		}
	}
}

// TestDevListensOnLoopback: serve --dev listens on this machine only
// unless --addr (or RENDERWISE_ADDR) says otherwise; serve without --dev
// listens on every interface.
func TestDevListensOnLoopback(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--dev", "--content", dir}, "", "127.0.0.1:8080"},
		{[]string{}, "", ":8080"},
		{[]string{"--dev", "--content", dir, "--addr", ":9000"}, "", ":9000"},
		{[]string{"--dev", "--content", dir}, "0.0.0.0:7000", "0.0.0.0:7000"},
	} {
		t.Setenv("RENDERWISE_ADDR", tt.env)
		if tt.env == "" {
			os.Unsetenv("RENDERWISE_ADDR")
		}
		c, err := parseServe(tt.args, io.Discard)
		if err != nil || c.Addr != tt.want {
			t.Errorf("serve %v with RENDERWISE_ADDR=%q: addr %q (%v), want %q", tt.args, tt.env, c.Addr, err, tt.want)
		}
	}
}
