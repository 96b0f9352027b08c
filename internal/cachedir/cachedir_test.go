package cachedir

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	content := filepath.Join(dir, "My Articles")
	if err := os.Mkdir(content, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(content, link); err != nil {
		t.Fatal(err)
	}
	name := func(content, base string) string {
		t.Helper()
		n, err := Name(content, base)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := name(content, "")
	if !strings.HasPrefix(a, "My-Articles-") || len(a) != len("My-Articles-")+16 {
		t.Errorf("Name(%q) = %q, want My-Articles- and 16 hex digits", content, a)
	}
	for _, tt := range []struct {
		name string
		got  string
		same bool
	}{
		{"the same folder again gives the same name", name(content, ""), true},
		{"the folder through a symbolic link gives the same name", name(link, ""), true},
		{"another base URL gives another name", name(content, "https://example.org"), false},
		{"another folder gives another name", name(dir, ""), false},
		{"the embedded articles give another name", name("", ""), false},
	} {
		if (tt.got == a) != tt.same {
			t.Errorf("%s: %q beside %q", tt.name, tt.got, a)
		}
	}
	if e := name("", "https://example.org"); !strings.HasPrefix(e, "embedded-") {
		t.Errorf("the embedded articles' folder is %q, want embedded-…", e)
	}
}

// TestLocks: readers share, a writer excludes everyone, and no one waits.
func TestLocks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "site")
	open := func() *Dir {
		t.Helper()
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	a, b := open(), open()
	if a.Export() != filepath.Join(path, "export") {
		t.Errorf("Export() = %q", a.Export())
	}
	steps := []struct {
		what string
		ok   func() bool
		want bool
	}{
		{"a first reader", a.TryRead, true},
		{"a second reader beside it", b.TryRead, true},
		{"a writer while another reads", func() bool { return b.TryWrite() }, false},
		{"a writer once the other reader is gone", func() bool { a.Unlock(); b.Unlock(); return b.TryWrite() }, true},
		{"a reader while someone writes", a.TryRead, false},
		{"a writer while someone writes", a.TryWrite, false},
		{"a writer once the other is gone", func() bool { b.Close(); return a.TryWrite() }, true},
	}
	for _, s := range steps {
		if got := s.ok(); got != s.want {
			t.Fatalf("%s: got %v, want %v", s.what, got, s.want)
		}
	}
}

func TestOpenNamesTheFolder(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	_, err := Open(filepath.Join(file, "site"))
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("Open under a file: %v, want an error naming the folder", err)
	}
}
