package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildParsesOnlyWhatChanged: a build into an existing export takes
// unchanged articles from its parse cache, and says so.
func TestBuildParsesOnlyWhatChanged(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1795780800")
	dir := t.TempDir()
	write(t, dir, "a.md", article("Alpha", "Static."))
	write(t, dir, "b.md", article("Beta", "Also static."))
	write(t, dir, "c.md", article("Gamma", "Static too."))
	out := filepath.Join(t.TempDir(), "dist")
	build := func() string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := Run(context.Background(), []string{"build", "--content", dir, "--out", out}, &stdout, &stderr); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr.String())
		}
		return stdout.String()
	}
	for i, want := range []string{
		"3 articles parsed, 0 unchanged taken from the parse cache",
		"0 articles parsed, 3 unchanged taken from the parse cache",
		"1 article parsed, 2 unchanged taken from the parse cache",
	} {
		if i == 2 {
			write(t, dir, "b.md", article("Beta", "Edited."))
		}
		if got := build(); !strings.Contains(got, want) {
			t.Errorf("build %d:\n%s\nwant it to say %q", i+1, got, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "articles", "b", "index.html")); err != nil || !bytes.Contains(b, []byte("Edited.")) {
		t.Errorf("the edited article was not exported again (%v)", err)
	}
	if entries, err := os.ReadDir(filepath.Join(out, ".renderwise-cache")); err != nil || len(entries) == 0 {
		t.Errorf("the export has no parse cache: %v", err)
	}
}
