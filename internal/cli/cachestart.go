package cli

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cachedir"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/export"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/rendercode"
)

// cacheFolder is a server's use of its site's cache folder: what it read
// there at start, and what it started with, for the write once it is ready
// ([app.writeCache]).
type cacheFolder struct {
	dir    *cachedir.Dir
	parsed *export.ParseCache // read from the folder's export; written back with it
	found  *export.Prebuilt   // what the folder's export holds; nil for nothing
	// damaged is set when the export could not be read: the write removes
	// it first, rather than keep its files that still match their keys.
	damaged bool

	// Set by [app.seedFromCache]:
	site    *content.Site         // the content the server started with
	at      time.Time             // the time its pages were generated at
	pages   map[string]*page.Page // its pages, by route
	current bool                  // the folder held every page: nothing to write
}

// openCacheFolder opens the site's cache folder and takes it for reading,
// or returns nil, saying why when the reason is not that none was asked
// for. A folder that cannot be made, or that another renderwise is
// writing, is done without: a cache never stops a server from starting.
func openCacheFolder(cfg ServeConfig, log *slog.Logger) *cacheFolder {
	switch {
	case cfg.cacheNote != "":
		log.Info("cache folder not used", "cache_dir", cfg.cacheFlag.value, "reason", cfg.cacheNote)
		return nil
	case cfg.cacheErr != nil:
		log.Warn("no cache folder; every start renders every page", "err", cfg.cacheErr)
		return nil
	case cfg.CacheDir == "":
		return nil
	}
	dir, err := openCacheDir(cfg.CacheDir, cfg.Content, cfg.BaseURL)
	if err != nil {
		log.Warn("the cache folder cannot be used; every start renders every page", "err", err)
		return nil
	}
	if !dir.TryRead() {
		log.Info("another renderwise is writing the cache folder; starting without it", "cache_dir", dir.Path())
		dir.Close()
		return nil
	}
	return &cacheFolder{dir: dir, parsed: export.NewParseCache(dir.Export(), rendercode.Version())}
}

// read reads the folder's export for the site loaded, then lets others
// write the folder: nothing more is read from it.
func (f *cacheFolder) read(cfg ServeConfig, site *content.Site, set *assets.Set, log *slog.Logger) {
	defer f.dir.Unlock()
	if _, err := os.Lstat(filepath.Join(f.dir.Export(), export.ManifestName)); errors.Is(err, fs.ErrNotExist) {
		log.Info("the cache folder holds no export yet; rendering every page", "cache_dir", f.dir.Path())
		return
	}
	pb, err := export.Read(context.Background(), f.dir.Export(),
		export.Config{BaseURL: cfg.BaseURL, Version: rendercode.Version()}, export.Deps{Site: site, Assets: set})
	switch {
	case err != nil:
		log.Warn("the cache folder's export cannot be read; rendering every page", "cache_dir", f.dir.Path(), "err", err)
		f.damaged = true
	case len(pb.Stale) > 0:
		// Other rendering code (an upgrade), base URL, settings or assets,
		// or a manifest that cannot be decoded.
		log.Warn("the cache folder's export cannot be used; rendering every page", "cache_dir", f.dir.Path(),
			"reason", strings.Join(pb.Stale, "; "))
	default:
		f.found = pb
	}
}

// close lets go of the folder; nil does nothing.
func (f *cacheFolder) close() {
	if f != nil {
		f.dir.Close()
	}
}

// seedFromCache starts the server from the cache folder's export as seed
// does from --prebuilt's: its pages are stored as they are, and the routes
// it has no up-to-date page for are rendered. They are rendered at the
// export's build time, so that the pages the server starts with are one
// export's, which the write after can keep whole; with no export, every
// route is rendered, now.
func (a *app) seedFromCache(ctx context.Context) error {
	f, site := a.folder, a.store.Site()
	pb, at := f.found, a.now()
	if pb != nil {
		at = pb.BuildTime
	} else {
		pb = &export.Prebuilt{Missing: page.Routes(site)}
	}
	f.found = nil // its pages are the server's now
	rendered, err := a.srv.RenderRoutes(ctx, site, pb.Missing, at)
	if err != nil {
		return err
	}
	notFound := pb.NotFound
	if notFound == nil {
		if notFound, err = a.builder.NotFound(ctx, site, at); err != nil {
			return err
		}
	}
	pages := append(pb.Pages, rendered...) // export.Read compacted its pages
	f.site, f.at, f.current = site, at, len(pb.Missing) == 0 && pb.NotFound != nil
	f.pages = make(map[string]*page.Page, len(pages))
	for _, p := range pages {
		f.pages[p.Route] = p
	}
	a.log.Info("starting from the cache folder", "cache_dir", f.dir.Path(), "loaded", len(pb.Pages), "rendered", len(rendered), "built", at)
	return a.srv.Seed(ctx, slices.Clip(pages), notFound)
}

// now is the server's clock.
func (a *app) now() time.Time {
	if a.cfg.now != nil {
		return a.cfg.now()
	}
	return time.Now()
}
