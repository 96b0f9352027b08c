package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/export"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/rendercode"
	"github.com/renderwise/renderwise/internal/server"
	"github.com/renderwise/renderwise/static"
)

// BuildConfig is the validated configuration of the build command.
type BuildConfig struct {
	Content string // folder; empty for the embedded articles
	Out     string
	BaseURL string
	Now     time.Time // SOURCE_DATE_EPOCH, or the time the build started
	// CacheDir is the root cache folder (--cache-dir): outputs and parsed
	// articles are taken from the site's export there when Out has none,
	// and a clean build leaves a copy of its export there. Empty for none.
	CacheDir string
	cacheErr error // why the default cache folder is not used
}

func parseBuild(args []string, stderr io.Writer) (BuildConfig, error) {
	fset := newFlagSet("build", "Export every SSG and ISR page, preview image, asset, feed and sitemap as static files.\n"+
		"Pages show the build time: SOURCE_DATE_EPOCH if set (reproducible builds), else now.\n"+
		"Building into an existing export renders only what changed since it was built.", stderr)
	var c BuildConfig
	fset.StringVar(&c.Content, "content", "", "folder of Markdown articles (default: the embedded articles)")
	fset.StringVar(&c.Out, "out", "dist", "folder to write; replaced as a whole when the build succeeds")
	fset.StringVar(&c.BaseURL, "base-url", "", "absolute URL the site will be reached at; canonical URLs, feeds and sitemaps use it (default: site.yaml's base_url, else "+defaultBaseURL+")")
	var cache cacheFlag
	fset.Var(&cache, "cache-dir", cacheDirUsage)
	if err := parse(fset, args); err != nil {
		return c, err
	}
	c.CacheDir, c.cacheErr = cache.root(c.Content)
	if err := validBaseURL(c.BaseURL); c.BaseURL != "" && err != nil {
		return c, err
	}
	if strings.TrimSpace(c.Out) == "" {
		return c, fmt.Errorf("%w: --out must name a folder", ErrUsage)
	}
	c.Now = time.Now()
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil || sec < 0 {
			return c, fmt.Errorf("%w: SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", ErrUsage, v)
		}
		c.Now = time.Unix(sec, 0)
	}
	c.Now = c.Now.UTC().Truncate(time.Second)
	return c, nil
}

// build runs the build command.
func build(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseBuild(args, stderr)
	if err != nil {
		return err
	}
	// Every parsed article stays in memory for the whole build (about 190 MB
	// live for 10,000 generated articles); a soft limit keeps the peak under
	// the 1 GB budget by collecting more often only when the heap nears it.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(768 << 20))

	start := time.Now()
	fsys, err := contentFS(cfg.Content)
	if err != nil {
		return err
	}
	// Articles parsed by the last build into cfg.Out are taken from its
	// parse cache when their files are unchanged (internal/export/doc.go);
	// when cfg.Out has none, from the cache folder's export's.
	folder := openBuildFolder(cfg, stderr)
	defer folder.close()
	reuse, parsedFrom := folder.export(), cfg.Out
	if _, err := os.Stat(filepath.Join(cfg.Out, export.ParseCacheDir)); err != nil && reuse != "" {
		parsedFrom = reuse
	}
	cache := export.NewParseCache(parsedFrom, rendercode.Version())
	site, err := content.LoadWith(fsys, content.Options{Cache: cache, ImageURL: page.ImageURL, Pages: server.Serves})
	var pe *content.ProblemsError
	if errors.As(err, &pe) {
		reportProblems(stderr, cfg.Content, pe)
		return silentError{err}
	}
	if err != nil {
		return err
	}
	cfg.BaseURL = baseURL(cfg.BaseURL, site)
	set, err := assets.New(static.FS)
	if err != nil {
		return err
	}
	deps := export.Deps{
		Site: site, Content: fsys, Builder: page.NewBuilder(page.Config{BaseURL: cfg.BaseURL}, set), Assets: set,
		ParseCache: cache,
	}
	// buildInto builds the site into out, taking what it can from reuse.
	buildInto := func(out, reuse string, progress func(done, total int)) (*export.Summary, error) {
		return export.Build(ctx, export.Config{
			Out: out, BaseURL: cfg.BaseURL, Now: cfg.Now, Version: rendercode.Version(), Progress: progress, Reuse: reuse,
		}, deps)
	}
	progress := newProgress(stderr)
	sum, err := buildInto(cfg.Out, reuse, progress.update)
	progress.clear()
	if err != nil {
		return err
	}
	kept := folder.keep(sum, func(cache string) error {
		_, err := buildInto(cache, cfg.Out, nil)
		return err
	})
	cached, parsed := cache.Stats()
	printSummary(stdout, cfg, sum, cached, parsed, time.Since(start))
	folder.report(stdout, sum, kept)
	return nil
}

