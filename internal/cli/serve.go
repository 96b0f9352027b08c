package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/export"
	"github.com/renderwise/renderwise/internal/metrics"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/rendercode"
	"github.com/renderwise/renderwise/internal/server"
	"github.com/renderwise/renderwise/internal/shared"
	"github.com/renderwise/renderwise/static"
)

// ServeConfig is the validated configuration of the serve command.
type ServeConfig struct {
	Addr            string
	Content         string // folder; empty for the embedded articles
	Static          string // folder of assets; empty for the embedded ones
	BaseURL         string
	Dev             bool
	LogFormat       string // "json" or "text"; text by default with --dev
	QuietAccess     bool
	Drain           time.Duration
	ShutdownDelay   time.Duration // how long /readyz says 503 before connections are drained
	DebugAddr       string        // pprof listener; empty for none
	RevalidateToken string        // from RENDERWISE_REVALIDATE_TOKEN only
	PreviewToken    string        // from RENDERWISE_PREVIEW_TOKEN only
	TrustedProxies  []netip.Prefix
	Prebuilt        string // a static export to start from; empty renders every page
	Redis           string // URL of a Redis shared by replicas; empty keeps pages in memory only
	PurgeURL        string // the caching proxy's purge endpoint; empty for none
	// CacheDir is the root cache folder (--cache-dir): the site's export
	// there is started from and brought up to date once the server is
	// ready. Empty for none; parseServe leaves it empty with --dev and
	// --prebuilt.
	CacheDir string

	cacheFlag         cacheFlag        // --cache-dir as given
	cacheNote         string           // why a --cache-dir given is not used
	cacheErr          error            // why the default cache folder is not used
	now               func() time.Time // the clock; tests set it
	readHeaderTimeout time.Duration    // tests shorten it; 5s otherwise
	readTimeout       time.Duration    // tests shorten it; 10s otherwise
}

