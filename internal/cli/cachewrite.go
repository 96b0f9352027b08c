package cli

import (
	"context"
	"os"
	"time"

	"github.com/renderwise/renderwise/internal/export"
	"github.com/renderwise/renderwise/internal/rendercode"
)

// writeCache brings the cache folder's export up to date with the pages the
// server started with, so that the next start loads them instead of
// rendering them. It runs once, after the server is ready, and builds the
// export as `renderwise build` would, on one worker so that serving keeps
// the other cores: pages the server holds are written as they are
// (export.Deps.Pages), unchanged outputs are kept, and what is left — the
// preview images and the 404 page, and after a cold start the parse cache —
// is made. Like any build it writes a temporary folder and renames it into
// place when it is complete, so a server stopped (or killed) during the
// write leaves the folder's last export as it was.
func (a *app) writeCache(ctx context.Context) {
	f := a.folder
	defer func() {
		f.site, f.pages, f.parsed = nil, nil, nil // the server's pages and articles stay in memory only as it keeps them
		if a.onWritten != nil {
			a.onWritten()
		}
	}()
	if f.current {
		a.log.Info("the cache folder is up to date", "cache_dir", f.dir.Path())
		return
	}
	if !f.dir.TryWrite() {
		a.log.Info("another renderwise is using the cache folder; not written", "cache_dir", f.dir.Path())
		return
	}
	defer f.dir.Unlock()
	start := time.Now()
	if f.damaged {
		if err := os.RemoveAll(f.dir.Export()); err != nil {
			a.log.Warn("the cache folder was not written", "cache_dir", f.dir.Path(), "err", err)
			return
		}
	}
	sum, err := export.Build(ctx, export.Config{
		Out: f.dir.Export(), BaseURL: a.cfg.BaseURL, Now: f.at, Version: rendercode.Version(), Workers: 1,
	}, export.Deps{
		Site: f.site, Content: a.store.FS(), Builder: a.builder, Assets: a.assets, ParseCache: f.parsed, Pages: f.pages,
	})
	switch {
	case ctx.Err() != nil:
		a.log.Info("the server stopped before the cache folder was written; it is as it was", "cache_dir", f.dir.Path())
	case err != nil:
		a.log.Warn("the cache folder was not written", "cache_dir", f.dir.Path(), "err", err)
	default:
		a.log.Info("cache folder written", "cache_dir", f.dir.Path(), "duration", time.Since(start),
			"made", sum.Rendered, "kept", sum.Reused, "files", sum.Files)
	}
}
