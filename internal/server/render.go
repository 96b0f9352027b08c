package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
)

// Renderer renders pages of the content as it is now: the render function
// of the page cache ([cache.Config.Render]) and the source of streamed
// pages. It is the one place that decides what a render reads again before
// it starts ([Renderer.Site]).
type Renderer struct {
	content *content.Store
	builder *page.Builder
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics

	// prebuilt holds the SSG article routes rendered at the last start or
	// rebuild: an SSG article that appeared since is not found until the
	// next one (DESIGN.md §4).
	prebuilt atomic.Pointer[map[string]bool]
}

// NewRenderer returns a Renderer over the content of store. Renders are
// counted in m unless it is nil.
func NewRenderer(store *content.Store, b *page.Builder, now func() time.Time, log *slog.Logger, m *metrics.Metrics) *Renderer {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Renderer{content: store, builder: b, now: now, log: log, metrics: m}
	r.prebuilt.Store(&map[string]bool{})
	return r
}

// Site brings what the page at path reads up to date and returns the
// content as it now is: an article's file is read again if it changed
// (appeared, or disappeared: [content.ErrNotFound]); a listing re-reads the
// folder, keeping the last good version of a broken file; a preview image
// follows the site as it is.
func (r *Renderer) Site(path string) (*content.Site, error) {
	switch {
	case strings.HasPrefix(path, "/articles/"):
		if _, err := r.content.Refresh(path); err != nil {
			return nil, err
		}
	case strings.HasPrefix(path, "/og/"):
	default:
		probs, err := r.content.Reload()
		if err != nil {
			return nil, err
		}
		for _, p := range probs {
			r.log.Warn("content problem; keeping the last good version", "file", p.File, "line", p.Line, "err", p.Msg)
		}
	}
	return r.content.Site(), nil
}

// Render renders the page at path as the content now is; it is the cache's
// render function.
func (r *Renderer) Render(ctx context.Context, path string) (*page.Page, error) {
	site, err := r.Site(path)
	if err != nil {
		return nil, err
	}
	rt, ok := page.Resolve(site, path)
	if ok && rt.Mode == content.SSG && rt.Kind == page.KindArticle {
		ok = (*r.prebuilt.Load())[path]
	}
	if !ok {
		return nil, fmt.Errorf("render %s: %w", path, content.ErrNotFound)
	}
	return r.build(ctx, site, rt, r.now())
}

// build renders one route and counts it. The page is compacted: a server
// keeps no plain body it can inflate from gzip ([page.Page.Compact]).
func (r *Renderer) build(ctx context.Context, site *content.Site, rt page.Route, now time.Time) (p *page.Page, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("render %s: panic: %v", rt.Path, v)
		}
	}()
	start := time.Now()
	if p, err = r.builder.Build(ctx, site, rt, now); err != nil {
		return nil, err
	}
	r.observe(p.Mode, time.Since(start))
	return p.Compact(), nil
}

func (r *Renderer) observe(mode content.Mode, d time.Duration) {
	if r.metrics == nil {
		return
	}
	r.metrics.Renders.WithLabelValues(string(mode)).Inc()
	r.metrics.RenderSeconds.WithLabelValues(string(mode)).Observe(d.Seconds())
}

// setPrebuilt records the pages rendered or loaded at a start or rebuild.
func (r *Renderer) setPrebuilt(pages []*page.Page) {
	m := make(map[string]bool, len(pages))
	for _, p := range pages {
		m[p.Route] = p.Mode == content.SSG
	}
	r.prebuilt.Store(&m)
}