func parseServe(args []string, stderr io.Writer) (ServeConfig, error) {
	fset := newFlagSet("serve", "Serve the site. SSG pages are rendered before /readyz reports ready.", stderr)
	var c ServeConfig
	fset.StringVar(&c.Addr, "addr", "", `address to listen on (default ":8080", and "127.0.0.1:8080" with --dev: a dev server shows drafts' errors and reloads, for this machine only)`)
	fset.StringVar(&c.Content, "content", "", "folder of Markdown articles (default: the embedded articles)")
	fset.StringVar(&c.Static, "static", "", "folder of stylesheets and scripts (default: the embedded ones); watched with --dev")
	fset.StringVar(&c.BaseURL, "base-url", "", "absolute URL the site is reached at; canonical URLs, feeds and previews use it (default: site.yaml's base_url, else "+defaultBaseURL+")")
	fset.BoolVar(&c.Dev, "dev", false, "development mode: watch --content, rebuild on change, reload open tabs")
	fset.StringVar(&c.Prebuilt, "prebuilt", "", "start from the static export in this folder (renderwise build --out DIR): its pages are loaded, not rendered")
	fset.Var(&c.cacheFlag, "cache-dir", cacheDirUsage+"; not with --dev or --prebuilt")
	fset.BoolVar(&c.QuietAccess, "quiet-access", false, "no access log line per request (saves a write per request under heavy load; /metrics still counts requests)")
	fset.StringVar(&c.LogFormat, "log-format", "", `log format: "json" or "text" (default: text with --dev, json otherwise)`)
	fset.Func("trusted-proxies", "comma-separated addresses or CIDRs of proxies whose X-Forwarded-For is believed (default: none)", func(v string) error {
		c.TrustedProxies = nil
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			p, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return fmt.Errorf("%q is not an address or CIDR", part)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
		return nil
	})
	fset.StringVar(&c.Redis, "redis", "", "URL of a Redis shared by all replicas, e.g. redis://127.0.0.1:6379/0: one ISR generation and one regeneration per page across them; put a URL with a password in RENDERWISE_REDIS, not on the command line (default: none, pages in memory only)")
	fset.StringVar(&c.PurgeURL, "purge-url", "", "the caching proxy in front (e.g. Varnish with deploy/varnish/default.vcl: http://127.0.0.1:6081/): every tag revalidation is purged there by its tag (default: none)")
	fset.DurationVar(&c.Drain, "drain", 10*time.Second, "how long to let in-flight requests finish on shutdown")
	fset.DurationVar(&c.ShutdownDelay, "shutdown-delay", 0, "on shutdown, how long /readyz answers 503 before the listener closes, so load balancers stop sending (e.g. 5s)")
	fset.StringVar(&c.DebugAddr, "debug-addr", "", "address for pprof (/debug/pprof/), e.g. 127.0.0.1:6060; never the public listener (default: off)")
	if err := parse(fset, args); err != nil {
		return c, err
	}
	if err := validBaseURL(c.BaseURL); c.BaseURL != "" && err != nil {
		return c, err
	}
	if c.Addr == "" {
		c.Addr = ":8080"
		if c.Dev {
			c.Addr = "127.0.0.1:8080"
		}
	}
	if c.LogFormat != "" && c.LogFormat != "json" && c.LogFormat != "text" {
		return c, fmt.Errorf(`%w: --log-format must be "json" or "text", not %q`, ErrUsage, c.LogFormat)
	}
	if c.Drain <= 0 {
		return c, fmt.Errorf("%w: --drain must be positive, not %s", ErrUsage, c.Drain)
	}
	if c.DebugAddr != "" && c.DebugAddr == c.Addr {
		return c, fmt.Errorf("%w: --debug-addr must differ from --addr: pprof is never served publicly", ErrUsage)
	}
	if c.Dev && c.Prebuilt != "" {
		return c, fmt.Errorf("%w: --dev renders on every change; it does not start from --prebuilt", ErrUsage)
	}
	if c.Dev && c.Content == "" {
		return c, fmt.Errorf("%w: --dev watches a folder: give it with --content DIR", ErrUsage)
	}
	if c.PurgeURL != "" {
		if u, err := url.Parse(c.PurgeURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("%w: --purge-url must be an http or https URL, not %q", ErrUsage, c.PurgeURL)
		}
	}
	if c.Redis != "" {
		if err := shared.CheckURL(c.Redis); err != nil {
			return c, fmt.Errorf("%w: --redis: %v", ErrUsage, err)
		}
	}
	c.CacheDir, c.cacheErr = c.cacheFlag.root(c.Content)
	if c.Dev || c.Prebuilt != "" {
		// --dev renders with the reload script and shows drafts' errors:
		// not pages to keep. --prebuilt names the export to start from.
		if c.CacheDir != "" && c.cacheFlag.set {
			c.cacheNote = "not with --dev"
			if c.Prebuilt != "" {
				c.cacheNote = "--prebuilt takes precedence"
			}
		}
		c.CacheDir, c.cacheErr = "", nil
	}
	c.RevalidateToken = os.Getenv("RENDERWISE_REVALIDATE_TOKEN")
	c.PreviewToken = os.Getenv("RENDERWISE_PREVIEW_TOKEN")
	return c, nil
}

// Serve runs the site until ctx is done. If ln is nil it listens on
// cfg.Addr. Logs go to logw.
func Serve(ctx context.Context, cfg ServeConfig, ln net.Listener, logw io.Writer) error {
	a, err := newApp(cfg, logw)
	if err != nil {
		return err
	}
	defer a.srv.Close()
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
	}
	return a.run(ctx, ln)
}

