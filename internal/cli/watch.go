package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watch rebuilds the site when files under the content or static folder
// change (dev mode): content and assets are reloaded, every pre-rendered
// page is rendered again, and open tabs are told to reload. A broken file
// keeps its last good version; its problems are logged and shown on every
// page until fixed.
//
// The folders are watched before watch returns; the events are handled in a
// goroutine until ctx is done.
func (a *app) watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("dev: watch content: %w", err)
	}
	addTree := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				w.Add(p)
			}
			return nil
		})
	}
	for _, dir := range []string{a.cfg.Content, a.cfg.Static} {
		if dir != "" {
			addTree(dir)
		}
	}
	go a.handleEvents(ctx, w, addTree)
	return nil
}

func (a *app) handleEvents(ctx context.Context, w *fsnotify.Watcher, addTree func(string)) {
	defer w.Close()
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
			a.log.Warn("dev: watch error", "err", err)
		case <-timer.C:
			a.rebuild(ctx)
		}
	}
}

// rebuild reloads content and assets and renders every page again.
func (a *app) rebuild(ctx context.Context) {
	if a.cfg.Static != "" {
		if err := a.assets.Reload(os.DirFS(a.cfg.Static)); err != nil {
			a.log.Error("dev: reload assets", "err", err)
		}
	}
	probs, err := a.store.Reload()
	if err != nil {
		a.log.Error("dev: reload failed", "err", err)
		return
	}
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.String()
		a.log.Error("dev: content problem; keeping the last good version", "file", p.File, "line", p.Line, "err", p.Msg)
	}
	a.builder.SetDevError(strings.Join(lines, "\n"))
	if err := a.srv.Prerender(ctx); err != nil {
		a.log.Error("dev: rebuild failed", "err", err)
		return
	}
	a.log.Info("dev: rebuilt", "problems", len(probs))
	a.srv.NotifyReload()
	if a.onRebuild != nil {
		a.onRebuild()
	}
}
