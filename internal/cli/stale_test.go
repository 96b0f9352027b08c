package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuildSaysWhatChanged: a build over an export it cannot reuse says why.
func TestBuildSaysWhatChanged(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir := t.TempDir()
	write(t, dir, "one.md", article("One", "First."))
	out := filepath.Join(t.TempDir(), "dist")
	build := func(base string) string {
		t.Helper()
		var stdout bytes.Buffer
		if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--base-url", base}, &stdout, io.Discard); err != nil {
			t.Fatal(err)
		}
		return stdout.String()
	}
	if got := build("https://example.org"); strings.Contains(got, "nothing of the last export") {
		t.Errorf("a first build says it reused nothing:\n%s", got)
	}
	if got := build("https://example.org"); strings.Contains(got, "nothing of the last export") || !strings.Contains(got, " 0 rendered") {
		t.Errorf("the same build again:\n%s\nwant 0 rendered and no word of what changed", got)
	}
	want := "nothing of the last export was reused: base URL changed from https://example.org to https://other.example"
	if got := build("https://other.example"); !strings.Contains(got, want) {
		t.Errorf("a build with another base URL:\n%s\nwant %q", got, want)
	}
}

// TestServePrebuiltSaysWhatChanged: serve --prebuilt of an export made for
// another base URL renders every page and its warning names the base URL.
func TestServePrebuiltSaysWhatChanged(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir := t.TempDir()
	write(t, dir, "one.md", article("One", "First."))
	out := filepath.Join(t.TempDir(), "dist")
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out, "--base-url", "https://example.org"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := newApp(ServeConfig{Content: dir, Prebuilt: out, BaseURL: "https://other.example"}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer a.srv.Close()
	if err := a.seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "base URL changed from https://example.org to https://other.example"
	if !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), "rendered every page") {
		t.Errorf("serve --prebuilt of an export for another base URL logged:\n%s\nwant a warning with %q", logs.String(), want)
	}
}

// TestExportOutlivesHowTheBinaryWasBuilt builds an export with `go run`
// and builds over it with the binary `make build` makes (-trimpath, no cgo):
// the two executables differ, the rendering code does not, so the second
// build reuses every output and every parsed article. It compiles the
// command twice, which takes seconds with a warm build cache (a minute or
// so on a fresh one; make build in CI then finds it in the cache).
func TestExportOutlivesHowTheBinaryWasBuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the command twice; not with -short")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800") // the same build time, so the same pages
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the binary: %v", err)
	}
	root := moduleRoot(t, goTool)
	dir := t.TempDir()
	write(t, dir, "one.md", article("One", "First."))
	write(t, dir, "two.md", article("Two", "Second.", "render: isr\n", "revalidate: 30s\n"))
	out := filepath.Join(t.TempDir(), "dist")
	args := []string{"build", "--content", dir, "--out", out, "--base-url", "https://example.org"}

	first := runIn(t, root, nil, goTool, append([]string{"run", "./cmd/renderwise"}, args...)...)
	bin := filepath.Join(t.TempDir(), "renderwise")
	runIn(t, root, []string{"CGO_ENABLED=0"}, goTool, "build", "-trimpath", "-o", bin, "./cmd/renderwise")
	second := runIn(t, root, nil, bin, args...)

	code := regexp.MustCompile(`rendering code (\S+ \S+)`)
	one, two := code.FindStringSubmatch(first), code.FindStringSubmatch(second)
	if one == nil || two == nil || one[1] != two[1] {
		t.Fatalf("go run and go build -trimpath disagree on the rendering code:\n%s\n%s", first, second)
	}
	if !strings.Contains(second, " 0 rendered,") || !strings.Contains(second, " 0 articles parsed, 2 unchanged") {
		t.Errorf("the -trimpath binary over the go run export:\n%s\nwant 0 rendered and both articles from the parse cache", second)
	}
}

// moduleRoot returns the folder of this module's go.mod.
func moduleRoot(t *testing.T, goTool string) string {
	t.Helper()
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" {
		t.Fatalf("go env GOMOD: %q, %v", gomod, err)
	}
	return filepath.Dir(strings.TrimSpace(string(gomod)))
}

// runIn runs name with args in dir, with env added, and returns its
// standard output; it fails the test, with both outputs, if the command
// fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
