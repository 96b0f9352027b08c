package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// TestRecycledBuildsEqualClean builds the fixture with each edit in turn
// (one edit at a time), so that from the third build on each one recycles
// the export from two builds before, which differs by two edits. Each export must equal a clean build of the same
// files, and building must never change the export it recycles from while
// that one is served: they share files.
func TestRecycledBuildsEqualClean(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{false, true} {
		name := "without the parse cache"
		if cached {
			name = "with the parse cache"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out := filepath.Join(dir, "dist")
			var fsys fstest.MapFS
			build := func(out string) *Summary {
				if cached {
					buildCached(t, fsys, out, "test")
					return nil
				}
				return newEnv(t, fsys).build(t, out)
			}
			fsys = fixture()
			build(out)
			for i, tt := range edits {
				served := files(t, out)
				kept, keptErr := os.Stat(prevOf(out))
				fsys = fixture()
				tt.edit(fsys)
				sum := build(out)
				if now, err := os.Stat(out); i > 0 && (keptErr != nil || err != nil || !os.SameFile(kept, now)) {
					t.Errorf("after %s: the build did not recycle the previous export (%v, %v)", tt.name, keptErr, err)
				}
				if sum != nil && i > 0 && sum.Reused == 0 {
					t.Errorf("after %s: nothing reused", tt.name)
				}
				// What was served until the swap is now the export kept to
				// recycle: it must hold the same bytes as when it was served.
				sameFiles(t, "the previous export after "+tt.name, files(t, prevOf(out)), served)
				clean := filepath.Join(dir, "clean", tt.name)
				build(clean)
				sameFiles(t, "recycled build after "+tt.name, files(t, out), files(t, clean))
			}
		})
	}
}

// TestDeletedExportMeansCleanBuild: removing the export to start afresh
// removes the previous one kept beside it too.
func TestDeletedExportMeansCleanBuild(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	out := filepath.Join(t.TempDir(), "dist")
	e.build(t, out)
	e.build(t, out)
	if _, err := os.Stat(prevOf(out)); err != nil {
		t.Fatalf("the second build kept no previous export: %v", err)
	}
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if sum := e.build(t, out); sum.Reused != 0 {
		t.Errorf("a build after the export was deleted reused %d outputs, want a clean build", sum.Reused)
	}
	if _, err := os.Stat(prevOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the previous export outlived the deleted one: %v", err)
	}
}

// TestKilledRecyclingIsRepaired: a build killed while updating the
// recycled folder leaves a temporary folder without a manifest; the next
// build removes it and still makes the right export.
func TestKilledRecyclingIsRepaired(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	e.build(t, out)
	e.build(t, out)
	// What a kill during recycle leaves: the previous export renamed, its
	// manifest gone, some outputs removed.
	left := filepath.Join(dir, tempPrefix(out)+"killed")
	if err := os.Rename(prevOf(out), left); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(left, ManifestName))
	os.Remove(filepath.Join(left, "index.html"))

	fsys := fixture()
	edits[0].edit(fsys)
	e2 := newEnv(t, fsys)
	e2.build(t, out)
	if _, err := os.Stat(left); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the killed build's folder is still there: %v", err)
	}
	clean := filepath.Join(dir, "clean")
	e2.build(t, clean)
	sameFiles(t, "after a killed build", files(t, out), files(t, clean))
}

// TestKilledAfterTheSwapKeepsThePrevious: a build killed after the new
// export moved in but before the backup was put aside leaves it to the next
// build, which recycles it.
func TestKilledAfterTheSwapKeepsThePrevious(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	e.build(t, out)
	e.build(t, out)
	if err := os.Rename(prevOf(out), backupOf(out)); err != nil {
		t.Fatal(err)
	}
	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour) // every HTML page changes
	if _, err := Build(context.Background(), cfg, e.deps()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(backupOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the backup is still there: %v", err)
	}
	clean := filepath.Join(dir, "clean")
	if _, err := Build(context.Background(), Config{Out: clean, BaseURL: cfg.BaseURL, Now: cfg.Now, Version: cfg.Version}, e.deps()); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "after a killed swap", files(t, out), files(t, clean))
}

// TestRecycledFailedBuildLeavesTheExport: a build that fails while
// updating the recycled folder leaves the export as it was.
func TestRecycledFailedBuildLeavesTheExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fixture())
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	e.build(t, out)
	e.build(t, out)
	before := files(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := e.config(out)
	cfg.Now = buildTime.Add(time.Hour)
	cfg.Workers = 1
	cfg.Progress = func(done, total int) {
		if done == total/2 {
			cancel()
		}
	}
	if _, err := Build(ctx, cfg, e.deps()); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled build returned %v, want context.Canceled", err)
	}
	sameFiles(t, "the export after a cancelled build", files(t, out), before)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("after a cancelled build the parent holds %d entries, want only dist", len(entries))
	}
}

// TestRecyclingForgetsChangesToTheExport: files added to a served export
// (a verification file, a stray folder) or removed from it are not carried
// into later exports when it is recycled: each equals a clean build.
func TestRecyclingForgetsChangesToTheExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "dist")
	fsys := fixture()
	e := newEnv(t, fsys)
	e.build(t, out)
	e.build(t, out)
	// Served now; recycled by the build after next. Everything is aged,
	// so that the folders changed by hand are the only ones newer than
	// the manifest, as they would be some time after the build.
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(p, old, old)
		}
		return err
	})
	os.WriteFile(filepath.Join(out, "google1234.html"), []byte("verify"), 0o644)
	os.MkdirAll(filepath.Join(out, "articles", "guide", "extra"), 0o755)
	os.WriteFile(filepath.Join(out, "articles", "guide", "extra", "x.txt"), []byte("x"), 0o644)
	os.Remove(filepath.Join(out, "articles", "rendering", "ssg", "index.html.br"))
	os.Remove(filepath.Join(out, "tags", "index.html"))
	clean := filepath.Join(dir, "clean")
	e.build(t, clean)
	want := files(t, clean)
	for i := range 3 {
		e.build(t, out)
		sameFiles(t, fmt.Sprintf("build %d after the export was changed by hand", i+1), files(t, out), want)
	}
	// An article deleted after one of its files was removed by hand leaves
	// nothing behind.
	os.Remove(filepath.Join(out, "articles", "guide", "index.html"))
	e.build(t, out)
	delete(fsys, "guide.md")
	e = newEnv(t, fsys)
	e.build(t, out)
	e.build(t, out)
	clean2 := filepath.Join(dir, "clean2")
	e.build(t, clean2)
	sameFiles(t, "after a deleted article", files(t, out), files(t, clean2))
}
