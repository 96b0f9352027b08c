package server

import (
	"context"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Seed stores pages rendered earlier — read back from a static export by
// `serve --prebuilt` — instead of rendering them, and reports ready, as
// [Server.Prerender] does after rendering. The pages are served as if this
// server had rendered them at their Generated time: SSG pages until the next
// rebuild, ISR pages regenerated as usual once their interval has passed.
// notFound is the 404 page; if it is nil it is rendered now.
func (s *Server) Seed(ctx context.Context, pages []*page.Page, notFound *page.Page) error {
	if notFound == nil {
		var err error
		if notFound, err = s.builder.NotFound(ctx, s.content.Site(), s.now()); err != nil {
			return err
		}
	}
	prebuilt := make(map[string]bool, len(pages))
	for _, p := range pages {
		prebuilt[p.Route] = p.Mode == content.SSG
	}
	start := time.Now()
	s.cache.Replace(pages)
	s.mu.Lock()
	s.prebuilt = prebuilt
	s.mu.Unlock()
	s.notFound.Store(notFound)
	s.ready.Store(true)
	s.log.Info("pages seeded from a static export", "pages", len(pages), "duration", time.Since(start))
	return nil
}
