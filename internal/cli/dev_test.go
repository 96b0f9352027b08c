package cli

import (
	"bufio"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/renderwise/renderwise/static"
)

// TestDevMode runs serve --dev over temporary content and static folders
// and checks each kind of change: an article edit, a new file, a broken
// file, a deleted file, a stylesheet and an image. After every change the
// open tab (a Server-Sent Events stream) is told to reload.
func TestDevMode(t *testing.T) {
	t.Parallel()
	contentDir, staticDir := t.TempDir(), t.TempDir()
	article := func(body string) string {
		return "---\ntitle: Dev page\ndescription: Edited live.\ndate: 2026-11-01\n---\n" + body + "\n\n![A square](square.svg)\n"
	}
	write(t, contentDir, "dev.md", article("First version."))
	write(t, contentDir, "square.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>one</title></svg>`)
	fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(static.FS, p)
			write(t, staticDir, p, string(b))
		}
		return err
	})

	cfg := ServeConfig{Content: contentDir, Static: staticDir, Dev: true, BaseURL: "http://127.0.0.1", Drain: time.Second}
	a, err := newApp(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := make(chan struct{}, 16)
	a.onRebuild = func() { rebuilt <- struct{}{} }
	base := running(t, a)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	// An open tab listening for reloads.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/_dev/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	reloads := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data: ") {
				reloads <- strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	if _, page := get("/articles/dev"); !strings.Contains(page, `src="/_dev/reload.js"`) {
		t.Fatal("a dev page does not load the reload script")
	}

	// until waits for rebuilds until the page at path satisfies ok.
	until := func(what, path string, ok func(status int, body string) bool) {
		t.Helper()
		timeout := time.After(15 * time.Second)
		for {
			if status, body := get(path); ok(status, body) {
				select {
				case ev := <-reloads:
					if ev != "reload" {
						t.Errorf("%s: the tab got %q, want reload", what, ev)
					}
				case <-timeout:
					t.Fatalf("%s: the open tab was not told to reload", what)
				}
				return
			}
			select {
			case <-rebuilt:
			case <-timeout:
				status, body := get(path)
				t.Fatalf("%s: GET %s never changed as expected; last %d:\n%.600s", what, path, status, body)
			}
		}
	}
	has := func(s string) func(int, string) bool {
		return func(status int, body string) bool { return status == 200 && strings.Contains(body, s) }
	}

	write(t, contentDir, "dev.md", article("Second version."))
	until("an article edit", "/articles/dev", has("Second version."))

	write(t, contentDir, "new.md", "---\ntitle: New page\ndescription: Appeared.\ndate: 2026-11-02\n---\nNew body.\n")
	until("a new file", "/articles/new", has("New body."))

	write(t, contentDir, "dev.md", "---\ntitle: [broken\n---\n")
	until("a broken file", "/articles/dev", func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Second version.") && strings.Contains(body, `class="dev-error"`) && strings.Contains(body, "dev.md:2: front matter")
	})
	write(t, contentDir, "dev.md", article("Third version."))
	until("a fixed file", "/articles/dev", func(status int, body string) bool {
		return strings.Contains(body, "Third version.") && !strings.Contains(body, `class="dev-error"`)
	})

	os.Remove(filepath.Join(contentDir, "new.md"))
	until("a deleted file", "/articles/new", func(status int, _ string) bool { return status == 404 })

	_, before := get("/articles/dev")
	css, _ := os.ReadFile(filepath.Join(staticDir, "site.css"))
	write(t, staticDir, "site.css", string(css)+"\n.dev-test { color: red; }\n")
	until("a stylesheet edit", "/articles/dev", func(status int, body string) bool {
		return strings.Contains(body, ".dev-test") && body != before
	})

	write(t, contentDir, "square.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>two</title></svg>`)
	until("an image edit", "/articles/square.svg", has("<title>two</title>"))
}
