package cli

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/server"
)

// watch rebuilds the site when files under dir change (dev mode): the
// content is reloaded, every pre-rendered page rendered again, and open tabs
// told to reload. A broken file keeps its last good version; its problems
// are logged and shown on every page until fixed.
func watch(ctx context.Context, dir string, store *content.Store, b *page.Builder, srv *server.Server, log *slog.Logger) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		log.Error("dev: cannot watch content", "err", err)
		return
	}
	defer w.Close()
	addTree := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				w.Add(p)
			}
			return nil
		})
	}
	addTree(dir)
	const settle = 100 * time.Millisecond // editors write a file in several steps
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-w.Events:
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					addTree(ev.Name)
				}
			}
			timer.Reset(settle)
		case err := <-w.Errors:
			log.Warn("dev: watch error", "err", err)
		case <-timer.C:
			rebuild(ctx, store, b, srv, log)
		}
	}
}

func rebuild(ctx context.Context, store *content.Store, b *page.Builder, srv *server.Server, log *slog.Logger) {
	probs, err := store.Reload()
	if err != nil {
		log.Error("dev: reload failed", "err", err)
		return
	}
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.String()
		log.Error("dev: content problem; keeping the last good version", "file", p.File, "line", p.Line, "err", p.Msg)
	}
	b.SetDevError(strings.Join(lines, "\n"))
	if err := srv.Prerender(ctx); err != nil {
		log.Error("dev: rebuild failed", "err", err)
		return
	}
	log.Info("dev: rebuilt", "problems", len(probs))
	srv.NotifyReload()
}
