package export

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