// app is everything serve wires together.
type app struct {
	cfg       ServeConfig
	log       *slog.Logger
	store     *content.Store
	builder   *page.Builder
	assets    *assets.Set
	srv       *server.Server
	cache     *cache.Store     // SSG and ISR pages, rendered through the server's Renderer
	prebuilt  *export.Prebuilt // --prebuilt: pages read from an export
	folder    *cacheFolder     // --cache-dir: the site's cache folder, nil for none
	metrics   *metrics.Metrics // renders at start are counted as the server counts its own
	shared    *shared.Redis    // --redis: the page store shared by replicas
	onReady   func()           // tests: called once every page is rendered
	onWritten func()           // tests: called when the cache folder's write is over
	onRebuild func()           // tests: called after each dev-mode rebuild
}

func newApp(cfg ServeConfig, logw io.Writer) (_ *app, err error) {
	log := newLogger(logw, cfg.LogFormat, cfg.Dev)
	fsys, err := contentFS(cfg.Content)
	if err != nil {
		return nil, err
	}
	// With --prebuilt, the export's parse cache holds every article it was
	// built from: unchanged files are decoded instead of rendered again, so
	// a large site starts in a fraction of the time. Nothing is written to it.
	// The cache folder's export is read the same way, and written later.
	var parsed content.Cache = noCache{}
	folder := openCacheFolder(cfg, log)
	defer func() {
		if err != nil {
			folder.close()
		}
	}()
	switch {
	case cfg.Prebuilt != "":
		parsed = export.NewParseCache(cfg.Prebuilt, rendercode.Version())
	case folder != nil:
		parsed = folder.parsed
	}
	site, err := content.LoadWith(fsys, content.Options{Cache: parsed, ImageURL: page.ImageURL, Pages: server.Serves})
	if err != nil {
		return nil, fmt.Errorf("load articles:\n%w", err)
	}
	cfg.BaseURL = baseURL(cfg.BaseURL, site)
	staticFS, err := assetFS(cfg.Static)
	if err != nil {
		return nil, err
	}
	set, err := assets.New(staticFS)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a := &app{cfg: cfg, log: log, store: content.NewStore(fsys, site), assets: set}
	a.builder = page.NewBuilder(page.Config{BaseURL: cfg.BaseURL, Dev: cfg.Dev}, set)
	if a.shared, err = newShared(cfg, set, log); err != nil {
		return nil, err
	}
	m := metrics.New(reg)
	renderer := server.NewRenderer(a.store, a.builder, cfg.now, log, m)
	cc := cache.Config{Render: renderer.Render, Now: cfg.now, Log: log, Metrics: m}
	if a.shared != nil {
		cc.Shared = a.shared // only when set: a nil *shared.Redis is not a nil cache.Shared
	}
	a.cache = cache.New(cc)
	deps := server.Deps{Content: a.store, Builder: a.builder, Renderer: renderer, Cache: a.cache, Assets: set, Log: log, Metrics: m, Registry: reg, Now: cfg.now}
	a.srv = server.New(server.Config{BaseURL: cfg.BaseURL, RevalidateToken: cfg.RevalidateToken, PreviewToken: cfg.PreviewToken, TrustedProxies: cfg.TrustedProxies, QuietAccess: cfg.QuietAccess, Dev: cfg.Dev, PurgeURL: cfg.PurgeURL}, deps)
	if cfg.Prebuilt != "" {
		if a.prebuilt, err = readPrebuilt(cfg, site, set); err != nil {
			return nil, err
		}
	}
	if folder != nil {
		folder.read(cfg, site, set, log)
	}
	a.folder, a.metrics = folder, m
	return a, nil
}

