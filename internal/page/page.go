// Package page turns a route of a content.Site into a [Page]: it fills the
// view model, renders the templ component into a buffer, compresses the body
// once with gzip and brotli and hashes it for an ETag. SSR routes are streamed
// instead with [Builder.Stream]. The package knows nothing of requests,
// caches or the clock: the time is always passed in.
//
// # Routes and modes
//
// A path is resolved once, by [Resolve], into a [Route]: what it shows
// (its [Kind], the article or tag), its mode and lifetime. [Builder.Build],
// [Builder.Stream], the server and the export all take that value.
//
//	/                    home          ISR, every HomeRevalidate
//	/tags, /tags/{t}     tag pages     ISR, every HomeRevalidate
//	/authors, /authors/{key}, /archive, /archive/{year}   ISR, likewise
//	…/page/{n}           later pages of a listing (Route.Part): tags,
//	                     authors, years, and / when site.yaml's home is newest
//	/articles/{path}     article       as its front matter says (SSG by default;
//	                     PPR: the shell built like SSG, holes per request)
//	/search              search        SSR (the answer depends on the query)
//	/feed.xml, /sitemap.xml, /sitemaps/{n}.xml, /robots.txt   ISR, every HomeRevalidate
//	/og/{page}.png       preview image SSG, drawn on first request
package page

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/internal/content"
)

// HomeRevalidate is the regeneration interval of the home and tag pages:
// they list articles, which change rarely.
const HomeRevalidate = 60 * time.Second

// ErrNotFound is returned for a route that names no page.
var ErrNotFound = content.ErrNotFound

// Page is a rendered page with its compressed bodies, ready to be served.
// A Page is never modified after it is built.
type Page struct {
	Route       string
	Status      int
	ContentType string
	Mode        content.Mode
	Body        []byte
	Gzip        []byte
	Brotli      []byte
	ETag        string    // strong, quoted; the hash of Body
	Modified    time.Time // content date, for Last-Modified
	Generated   time.Time
	Revalidate  time.Duration // ISR only
	// Tags are the cache tags of what the render read (see [Digest]),
	// sorted: the page must be rendered again when one of them changes.
	Tags []string
	// Shell is set on a PPR page: its static bytes, cut where the holes
	// rendered per request go ([RenderHole]).
	Shell *Shell
	// Size is len(Body), kept when [Page.Compact] drops the body.
	Size int
}

// Plain returns the plain body of p, inflated from gzip if it was
// compacted.
func (p *Page) Plain() ([]byte, error) {
	if p.Body != nil || p.Gzip == nil {
		return p.Body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.Gzip))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Route, err)
	}
	return io.ReadAll(zr)
}

// Compact returns p without its plain body when it has a gzip one: what a
// server keeps of a page it serves, since nearly every client takes gzip
// or brotli, and the rare one that takes neither can be sent the gzip body
// inflated. It halves what a stored page costs. p is not changed.
func (p *Page) Compact() *Page {
	if p.Body == nil || p.Gzip == nil {
		return p
	}
	c := *p
	c.Size, c.Body = len(p.Body), nil
	return &c
}

// StaleAt is when an ISR page should be regenerated.
func (p *Page) StaleAt() time.Time { return p.Generated.Add(p.Revalidate) }

// render renders c into a new Page and finishes it.
func render(ctx context.Context, c templ.Component, p *Page) (*Page, error) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := c.Render(ctx, &buf); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Route, err)
	}
	return finish(p, buf.Bytes()), nil
}

// finish sets the body of p, compresses it once and hashes it.
func finish(p *Page, body []byte) *Page {
	p.Body, p.Size = body, len(body)
	p.Gzip, p.Brotli = compress.Bodies(body)
	p.ETag = etag(body)
	if p.ContentType == "" {
		p.ContentType = "text/html; charset=utf-8"
	}
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	return p
}

// etag is a strong entity tag for body.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
