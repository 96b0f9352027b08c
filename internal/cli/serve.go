package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/server"
	"github.com/renderwise/renderwise/static"
)

// ServeConfig is the validated configuration of the serve command.
type ServeConfig struct {
	Addr            string
	Content         string // folder; empty for the embedded articles
	BaseURL         string
	Dev             bool
	LogFormat       string // "json" or "text"; text by default with --dev
	Drain           time.Duration
	RevalidateToken string // from RENDERWISE_REVALIDATE_TOKEN only
}

func parseServe(args []string, stderr io.Writer) (ServeConfig, error) {
	fset := newFlagSet("serve", "Serve the site. SSG pages are rendered before /readyz reports ready.", stderr)
	var c ServeConfig
	fset.StringVar(&c.Addr, "addr", ":8080", "address to listen on")
	fset.StringVar(&c.Content, "content", "", "folder of Markdown articles (default: the embedded articles)")
	fset.StringVar(&c.BaseURL, "base-url", "http://localhost:8080", "absolute URL the site is reached at; canonical URLs, feeds and previews use it")
	fset.BoolVar(&c.Dev, "dev", false, "development mode: watch --content, rebuild on change, reload open tabs")
	fset.StringVar(&c.LogFormat, "log-format", "", `log format: "json" or "text" (default: text with --dev, json otherwise)`)
	fset.DurationVar(&c.Drain, "drain", 10*time.Second, "how long to let in-flight requests finish on shutdown")
	if err := parse(fset, args); err != nil {
		return c, err
	}
	if err := validBaseURL(c.BaseURL); err != nil {
		return c, err
	}
	if c.LogFormat != "" && c.LogFormat != "json" && c.LogFormat != "text" {
		return c, fmt.Errorf(`%w: --log-format must be "json" or "text", not %q`, ErrUsage, c.LogFormat)
	}
	if c.Dev && c.Content == "" {
		return c, fmt.Errorf("%w: --dev watches a folder: give it with --content DIR", ErrUsage)
	}
	c.RevalidateToken = os.Getenv("RENDERWISE_REVALIDATE_TOKEN")
	return c, nil
}

// Serve runs the site until ctx is done. If ln is nil it listens on
// cfg.Addr; tests pass a listener on 127.0.0.1:0. Logs go to logw.
func Serve(ctx context.Context, cfg ServeConfig, ln net.Listener, logw io.Writer) error {
	log := newLogger(logw, cfg.LogFormat, cfg.Dev)
	fsys, err := contentFS(cfg.Content)
	if err != nil {
		return err
	}
	site, err := content.Load(fsys)
	if err != nil {
		return fmt.Errorf("load articles:\n%w", err)
	}
	set, err := assets.New(static.FS)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	store := content.NewStore(fsys, site)
	builder := page.NewBuilder(page.Config{BaseURL: cfg.BaseURL, Dev: cfg.Dev}, set)
	srv := server.New(server.Config{BaseURL: cfg.BaseURL, RevalidateToken: cfg.RevalidateToken, Dev: cfg.Dev},
		server.Deps{Content: store, Builder: builder, Assets: set, Log: log, Registry: reg})
	defer srv.Close()

	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // long enough for a streamed SSR page
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "content", contentName(cfg.Content),
		"articles", len(site.All()), "dev", cfg.Dev, "revalidate_api", cfg.RevalidateToken != "")

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if err := srv.Prerender(ctx); err != nil {
		hs.Close()
		return err
	}
	if cfg.Dev {
		go watch(ctx, cfg.Content, store, builder, srv, log)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "drain", cfg.Drain)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Drain)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func contentName(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir
}