// run serves on ln until ctx is done: it accepts connections at once
// (/healthz answers, /readyz says 503), renders every SSG and ISR page, then
// reports ready. On shutdown it lets in-flight requests finish.
func (a *app) run(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           a.srv.Handler(),
		ReadHeaderTimeout: cmp.Or(a.cfg.readHeaderTimeout, 5*time.Second),
		ReadTimeout:       cmp.Or(a.cfg.readTimeout, 10*time.Second),
		WriteTimeout:      60 * time.Second, // long enough for a streamed SSR page
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	var conns atomic.Int64 // open connections, for the drain
	hs.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			conns.Add(-1)
		}
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "base_url", a.cfg.BaseURL, "content", contentName(a.cfg.Content),
		"articles", len(a.store.Site().All()), "dev", a.cfg.Dev, "revalidate_api", a.cfg.RevalidateToken != "", "preview", a.cfg.PreviewToken != "",
		"trusted_proxies", len(a.cfg.TrustedProxies))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	start := a.srv.Prerender
	switch {
	case a.prebuilt != nil:
		start = a.seed
	case a.folder != nil:
		start = a.seedFromCache
		defer a.folder.close() // after the write below is over
	}
	if err := start(ctx); err != nil {
		hs.Close()
		return err
	}
	// The cache folder is written once the server is ready, and the write
	// is stopped and waited for when the server stops for any reason.
	var writing sync.WaitGroup
	wctx, stopWriting := context.WithCancel(ctx)
	defer writing.Wait()
	defer stopWriting()
	if a.folder != nil {
		writing.Go(func() { a.writeCache(wctx) })
	}
	stopShared := a.followShared(ctx)
	defer stopShared()
	if a.cfg.Dev {
		if err := a.watch(ctx); err != nil {
			hs.Close()
			return err
		}
	}
	if a.onReady != nil {
		a.onReady()
	}
	if a.cfg.DebugAddr != "" {
		dbg, err := net.Listen("tcp", a.cfg.DebugAddr)
		if err != nil {
			hs.Close()
			return fmt.Errorf("listen on --debug-addr %s: %w", a.cfg.DebugAddr, err)
		}
		ds := &http.Server{Handler: debugHandler(), ReadHeaderTimeout: 5 * time.Second}
		go ds.Serve(dbg)
		defer ds.Close()
		a.log.Info("pprof", "addr", dbg.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return a.shutdown(hs, ln, &conns)
}

// shutdown stops serving in the order load balancers expect, so that no
// request a client sent fails: stop reporting ready and give them time to
// notice; stop accepting and answer every request from then on with
// Connection: close; let each open connection finish the request it is on (clients
// that keep connections alive get their answer, then open a new one
// elsewhere), closing what is left idle after a short grace; let in-flight
// requests finish; then stop background regenerations. Closing idle
// keep-alive connections at once, as http.Server.Shutdown does, would fail
// the request a busy client is sending on each of them at that moment.
func (a *app) shutdown(hs *http.Server, ln net.Listener, conns *atomic.Int64) error {
	a.srv.SetReady(false)
	a.log.Info("shutting down", "delay", a.cfg.ShutdownDelay, "drain", a.cfg.Drain)
	time.Sleep(a.cfg.ShutdownDelay)
	// Stop accepting before answers say Connection: close, so a client
	// moving away finds the port closed, not a backlog that is reset.
	ln.Close()
	a.srv.Drain()
	grace := time.Now().Add(min(a.cfg.Drain/2, time.Second))
	for conns.Load() > 0 && time.Now().Before(grace) {
		time.Sleep(5 * time.Millisecond)
	}
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.Drain)
	defer cancel()
	err := hs.Shutdown(sctx)
	a.srv.Close()
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	a.log.Info("stopped")
	return nil
}

// debugHandler serves pprof. It is only ever bound to --debug-addr.
func debugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// assetFS returns the embedded assets, or the folder dir on disk.
func assetFS(dir string) (fs.FS, error) {
	if dir == "" {
		return static.FS, nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%w: --static %s: not a readable folder", ErrUsage, dir)
	}
	return os.DirFS(dir), nil
}

func contentName(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir
}

// noCache is the parse cache of a server started without an export.
type noCache struct{}

func (noCache) Get(string) ([]byte, bool) { return nil, false }
func (noCache) Put(string, []byte)        {}
