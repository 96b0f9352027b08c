// Package server owns HTTP: the chi router, middleware, handlers, error
// pages, headers, conditional requests, the choice of encoding, health,
// readiness, metrics and the revalidation API. It never sees goldmark, YAML
// or templ internals: pages come from the page package, stored by the cache.
//
// One place decides per request how a page is delivered: [Server.deliver]
// picks the mode of a route and whether its bytes come from the cache (SSG,
// ISR) or from a render streamed for this request (SSR).
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
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
	QuietAccess     bool // no access log line per request (metrics still count them)
	Dev             bool
}

// Deps are the server's collaborators.
type Deps struct {
	Content  *content.Store
	Builder  *page.Builder
	Assets   *assets.Set
	Log      *slog.Logger
	Registry *prometheus.Registry // metrics are registered here and served on /metrics
	Now      func() time.Time     // the clock; time.Now if nil
	Shared   cache.Shared         // optional: a page store shared with other replicas
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

	csp       atomic.Pointer[csp]
	pages     memo[page.Page, representation]
	assetReps memo[assets.Asset, representation]
	ready     atomic.Bool
	draining  atomic.Bool // shutting down: every answer closes its connection
	notFound  atomic.Pointer[page.Page]

	guesses *guessLimiter // wrong tokens, per client

	mu        sync.RWMutex
	prebuilt  map[string]bool // SSG routes rendered by the last Prerender
	devEvents *broker         // dev mode only: tells open tabs to reload
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
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		cfg: cfg, content: d.Content, builder: d.Builder, assets: d.Assets, images: d.Images, log: d.Log,
		registry: d.Registry, metrics: metrics.New(d.Registry), now: d.Now,
		prebuilt: map[string]bool{}, devEvents: newBroker(),
		guesses: newGuessLimiter(10*time.Second, 5),
	}
	s.httpMetrics = &httpMetrics{m: s.metrics, byLabels: map[httpLabels]httpCollectors{}}
	s.cache = cache.New(cache.Config{Render: s.render, Now: d.Now, Log: d.Log, Metrics: s.metrics, Shared: d.Shared})
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

// Cache returns the page cache, for tests and the export.
func (s *Server) Cache() *cache.Store { return s.cache }

// Prerender renders every SSG and ISR route of the current site on all cores
// and stores the pages; then the server reports ready. In dev mode it is
// called again after content changes.
func (s *Server) Prerender(ctx context.Context) error {
	site := s.content.Site()
	now := s.now()
	routes := page.Routes(site)
	pages := make([]*page.Page, len(routes))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, route := range routes {
		g.Go(func() (err error) {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("render %s: panic: %v", route, v)
				}
			}()
			start := time.Now()
			p, err := s.builder.Build(gctx, site, route, now)
			if err != nil {
				return err
			}
			s.observeRender(p.Mode, time.Since(start))
			pages[i] = p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("prerender: %w", err)
	}
	nf, err := s.builder.NotFound(ctx, site, now)
	if err != nil {
		return err
	}
	prebuilt := make(map[string]bool, len(pages))
	for _, p := range pages {
		prebuilt[p.Route] = p.Mode == content.SSG
	}
	s.cache.Replace(pages)
	s.mu.Lock()
	s.prebuilt = prebuilt
	s.mu.Unlock()
	s.notFound.Store(nf)
	s.ready.Store(true)
	s.log.Info("pages rendered", "pages", len(pages), "duration", time.Since(now))
	return nil
}

// render is the cache's render function: it re-reads the source of the
// route first, so edits, new files and deleted files show up, then builds
// the page. An SSG article that was not rendered at start is not found until
// the next rebuild (DESIGN.md §4).
func (s *Server) render(ctx context.Context, route string) (*page.Page, error) {
	switch {
	case strings.HasPrefix(route, "/articles/"):
		if _, err := s.content.Refresh(route); err != nil {
			return nil, err
		}
	case strings.HasPrefix(route, "/og/"):
		// preview images follow the site as it is
	default:
		probs, err := s.content.Reload()
		if err != nil {
			return nil, err
		}
		for _, p := range probs {
			s.log.Warn("content problem; keeping the last good version", "file", p.File, "line", p.Line, "err", p.Msg)
		}
	}
	site := s.content.Site()
	mode, _, ok := page.Mode(site, route)
	if ok && mode == content.SSG && strings.HasPrefix(route, "/articles/") {
		s.mu.RLock()
		ok = s.prebuilt[route]
		s.mu.RUnlock()
	}
	if !ok {
		return nil, fmt.Errorf("render %s: %w", route, content.ErrNotFound)
	}
	start := time.Now()
	p, err := s.builder.Build(ctx, site, route, s.now())
	if err != nil {
		return nil, err
	}
	s.observeRender(p.Mode, time.Since(start))
	return p, nil
}

func (s *Server) observeRender(mode content.Mode, d time.Duration) {
	s.metrics.Renders.WithLabelValues(string(mode)).Inc()
	s.metrics.RenderSeconds.WithLabelValues(string(mode)).Observe(d.Seconds())
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
	r.Get("/tags/{tag}", s.handle(s.deliver))
	r.Get("/search", s.handle(s.deliver))
	r.Get("/feed.xml", s.handle(s.deliver))
	r.Get("/sitemap.xml", s.handle(s.deliver))
	r.Get("/sitemaps/{n}", s.handle(s.deliver))
	r.Get("/robots.txt", s.handle(s.deliver))
	r.Get("/og/*", s.handle(s.deliver))
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
