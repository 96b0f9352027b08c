package page

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/renderwise/renderwise/internal/content"
)

// An SSR article depends on the request in two places only: the sentence
// of its delivery panel that says when it was rendered, and the time at
// its foot. Everything else depends on the content — the article's file as
// it is at the request, which the server checks first, and the site around
// it — and is the same for every request until that changes. So, as the
// Markdown of an article is converted once per version of its file, the
// HTML around the two holes is rendered once per version of the site,
// cut at the holes and compressed once ([Builder.SSRShell]); each request
// renders its two holes and joins them in (DESIGN.md §7: "a PPR or SSR
// response compresses only what is new for the request").
const (
	HoleRendered = "rendered" // the delivery panel: rendered for you at …
	HoleTook     = "took"     // the foot of the page: how long the server took
)

// maxSSRShells bounds the shells kept: one per SSR article requested, so a
// site of many SSR articles cannot grow them without limit.
const maxSSRShells = 1024

// ssrShells keeps the shell of each SSR article requested, with the site
// it was rendered from.
type ssrShells struct {
	mu sync.Mutex
	m  map[string]ssrShell
}

type ssrShell struct {
	site  *content.Site
	shell *Shell
}

// SSRShell returns the shell of the SSR article rt as site shows it: kept
// from an earlier request while the site is the same, else rendered now.
func (b *Builder) SSRShell(ctx context.Context, site *content.Site, rt Route) (*Shell, error) {
	if rt.Kind != KindArticle || rt.Mode != content.SSR {
		return nil, fmt.Errorf("ssr shell %s: not an SSR article", rt.Path)
	}
	b.ssr.mu.Lock()
	kept, ok := b.ssr.m[rt.Path]
	b.ssr.mu.Unlock()
	if ok && kept.site == site {
		return kept.shell, nil
	}
	d := b.delivery(site, content.SSR, time.Time{}, 0, nil) // the times are holes
	d.Holes = true
	c, _ := b.component(site, rt, d, false, inputs{})
	var buf bytes.Buffer
	buf.Grow(48 << 10)
	if err := c.Render(ctx, &buf); err != nil {
		return nil, fmt.Errorf("render %s: %w", rt.Path, err)
	}
	shell, err := cutShell(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", rt.Path, err)
	}
	b.ssr.mu.Lock()
	if b.ssr.m == nil || len(b.ssr.m) >= maxSSRShells {
		b.ssr.m = map[string]ssrShell{} // rare: start again rather than track use
	}
	b.ssr.m[rt.Path] = ssrShell{site, shell}
	b.ssr.mu.Unlock()
	return shell, nil
}
