package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/renderwise/renderwise/internal/cachedir"
	"github.com/renderwise/renderwise/internal/export"
)

// buildFolder is a build's use of its site's cache folder: it takes what
// the folder's export has when --out has nothing to build on, and after a
// clean build it brings that export up to date, so that the next clean
// build (after rm -rf dist, or in a fresh checkout) draws no preview image
// and parses no article that did not change. A nil *buildFolder is no
// folder.
type buildFolder struct {
	dir    *cachedir.Dir
	stderr io.Writer
}

// openBuildFolder opens the site's cache folder and takes it for reading
// for the length of the build; nil if there is none, or it cannot be used,
// which is said on stderr: a cache never fails a build.
func openBuildFolder(cfg BuildConfig, stderr io.Writer) *buildFolder {
	if cfg.cacheErr != nil {
		fmt.Fprintf(stderr, "renderwise: warning: %v; building without a cache folder\n", cfg.cacheErr)
		return nil
	}
	if cfg.CacheDir == "" {
		return nil
	}
	dir, err := openCacheDir(cfg.CacheDir, cfg.Content, cfg.BaseURL)
	if err != nil {
		fmt.Fprintf(stderr, "renderwise: warning: %v; building without a cache folder\n", err)
		return nil
	}
	if !dir.TryRead() {
		fmt.Fprintf(stderr, "renderwise: another renderwise is writing the cache folder %s; building without it\n", dir.Path())
		dir.Close()
		return nil
	}
	return &buildFolder{dir: dir, stderr: stderr}
}

// export is the folder's export, for export.Config.Reuse; "" for none.
func (f *buildFolder) export() string {
	if f == nil {
		return ""
	}
	return f.dir.Export()
}

// keep brings the folder's export up to date with the one just built when
// the build was clean and rendered something: an incremental build has its
// own export to build on next time, and a clean build that rendered
// nothing took everything from the folder already. build builds the site
// into the folder's export, taking every output from the one just built:
// a build rather than a copy, so that it recycles the folder's previous
// export and changes only the files that differ. It returns how long that
// took, 0 if it was not done; a failure is a warning.
func (f *buildFolder) keep(sum *export.Summary, build func(cache string) error) time.Duration {
	if f == nil || !sum.Clean || sum.Rendered == 0 {
		return 0
	}
	if !f.dir.TryWrite() {
		fmt.Fprintf(f.stderr, "renderwise: another renderwise is using the cache folder %s; it was not updated\n", f.dir.Path())
		return 0
	}
	start := time.Now()
	if err := build(f.dir.Export()); err != nil {
		fmt.Fprintf(f.stderr, "renderwise: warning: the cache folder %s was not updated: %v\n", f.dir.Path(), err)
		return 0
	}
	return max(time.Since(start), time.Millisecond)
}

// report adds the folder's lines to the build summary: what was taken from
// it, and how long keeping this export there took.
func (f *buildFolder) report(w io.Writer, sum *export.Summary, kept time.Duration) {
	if f == nil {
		return
	}
	if sum.FromReuse > 0 {
		fmt.Fprintf(w, "  %d %s taken from the cache folder %s\n", sum.FromReuse, plural(sum.FromReuse, "output", "outputs"), f.dir.Path())
	}
	if kept > 0 {
		fmt.Fprintf(w, "  the cache folder %s now holds this export too, for the next clean build (%s)\n", f.dir.Path(), kept.Round(time.Millisecond))
	}
}

// close lets go of the folder; nil does nothing.
func (f *buildFolder) close() {
	if f != nil {
		f.dir.Close()
	}
}
