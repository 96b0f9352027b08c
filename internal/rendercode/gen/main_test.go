package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// tempModule writes a small module into a new folder: package a imports b and
// embeds a file, c stands alone, and a has a test. It returns the folder.
func tempModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range map[string]string{
		"go.mod":        "module example.com/m\n\ngo 1.24\n",
		"a/a.go":        "package a\n\nimport (\n\t_ \"embed\"\n\n\t\"example.com/m/b\"\n)\n\n//go:embed page.html\nvar Page string\n\nvar B = b.B\n",
		"a/page.html":   "<p>one</p>\n",
		"a/a_test.go":   "package a\n",
		"a/notes.txt":   "not embedded\n",
		"b/b.go":        "package b\n\nconst B = 1\n",
		"c/c.go":        "package c\n",
		"gen/gen.go":    "package gen\n", // the file being generated, when a imports it
		"a/uses_gen.go": "package a\n\nimport _ \"example.com/m/gen\"\n",
	} {
		write(t, dir, name, src)
	}
	return dir
}

func write(t *testing.T, dir, name, src string) {
	t.Helper()
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hashOf lists ./a in dir and digests it, skipping gen/gen.go.
func hashOf(t *testing.T, dir string) summary {
	t.Helper()
	pkgs, err := list(dir, "./a")
	if err != nil {
		t.Fatal(err)
	}
	s, err := digest(pkgs, filepath.Join(dir, "gen", "gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDigest(t *testing.T) {
	t.Parallel()
	base := hashOf(t, tempModule(t))
	if want := []string{"example.com/m/a", "example.com/m/b", "example.com/m/gen"}; !slices.Equal(base.Packages, want) {
		t.Errorf("hashed packages %q, want %q", base.Packages, want)
	}
	for _, tc := range []struct {
		name, file, src string
		changes         bool
	}{
		{"an edit to the root package changes it", "a/a.go", "package a\n\nimport (\n\t_ \"embed\"\n\n\t\"example.com/m/b\"\n)\n\n//go:embed page.html\nvar Page string\n\nvar B = b.B + 1\n", true},
		{"an edit to an imported package changes it", "b/b.go", "package b\n\nconst B = 2\n", true},
		{"an edit to an embedded file changes it", "a/page.html", "<p>two</p>\n", true},
		{"a new Go file changes it", "b/more.go", "package b\n", true},
		{"an edit to a test leaves it", "a/a_test.go", "package a\n\nfunc helper() {}\n", false},
		{"an edit to a package not imported leaves it", "c/c.go", "package c\n\nconst C = 3\n", false},
		{"an edit to a file neither compiled nor embedded leaves it", "a/notes.txt", "still not embedded\n", false},
		{"an edit to the generated file leaves it", "gen/gen.go", "package gen\n\nconst source = \"x\"\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := tempModule(t)
			write(t, dir, tc.file, tc.src)
			got := hashOf(t, dir)
			if changed := got.Hash != base.Hash; changed != tc.changes {
				t.Errorf("after writing %s: hash %s, before %s; changed %v, want %v", tc.file, got.Hash, base.Hash, changed, tc.changes)
			}
		})
	}
}

// TestDigestIgnoresWhereTheTreeIs: two checkouts of one tree in other
// folders, with other modification times, hash alike.
func TestDigestIgnoresWhereTheTreeIs(t *testing.T) {
	t.Parallel()
	one, two := tempModule(t), tempModule(t)
	long := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(two, "b", "b.go"), long, long); err != nil {
		t.Fatal(err)
	}
	if a, b := hashOf(t, one), hashOf(t, two); a.Hash != b.Hash {
		t.Errorf("the same tree in %s and %s: hashes %s and %s", one, two, a.Hash, b.Hash)
	}
}

// TestDigestOfModules: a package of another module counts by its module's
// version (after a replace), and the standard library not at all.
func TestDigestOfModules(t *testing.T) {
	t.Parallel()
	main := &module{Path: "example.com/m", Main: true}
	pkgs := func(goldmark string) []pkg {
		return []pkg{
			{ImportPath: "fmt", Standard: true},
			{ImportPath: "github.com/yuin/goldmark/ast", Module: &module{Path: "github.com/yuin/goldmark", Version: goldmark}},
			{ImportPath: "github.com/yuin/goldmark", Module: &module{Path: "github.com/yuin/goldmark", Version: goldmark}},
			{ImportPath: "golang.org/x/net/html", Module: &module{Path: "golang.org/x/net", Version: "v0.1.0", Replace: &module{Path: "golang.org/x/net", Version: "v0.2.0"}}},
			{ImportPath: "example.com/m/a", Dir: t.TempDir(), Module: main},
		}
	}
	one, err := digest(pkgs("v1.8.7"), "gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"github.com/yuin/goldmark v1.8.7", "golang.org/x/net v0.2.0"}; !slices.Equal(one.Modules, want) {
		t.Errorf("modules %q, want %q", one.Modules, want)
	}
	two, err := digest(pkgs("v1.8.8"), "gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if one.Hash == two.Hash {
		t.Errorf("goldmark v1.8.7 and v1.8.8 hash alike (%s)", one.Hash)
	}
}
