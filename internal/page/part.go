package page

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/web"
)

// Cached parts (DESIGN.md §7): the middle lifetime of a page made of
// parts, between its static shell and its holes, like a component with
// 'use cache', cacheLife and cacheTag in Next.js 16. A part is rendered on
// its own, under /_parts/{name}, and kept in the page cache like an ISR
// page: its own interval, its own cache tags, stale served at once while it
// is regenerated once, the last good one kept when a render fails. A PPR
// page puts it where its mark is ([web.Part]) for every request; with ESI,
// the edge caches it by the same rules.
const (
	PartNewest = "newest" // the newest articles of the site
)

// PartRevalidate is how long a cached part stays fresh.
const PartRevalidate = time.Minute

// partNames are the parts there are.
var partNames = []string{PartNewest}

// PartPath is the route of the cached part name.
func PartPath(name string) string { return "/_parts/" + name }

// PartTitle is what the delivery panel calls a part.
func PartTitle(name string) string {
	switch name {
	case PartNewest:
		return "Newest on this site"
	}
	return name
}

// partRoute resolves /_parts/{name}.
func partRoute(path string) (Route, bool) {
	name := strings.TrimPrefix(path, "/_parts/")
	for _, n := range partNames {
		if n == name {
			return Route{Path: path, Kind: KindPart, Mode: content.ISR, Revalidate: PartRevalidate, Name: name}, true
		}
	}
	return Route{}, false
}

// Parts returns the routes of the cached parts the site's pages use: they
// are rendered with the pages, before the server is ready.
func Parts(site *content.Site) []Route {
	for _, a := range site.Articles() {
		if a.Render == content.PPR {
			r, _ := partRoute(PartPath(PartNewest))
			return []Route{r}
		}
	}
	return nil
}

// part renders a cached part: an HTML fragment that is also its own
// shell, so that a PPR page stitches its compressed bytes in as they are.
func (b *Builder) part(ctx context.Context, site *content.Site, rt Route, p *Page, in inputs) (*Page, error) {
	var buf bytes.Buffer
	switch rt.Name {
	case PartNewest:
		in.add(listLatest)
		if err := web.NewestPart(in.cards(latest(site))).Render(ctx, &buf); err != nil {
			return nil, fmt.Errorf("render %s: %w", rt.Path, err)
		}
	default:
		return nil, fmt.Errorf("render %s: no part named %q", rt.Path, rt.Name)
	}
	body := buf.Bytes()
	p.Shell = &Shell{Pieces: [][]byte{body}, Gzip: []compress.Piece{compress.NewPiece(body)}}
	return finish(p, body), nil
}
