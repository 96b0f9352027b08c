package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFilesBesideTheArticles: serve, build and check apply one rule to the
// files in the content folder (DESIGN.md §8): regular files of a published
// type, inside the folder, not hidden. Symbolic links (in or out), dotfiles,
// dot-folders, editor backups and HTML or script files are not published:
// check warns about each, build leaves them out, serve answers 404.
func TestFilesBesideTheArticles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, outside, "secret.txt", "a system file")
	write(t, dir, "post.md", article("Post", "A diagram: ![Flow](/articles/flow.png)"))
	write(t, dir, "flow.png", "\x89PNG\r\n\x1a\nnot really")
	write(t, dir, "notes.txt", "published")
	for name, data := range map[string]string{
		".env":              "TOKEN=s3cret",
		".git/config":       "[core]",
		".private/plan.txt": "hidden folder",
		"post.md~":          "draft source",
		"post.md.bak":       "draft source",
		".post.md.swp":      "draft source",
		"page.html":         "<script>alert(1)</script>",
		"app.js":            "alert(1)",
	} {
		write(t, dir, name, data)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("notes.txt", filepath.Join(dir, "inside.txt")); err != nil {
		t.Fatal(err)
	}
	unpublished := []string{".env", ".private/plan.txt", "post.md~", "post.md.bak", ".post.md.swp", "page.html", "app.js", "link.txt", "out/secret.txt", "inside.txt"}

	var stdout bytes.Buffer // check's summary and warnings, as a terminal shows them
	if err := Run(context.Background(), []string{"check", "--content", dir}, &stdout, &stdout); err != nil {
		t.Fatalf("check: %v\n%s", err, stdout.String())
	}
	for _, want := range []string{".env:1: warning: not published: hidden", ".private/:1: warning: not published: hidden folder",
		"post.md~:1: warning: not published", "post.md.bak:1: warning: not published", ".post.md.swp:1: warning: not published",
		"page.html:1: warning: not published", "app.js:1: warning: not published",
		"link.txt:1: warning: not published: a symbolic link", "out:1: warning: not published: a symbolic link", "inside.txt:1: warning: not published: a symbolic link"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("check output:\n%s\nwant a line with %q", stdout.String(), want)
		}
	}
	if strings.Contains(stdout.String(), ".git") {
		t.Errorf("check warns about .git, which every repository has:\n%s", stdout.String())
	}

	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"flow.png", "notes.txt"} {
		if _, err := os.Stat(filepath.Join(out, "articles", name)); err != nil {
			t.Errorf("build did not export %s: %v", name, err)
		}
	}
	for _, name := range append(unpublished, ".git/config") {
		if _, err := os.Lstat(filepath.Join(out, "articles", name)); err == nil {
			t.Errorf("build exported %s", name)
		}
	}

	a, err := newApp(ServeConfig{Content: dir, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := running(t, a)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status := func(p string) int {
		t.Helper()
		resp, err := client.Get(base + "/articles/" + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, name := range []string{"flow.png", "notes.txt"} {
		if got := status(name); got != 200 {
			t.Errorf("serve /articles/%s: %d, want 200", name, got)
		}
	}
	for _, name := range append(unpublished, ".git/config") {
		if got := status(name); got != 404 {
			t.Errorf("serve /articles/%s: %d, want 404", name, got)
		}
	}
	// Non-canonical forms redirect to the canonical path, which the rule
	// above then decides on.
	for name, want := range map[string]int{"post.md": 301, "out/../notes.txt": 301} {
		if got := status(name); got != want {
			t.Errorf("serve /articles/%s: %d, want %d", name, got, want)
		}
	}
}

// TestContentThroughLinksOutside: an article that is a symbolic link to a
// file outside the folder is never read: the folder is opened as an
// os.Root, and links are not followed.
func TestContentThroughLinksOutside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, outside, "leak.md", article("Leak", "Outside the folder."))
	write(t, dir, "post.md", article("Post", "Inside."))
	if err := os.Symlink(filepath.Join(outside, "leak.md"), filepath.Join(dir, "leak.md")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "real/inner.md", article("Inner", "Reached only through a link."))
	if err := os.Symlink("real", filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("post.md", filepath.Join(dir, "twin.md")); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := Run(context.Background(), []string{"check", "--content", dir}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	// Asked for by URL, an article behind a link is not found either, so
	// what serve shows matches what check and build saw.
	a, err := newApp(ServeConfig{Content: dir, BaseURL: "http://127.0.0.1", Drain: 5 * time.Second}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := running(t, a)
	for _, p := range []string{"/articles/leak", "/articles/twin", "/articles/alias/inner"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("GET %s, an article behind a symbolic link: %d, want 404", p, resp.StatusCode)
		}
	}
	if !strings.Contains(stdout.String(), "2 articles") || !strings.Contains(stdout.String(), "leak.md:1: warning: not published: a symbolic link") {
		t.Errorf("check over a folder with a linked article:\n%s\nwant 2 articles and a warning for leak.md", stdout.String())
	}
}