// reportProblems prints content problems as check does: file:line: message,
// with the folder in front, and their count.
func reportProblems(w io.Writer, dir string, pe *content.ProblemsError) {
	prefix := ""
	if dir != "" {
		prefix = strings.TrimSuffix(dir, "/") + "/"
	}
	for _, p := range pe.Problems {
		fmt.Fprintf(w, "%s%s\n", prefix, p)
	}
	fmt.Fprintf(w, "%d %s\n", len(pe.Problems), plural(len(pe.Problems), "problem", "problems"))
}

func printSummary(w io.Writer, cfg BuildConfig, s *export.Summary, cached, parsed int, took time.Duration) {
	pages := s.Pages[content.SSG] + s.Pages[content.ISR]
	fmt.Fprintf(w, "built %s in %s: %d pages (%d ssg, %d isr), %d preview images, %d assets\n",
		cfg.Out, took.Round(time.Millisecond), pages, s.Pages[content.SSG], s.Pages[content.ISR], s.Images, s.Assets)
	fmt.Fprintf(w, "  %d files, %s; %d rendered, %d unchanged since the last build; %.0f pages/s\n",
		s.Files, humanBytes(s.Bytes), s.Rendered, s.Reused, float64(pages)/took.Seconds())
	fmt.Fprintf(w, "  %d %s parsed, %d unchanged taken from the parse cache\n", parsed, plural(parsed, "article", "articles"), cached)
	fmt.Fprintf(w, "  build time %s (SOURCE_DATE_EPOCH=%d), base URL %s, rendering code %s\n",
		cfg.Now.Format(time.RFC3339), cfg.Now.Unix(), cfg.BaseURL, rendercode.Version())
	if len(s.Stale) > 0 {
		fmt.Fprintf(w, "  nothing of the last export was reused: %s\n", strings.Join(s.Stale, "; "))
	}
	if n := len(s.NeedsServer); n > 0 {
		list := strings.Join(s.NeedsServer[:min(n, 10)], " ")
		if n > 10 {
			list += fmt.Sprintf(" … and %d more (each a location in %s)", n-10, filepath.Join(cfg.Out, export.NginxServerConf))
		}
		fmt.Fprintf(w, "  %d %s a server (SSR), not exported: %s\n", n, plural(n, "page needs", "pages need"), list)
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// progress draws "rendering 1234/10000" on a terminal, at most ten times a
// second; elsewhere (CI logs, pipes) it draws nothing.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(stderr io.Writer) *progress {
	f, ok := stderr.(*os.File)
	if !ok {
		return &progress{}
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return &progress{}
	}
	return &progress{w: stderr}
}

func (p *progress) update(done, total int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); done == total || now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.drawn = true
		fmt.Fprintf(p.w, "\rrendering %d/%d (%d%%) on %d cores ", done, total, done*100/max(total, 1), runtime.GOMAXPROCS(0))
	}
}

func (p *progress) clear() {
	if p.w != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// readPrebuilt reads the export named by --prebuilt for the site served.
func readPrebuilt(cfg ServeConfig, site *content.Site, set *assets.Set) (*export.Prebuilt, error) {
	pb, err := export.Read(context.Background(), cfg.Prebuilt,
		export.Config{BaseURL: cfg.BaseURL, Version: rendercode.Version()}, export.Deps{Site: site, Assets: set})
	if err != nil {
		return nil, fmt.Errorf("--prebuilt: %w", err)
	}
	return pb, nil
}

// seed starts the server from the export read by --prebuilt: its pages are
// stored as they are, and only routes it has no up-to-date page for (content
// or settings changed since it was built) are rendered now.
func (a *app) seed(ctx context.Context) error {
	pb := a.prebuilt
	a.prebuilt = nil // its pages are the server's now (export.Read compacted them)
	pages := pb.Pages
	if len(pb.Missing) > 0 {
		rendered, err := a.srv.RenderRoutes(ctx, a.store.Site(), pb.Missing, a.now())
		if err != nil {
			return fmt.Errorf("render pages missing from --prebuilt %s: %w", a.cfg.Prebuilt, err)
		}
		pages = append(slices.Clip(pages), rendered...)
		if len(pb.Stale) > 0 {
			a.log.Warn("the export cannot be used; rendered every page", "prebuilt", a.cfg.Prebuilt,
				"reason", strings.Join(pb.Stale, "; "), "rendered", len(rendered))
		} else {
			a.log.Warn("the export is not up to date with the content; rendered what it lacks",
				"prebuilt", a.cfg.Prebuilt, "rendered", len(rendered), "loaded", len(pb.Pages))
		}
	}
	a.log.Info("starting from a static export", "prebuilt", a.cfg.Prebuilt, "pages", len(pb.Pages), "built", pb.BuildTime)
	return a.srv.Seed(ctx, pages, pb.NotFound)
}
