package page

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/web"
)

// Config holds the plain settings of a [Builder].
type Config struct {
	BaseURL string // absolute, e.g. https://renderwise.example; canonical URLs start here
	Dev     bool   // include the live-reload script
}

// Builder renders pages. It is safe for concurrent use.
type Builder struct {
	cfg      Config
	assets   *assets.Set
	search   *searcher
	devError atomic.Pointer[string]
	ssr      ssrShells
}

// SetDevError sets the content problems shown on every page in dev mode;
// an empty string clears them.
func (b *Builder) SetDevError(msg string) { b.devError.Store(&msg) }

// NewBuilder returns a Builder that links assets from set.
func NewBuilder(cfg Config, set *assets.Set) *Builder {
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	return &Builder{cfg: cfg, assets: set, search: &searcher{}}
}

// Explainer returns the path of the article that explains a rendering
// mode, which the delivery panel links to when the site has it.
func Explainer(m content.Mode) string { return explain[m] }

// explain names the article that explains each mode.
var explain = map[content.Mode]string{
	content.SSG: "/articles/rendering/ssg",
	content.ISR: "/articles/rendering/isr",
	content.SSR: "/articles/rendering/ssr",
	content.PPR: "/articles/rendering/ppr",
}

// Build renders a pre-rendered (SSG or ISR) route at time now.
func (b *Builder) Build(ctx context.Context, site *content.Site, rt Route, now time.Time) (*Page, error) {
	if rt.Mode == content.SSR {
		return nil, fmt.Errorf("build %s: an SSR route is streamed, not built", rt.Path)
	}
	p := &Page{Route: rt.Path, Mode: rt.Mode, Generated: now.UTC(), Revalidate: rt.Revalidate}
	in := inputs{}
	defer func() { p.Tags = in.sorted() }()
	switch rt.Kind {
	case KindImage:
		return b.image(site, rt, p, in)
	case KindFeed, KindSitemap, KindSitemapPart, KindRobots:
		return b.document(site, rt, p, in)
	case KindPart:
		return b.part(ctx, site, rt, p, in)
	}
	in.add(listExplainer) // the delivery panel links to the article on its mode
	c, modified := b.component(site, rt, b.delivery(site, rt.Mode, now, rt.Revalidate, nil), false, in)
	p.Modified = modified
	if rt.Mode != content.PPR {
		return render(ctx, c, p)
	}
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		return nil, fmt.Errorf("render %s: %w", rt.Path, err)
	}
	shell, err := cutShell(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", rt.Path, err)
	}
	p.Shell = shell
	// The body without its holes: what a reader who gets no holes (HEAD,
	// a 304 never happens: PPR answers are not cached) would see.
	return finish(p, bytes.Join(shell.Pieces, nil)), nil
}

// Request is what a render for one request knows of it.
type Request struct {
	Query   string    // the search query, for /search
	Lab     *Lab      // the measurements the server took, for /lab
	Start   time.Time // when the request arrived
	Preview bool      // draft preview: drafts are visible and a banner says so
}

// Stream renders a route for one request straight to w: SSR routes, and
// every HTML route in draft preview. The layout flushes the head before the
// body is rendered when w can flush.
func (b *Builder) Stream(ctx context.Context, w io.Writer, site *content.Site, rt Route, req Request) error {
	if (rt.Mode != content.SSR && !req.Preview) || !rt.HTML() {
		return fmt.Errorf("stream %s: %w", rt.Path, ErrNotFound)
	}
	elapsed := func() string { return formatDuration(time.Since(req.Start)) }
	d := b.delivery(site, content.SSR, req.Start, 0, elapsed)
	var c templ.Component
	switch rt.Kind {
	case KindSearch:
		c = b.searchPage(site, req.Query, d, req.Preview)
	case KindLab:
		c = b.labPage(site, req.Lab, d)
	default:
		c, _ = b.component(site, rt, d, req.Preview, inputs{})
	}
	return c.Render(ctx, w)
}

// NotFound renders the 404 page.
func (b *Builder) NotFound(ctx context.Context, site *content.Site, now time.Time) (*Page, error) {
	v := web.ErrorView{
		Meta:    b.meta(site, "Page not found", "There is no page at this address.", "", b.delivery(site, content.SSG, now, 0, nil)),
		Status:  http.StatusNotFound,
		Heading: "Page not found",
		Message: "There is no page at this address. It may have moved, or the link may have a typo.",
	}
	v.NoIndex = true
	return render(ctx, web.ErrorPage(v), &Page{Route: "/404", Status: http.StatusNotFound, Mode: content.SSG, Generated: now.UTC(), Tags: []string{listExplainer}})
}

// ErrorPage renders the page of an error answer (400, 405, 500 …) for one
// request: heading and message for the reader, and the request ID to quote.
// It is never cached.
func (b *Builder) ErrorPage(ctx context.Context, w io.Writer, site *content.Site, e ErrorInfo, now time.Time) error {
	heading, message := e.Heading, e.Message
	if e.Status == http.StatusInternalServerError {
		heading = "Something went wrong"
		message = "The server could not render this page. The error has been logged; please try again in a moment."
	}
	v := web.ErrorView{
		Meta:      b.meta(site, heading, message, "", b.delivery(site, content.SSR, now, 0, nil)),
		Status:    e.Status,
		Heading:   heading,
		Message:   message,
		RequestID: e.RequestID,
	}
	v.NoIndex = true
	return web.ErrorPage(v).Render(ctx, w)
}

// ErrorInfo is what an error page says. For a 500 the heading and message
// are always the same, so that no internal detail reaches the reader.
type ErrorInfo struct {
	Status    int
	Heading   string // e.g. "Bad request"
	Message   string // what was wrong with the request, for the reader
	RequestID string
}

// component returns the page component for a route and the date its
// content last changed.
func (b *Builder) component(site *content.Site, rt Route, d web.Delivery, preview bool, in inputs) (templ.Component, time.Time) {
	m := func(title, description string) web.Meta {
		m := b.meta(site, title, description, rt.Path, d)
		m.Preview = preview
		m.NoIndex = m.NoIndex || preview // a preview shows drafts: never for search engines
		return m
	}
	switch rt.Kind {
	case KindHome:
		return b.home(site, rt, m, in)
	case KindTags:
		return b.tags(site, m, in)
	case KindTag:
		return b.tag(site, rt, m, in)
	case KindAuthors:
		return b.authors(site, m, in)
	case KindAuthor:
		return b.author(site, rt, m, in)
	case KindArchive:
		return b.archive(site, m, in)
	case KindYear:
		return b.year(site, rt, m, in)
	}
	return b.article(site, rt.Article, m, in), rt.Article.Modified()
}

func (b *Builder) delivery(site *content.Site, mode content.Mode, now time.Time, revalidate time.Duration, elapsed func() string) web.Delivery {
	now = now.UTC()
	d := web.Delivery{
		Mode:         string(mode),
		GeneratedAt:  now.Format("2006-01-02 15:04:05 UTC"),
		GeneratedISO: now.Format(time.RFC3339),
		RenderedIn:   elapsed,
	}
	if mode == content.ISR {
		d.Revalidate = interval(revalidate)
		d.RevalidateSeconds = int(revalidate.Round(time.Second) / time.Second)
		stale := now.Add(revalidate)
		d.StaleAt, d.StaleISO = stale.Format("15:04:05 UTC"), stale.Format(time.RFC3339)
	}
	if u := explain[mode]; u != "" {
		if _, ok := site.Article(u); ok {
			d.ExplainURL = u
		}
	}
	return d
}

func formatDuration(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%d µs", d.Microseconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
