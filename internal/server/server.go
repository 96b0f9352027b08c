// Package server owns HTTP: the chi router, middleware, handlers, error
// pages, headers, conditional requests, the choice of encoding, health,
// readiness, metrics and the revalidation API. It never sees goldmark, YAML
// or templ internals: pages come from the page package, stored by the cache.
//
// One place decides per request how a page is delivered: [Server.deliver]
// resolves the path once (page.Resolve) and, by the route's mode, takes its
// bytes from the cache (SSG, ISR) or streams a render for this request
// (SSR, preview). The cache and the [Renderer] it renders through are made
// by the caller and passed in; the Renderer is the one place that decides
// what a render reads again first.
package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/images"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
)

// Config holds the server's plain settings.
type Config struct {
	BaseURL         string // absolute; https turns on Strict-Transport-Security
	RevalidateToken string // empty disables POST /api/revalidate
	PreviewToken    string // empty disables draft preview
	TrustedProxies  []netip.Prefix
	QuietAccess     bool   // no access log line per request (metrics still count them)
	PurgeURL        string // where tag revalidations are purged at the caching proxy; empty for none
	Dev             bool
}

// Deps are the server's collaborators, made by the caller: the cache
// renders through the same Renderer the server streams from, and both count
// into the same Metrics.
type Deps struct {
	Content  *content.Store
	Builder  *page.Builder
	Renderer *Renderer
	Cache    *cache.Store // SSG and ISR pages; its render function is Renderer.Render
	Assets   *assets.Set
	Log      *slog.Logger
	Metrics  *metrics.Metrics     // new ones on Registry if nil
	Registry *prometheus.Registry // served on /metrics; a new one if nil
	Now      func() time.Time     // the clock; time.Now if nil
	Images   *images.Resizer      // resizes images for /_img; a default one if nil
}

// Server serves the site.
type Server struct {
	cfg         Config
	content     *content.Store
	builder     *page.Builder
	assets      *assets.Set
	images      *images.Resizer
	log         *slog.Logger
	registry    *prometheus.Registry
	metrics     *metrics.Metrics
	httpMetrics *httpMetrics
	now         func() time.Time
	cache       *cache.Store
	renderer    *Renderer

	csp       atomic.Pointer[csp]
	pages     memo[page.Page, representation]
	assetReps memo[assets.Asset, representation]
	ready     atomic.Bool
	draining  atomic.Bool // shutting down: every answer closes its connection
	notFound  atomic.Pointer[page.Page]

	guesses   *guessLimiter                                                                   // wrong tokens, per client
	devEvents *broker                                                                         // dev mode only: tells open tabs to reload
	slowSlots chan struct{}                                                                   // one per request waiting on ?delay= (maxSlowData)
	holes     func(ctx context.Context, w io.Writer, name string, req page.HoleRequest) error // page.RenderHole; tests make one fail
	holesOK   sync.Map                                                                        // hole name → its counter of successes
	router    atomic.Pointer[chi.Mux]
}

