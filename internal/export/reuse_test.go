package export

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/internal/page"
)

// TestReuseTakesWhatIsCurrent: a build into an empty folder takes every
// output another export has with its current key (a cache folder kept
// after the export was deleted), as links to the same files, and makes
// the export a clean build makes.
func TestReuseTakesWhatIsCurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	kept := filepath.Join(dir, "cache", "export")
	e.build(t, kept)

	cfg := e.config(filepath.Join(dir, "dist"))
	cfg.Reuse = kept
	sum, err := Build(context.Background(), cfg, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Clean || sum.Rendered != 0 || sum.FromReuse != sum.Reused || sum.Reused == 0 {
		t.Errorf("the same site built with Reuse: clean %v, %d rendered, %d reused, %d of them from Reuse; want clean, none rendered, all from Reuse",
			sum.Clean, sum.Rendered, sum.Reused, sum.FromReuse)
	}
	a, _ := os.Stat(filepath.Join(kept, "og", "articles", "guide.png"))
	b, _ := os.Stat(filepath.Join(cfg.Out, "og", "articles", "guide.png"))
	if a == nil || b == nil || !os.SameFile(a, b) {
		t.Error("the preview image was not linked from the reused export")
	}
	clean := filepath.Join(dir, "clean")
	e.build(t, clean)
	sameFiles(t, "a build with Reuse", files(t, cfg.Out), files(t, clean))

	// Another build time: the HTML is rendered, the images are taken.
	cfg = e.config(filepath.Join(dir, "later"))
	cfg.Now, cfg.Reuse = buildTime.Add(time.Hour), kept
	if sum, err = Build(context.Background(), cfg, e.deps()); err != nil {
		t.Fatal(err)
	}
	if sum.Images == 0 || sum.FromReuse < sum.Images+sum.Assets || sum.Rendered == 0 {
		t.Errorf("a new build time with Reuse: %d rendered, %d from Reuse; want the %d images and %d assets from it", sum.Rendered, sum.FromReuse, sum.Images, sum.Assets)
	}
}

// TestReuseMakesWhatIsCutShort: a file of the other export shorter than its
// manifest says is made again, not linked.
func TestReuseMakesWhatIsCutShort(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept")
	e.build(t, kept)
	image := filepath.Join("og", "articles", "guide.png")
	if err := os.Truncate(filepath.Join(kept, image), 100); err != nil {
		t.Fatal(err)
	}
	cfg := e.config(filepath.Join(dir, "dist"))
	cfg.Reuse = kept
	sum, err := Build(context.Background(), cfg, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rendered != 1 {
		t.Errorf("%d outputs rendered, want the image cut short only", sum.Rendered)
	}
	clean := filepath.Join(dir, "clean")
	e.build(t, clean)
	sameFiles(t, "a build over an export with a file cut short", files(t, cfg.Out), files(t, clean))
}

// TestReuseIgnoresOtherInputs: an export made for another base URL gives
// nothing, and building over an export of its own ignores Reuse.
func TestReuseIgnoresOtherInputs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept")
	other := e.config(kept)
	other.BaseURL = "https://elsewhere.example"
	if _, err := Build(context.Background(), other, e.deps()); err != nil {
		t.Fatal(err)
	}
	cfg := e.config(filepath.Join(dir, "dist"))
	cfg.Reuse = kept
	sum, err := Build(context.Background(), cfg, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	if sum.FromReuse != 0 || sum.Reused != 0 {
		t.Errorf("Reuse of an export for another base URL: %d reused, %d from it; want none", sum.Reused, sum.FromReuse)
	}
	cfg.Reuse = filepath.Join(dir, "no such folder")
	if sum, err = Build(context.Background(), cfg, e.deps()); err != nil || sum.Clean || sum.Rendered != 0 {
		t.Errorf("a build over its own export with a missing Reuse: %v, clean %v, %d rendered; want nothing rendered", err, sum != nil && sum.Clean, sum.Rendered)
	}
}

// TestPagesAreWrittenAsGiven: a page given in Deps.Pages for the build
// time is written instead of rendered — compacted, as a server keeps it —
// and one of another time is rendered again.
func TestPagesAreWrittenAsGiven(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	rt, _ := page.Resolve(e.site, "/articles/guide")
	p, err := e.builder.Build(context.Background(), e.site, rt, buildTime)
	if err != nil {
		t.Fatal(err)
	}
	marked := bytes.Replace(p.Body, []byte("Plain text about caching."), []byte("Taken from memory."), 1)
	gz, br := compress.Bodies(marked)
	given := *p
	given = *page.FromBody(&given, marked, gz, br).Compact()
	older, err := e.builder.Build(context.Background(), e.site, rt, buildTime.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		page *page.Page
		want string
	}{
		{"a page of the build time is written as given", &given, "Taken from memory."},
		{"a page of another time is rendered again", older, "Plain text about caching."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "dist")
			d := e.deps()
			d.Pages = map[string]*page.Page{"/articles/guide": tt.page}
			if _, err := Build(context.Background(), e.config(out), d); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(out, "articles", "guide", "index.html"))
			if err != nil || !bytes.Contains(b, []byte(tt.want)) {
				t.Errorf("the exported page does not say %q (%v)", tt.want, err)
			}
		})
	}
}

// TestCopyKeepsAnExport: a copy is the same export, read back the same;
// a copy onto a folder that is not an export is refused, and a cancelled
// copy leaves the earlier one as it was.
func TestCopyKeepsAnExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out, kept := filepath.Join(dir, "dist"), filepath.Join(dir, "cache", "export")
	e.build(t, out)
	if err := Copy(context.Background(), out, kept); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "the copy", files(t, kept), files(t, out))
	if pb, err := Read(context.Background(), kept, e.config(kept), e.deps()); err != nil || len(pb.Missing) != 0 {
		t.Errorf("Read of the copy: %v, missing %v", err, pb)
	}

	before := files(t, kept)
	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour)
	if _, err := Build(context.Background(), cfg, e.deps()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Copy(ctx, out, kept); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled copy returned %v", err)
	}
	if after := files(t, kept); !maps.EqualFunc(before, after, bytes.Equal) {
		t.Error("a cancelled copy changed the copy before it")
	}
	if err := Copy(context.Background(), out, kept); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "the copy of the second build", files(t, kept), files(t, out))
	var beside []string
	entries, _ := os.ReadDir(filepath.Dir(kept))
	for _, e := range entries {
		beside = append(beside, e.Name())
	}
	if want := []string{".export.prev", "export"}; !slices.Equal(beside, want) {
		t.Errorf("beside the copy: %q, want %q", beside, want)
	}

	precious := t.TempDir()
	os.WriteFile(filepath.Join(precious, "notes.txt"), []byte("keep"), 0o644)
	if err := Copy(context.Background(), out, precious); err == nil || !strings.Contains(err.Error(), "not an export") {
		t.Errorf("a copy onto a folder that is not an export: %v, want a refusal", err)
	}
	if err := Copy(context.Background(), precious, kept); err == nil {
		t.Error("a copy of a folder that is not an export succeeded")
	}
}

// TestReadRefusesAPageCutShort: a page file shorter than the manifest says
// (what a power cut can leave) makes Read fail, naming the file.
func TestReadRefusesAPageCutShort(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	name := filepath.Join(out, "articles", "guide", "index.html")
	if err := os.Truncate(name, 10); err != nil {
		t.Fatal(err)
	}
	_, err := Read(context.Background(), out, e.config(out), e.deps())
	if err == nil || !strings.Contains(err.Error(), name) || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of an export with a page cut short: %v, want an error naming %s", err, name)
	}
}