// New returns a Server. Call [Server.Prerender] before it is ready.
func New(cfg Config, d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Images == nil {
		d.Images = images.NewResizer(images.Config{})
	}
	if d.Cache == nil || d.Renderer == nil {
		panic("server.New: Cache and Renderer are required")
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Metrics == nil {
		d.Metrics = metrics.New(d.Registry)
	}
	s := &Server{
		cfg: cfg, content: d.Content, builder: d.Builder, assets: d.Assets, images: d.Images, log: d.Log,
		registry: d.Registry, metrics: d.Metrics, now: d.Now, cache: d.Cache, renderer: d.Renderer,
		devEvents: newBroker(), guesses: newGuessLimiter(10*time.Second, 5),
		slowSlots: make(chan struct{}, maxSlowData), holes: page.RenderHole,
	}
	s.httpMetrics = &httpMetrics{m: s.metrics, byLabels: map[httpLabels]httpCollectors{}}
	return s
}

// Drain makes every answer from now on close its connection
// (Connection: close), so that clients that keep connections alive move
// away one finished request at a time instead of losing one when the server
// closes the connection under them.
func (s *Server) Drain() { s.draining.Store(true) }

// SetReady sets what /readyz answers; shutdown turns it off first.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Close stops background regenerations and waits for them.
func (s *Server) Close() { s.cache.Close() }

// Prerender renders every SSG and ISR route of the current site on all cores
// and stores the pages; then the server reports ready. In dev mode it is
// called again after content changes.
func (s *Server) Prerender(ctx context.Context) error {
	site := s.content.Site()
	now := s.now()
	pages, err := s.RenderRoutes(ctx, site, append(page.Routes(site), page.Parts(site)...), now)
	if err != nil {
		return fmt.Errorf("prerender: %w", err)
	}
	if err := s.install(ctx, pages, nil); err != nil {
		return err
	}
	s.log.Info("pages rendered", "pages", len(pages), "duration", time.Since(now))
	return nil
}

// RenderRoutes renders routes of site at time now on every core, each
// counted and compacted as the server's own renders are.
func (s *Server) RenderRoutes(ctx context.Context, site *content.Site, routes []page.Route, now time.Time) ([]*page.Page, error) {
	pages := make([]*page.Page, len(routes))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, rt := range routes {
		g.Go(func() (err error) {
			pages[i], err = s.renderer.build(gctx, site, rt, now)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return pages, nil
}

// Seed stores pages rendered earlier — read back from a static export by
// `serve --prebuilt` — instead of rendering them, and reports ready, as
// [Server.Prerender] does after rendering. The pages are served as if this
// server had rendered them at their Generated time: SSG pages until the next
// rebuild, ISR pages regenerated as usual once their interval has passed.
// notFound is the 404 page; if it is nil it is rendered now.
func (s *Server) Seed(ctx context.Context, pages []*page.Page, notFound *page.Page) error {
	start := time.Now()
	if err := s.install(ctx, pages, notFound); err != nil {
		return err
	}
	s.log.Info("pages seeded from a static export", "pages", len(pages), "duration", time.Since(start))
	return nil
}

// install makes pages (and the 404 page, rendered now if nil) what the
// server serves, and reports ready: the end of every start and rebuild.
func (s *Server) install(ctx context.Context, pages []*page.Page, notFound *page.Page) error {
	if notFound == nil {
		var err error
		if notFound, err = s.builder.NotFound(ctx, s.content.Site(), s.now()); err != nil {
			return err
		}
	}
	for i, p := range pages {
		pages[i] = p.Compact()
	}
	s.cache.Replace(pages)
	s.renderer.setPrebuilt(pages)
	s.notFound.Store(notFound)
	s.ready.Store(true)
	return nil
}

// Handler returns the router with its middleware.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	// Order matters; each middleware says why it sits where it does.
	r.Use(s.closeWhenDraining)
	r.Use(requestID)
	r.Use(s.accessLog)
	r.Use(s.recoverer)
	r.Use(s.securityHeaders)
	r.Use(s.limitURI)
	r.Use(s.canonicalPaths)
	r.Use(middleware.GetHead) // HEAD is answered by the GET route, without a body

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/metrics", noStore(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})))

	r.Get("/", s.handle(s.deliver))
	r.Get("/tags", s.handle(s.deliver))
	r.Get("/tags/*", s.handle(s.deliver))
	r.Get("/page/*", s.handle(s.deliver))
	r.Get("/authors", s.handle(s.deliver))
	r.Get("/authors/*", s.handle(s.deliver))
	r.Get("/archive", s.handle(s.deliver))
	r.Get("/archive/*", s.handle(s.deliver))
	r.Get("/search", s.handle(s.deliver))
	r.Get("/lab", s.handle(s.deliver))
	r.Get("/feed.xml", s.handle(s.deliver))
	r.Get("/sitemap.xml", s.handle(s.deliver))
	r.Get("/sitemaps/{n}", s.handle(s.deliver))
	r.Get("/robots.txt", s.handle(s.deliver))
	r.Get("/og/*", s.handle(s.deliver))
	r.Get("/_parts/*", s.handle(s.deliver))
	r.Get("/_holes/*", s.handle(s.hole))
	r.Get("/articles/*", s.handle(s.article))
	r.Get("/static/{name}", s.handle(s.static))
	r.Get("/_img/*", s.handle(s.image))

	r.Get("/api/articles", s.handle(s.apiArticles))
	r.Get("/api/articles/*", s.handle(s.apiArticle))
	r.Get("/api/search", s.handle(s.apiSearch))
	r.Post("/api/revalidate", s.handle(s.revalidate))
	r.Get("/api/preview", s.handle(s.previewEnter))
	r.Get("/api/preview/exit", s.handle(s.previewExit))
	r.Post("/api/theme", s.handle(s.setTheme))
	if s.cfg.Dev {
		r.Get("/_dev/events", s.devStream)
		r.Get("/_dev/reload.js", devScript)
	}

	r.NotFound(s.handle(s.notFoundOrAlias))
	r.MethodNotAllowed(s.methodNotAllowed)
	s.router.Store(r) // the lab fetches through it
	return r
}

var errNotFound = content.ErrNotFound

// notFoundOrAlias redirects an old path listed in an article's aliases, and
// answers 404 for anything else.
func (s *Server) notFoundOrAlias(w http.ResponseWriter, r *http.Request) error {
	if to, ok := s.content.Site().Alias(r.URL.Path); ok {
		return s.redirect(w, r, to)
	}
	return errNotFound
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz answers 503 until every SSG page has been rendered.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !s.ready.Load() {
		http.Error(w, "rendering pages", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// noStore marks the answers of h as kept by no cache: metrics describe
// one process at one moment.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Cache-Control"] = cacheError
		h.ServeHTTP(w, r)
	})
}
