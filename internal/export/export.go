package export

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Config holds the plain settings of a build.
type Config struct {
	Out     string    // the export folder; replaced whole when the build succeeds
	BaseURL string    // absolute; canonical URLs, feeds and sitemaps use it
	Now     time.Time // the build time pages show (SOURCE_DATE_EPOCH)
	// Version identifies the rendering code (rendercode.Version): an
	// export built by another version is never reused, not even in part.
	Version string
	Workers int // outputs rendered at once; GOMAXPROCS if 0
	// Reuse, if not empty, is another export of the same site (a cache
	// folder's): an output that neither Out nor the folder recycled has
	// with its current key is taken from it, hard-linked or copied, when
	// it has one. An export there with other inputs, or none, is ignored.
	Reuse string
	// Progress, if not nil, is called after each output with how many are
	// done of how many; calls do not overlap.
	Progress func(done, total int)
}

// Deps are what a build reads.
type Deps struct {
	Site    *content.Site
	Content fs.FS // the articles' folder: the files beside them are copied
	Builder *page.Builder
	Assets  *assets.Set
	// ParseCache, if not nil, is the cache Site was loaded with
	// (content.LoadCached); the export written keeps the entries it used.
	ParseCache *ParseCache
	// Pages, if not nil, are pages already rendered from Site at
	// Config.Now, by route (the pages a server started with): such a page
	// is written as it is instead of being rendered again. A page of
	// another time or mode is ignored.
	Pages map[string]*page.Page
}

// Summary says what a build wrote.
type Summary struct {
	Pages    map[content.Mode]int // exported pages by mode
	Images   int                  // preview images
	Assets   int                  // fingerprinted files under static/
	Files    int                  // every file in the export, .gz and .br included
	Bytes    int64                // their size
	Rendered int                  // outputs made by this build
	Reused   int                  // outputs kept, unchanged, from the last build
	// FromReuse counts the outputs of Reused taken from Config.Reuse.
	FromReuse int
	// Clean reports that Out held no export to build on: none, or one
	// with other inputs (Stale).
	Clean bool
	// Stale says, a phrase each, why nothing of the last export could be
	// reused ("base URL changed from … to …"); nil when it could, or when
	// there was none.
	Stale       []string
	NeedsServer []string // SSR routes, which a static host cannot serve
}

// task is one output to make: its manifest entry and how to make its bytes.
type task struct {
	out  output
	make func(ctx context.Context) (made, error)
}

// made is what a task makes: the bytes, and for a page the fields a server
// needs to serve it again.
type made struct {
	body, gz, br []byte
	page         *page.Page // nil for assets and files
}

// Build writes the site into cfg.Out: every SSG and ISR page, the preview
// images, the 404 page, the assets and the files beside the articles, each
// text file with a .gz and a .br beside it, the manifest and, with
// d.ParseCache, the parse cache. It builds in a temporary folder beside
// cfg.Out — the export before the current one, kept beside it, when there is
// one — and swaps it into place only when every file is written; an error or
// a cancelled ctx leaves cfg.Out as it was. Outputs whose inputs did not
// change are kept in that folder or hard-linked from cfg.Out (or else from
// cfg.Reuse) instead of being rendered again.
func Build(ctx context.Context, cfg Config, d Deps) (*Summary, error) {
	out, err := filepath.Abs(cfg.Out)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := recoverSwap(out); err != nil {
		return nil, err
	}
	// The manifests of the current export and of the one kept to recycle
	// are read at once: each is megabytes of JSON for a large site.
	var kept, reuse *manifest
	reuseDir := ""
	if cfg.Reuse != "" {
		if reuseDir, err = filepath.Abs(cfg.Reuse); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { kept, _ = readManifest(prevOf(out)) })
	if reuseDir != "" && reuseDir != out {
		wg.Go(func() { reuse, _ = readManifest(reuseDir) })
	}
	old, stale, err := previous(out)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	in := inputsOf(cfg, d.Site, d.Assets)
	if old != nil {
		if stale = in.changes(old.Inputs); stale != nil {
			old = nil // nothing can be reused; keys would say so one by one
		}
	}
	if reuse != nil && in.changes(reuse.Inputs) != nil {
		reuse = nil
	}
	cfg.Now = cfg.Now.UTC()
	k := newKeyer(d.Site, in.key(), cfg.Now, cmp.Or(old, reuse))
	tasks, needsServer, err := plan(cfg, d, k)
	if err != nil {
		return nil, err
	}

	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	tmp, recycled, err := recycle(out, kept, workers(cfg.Workers))
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	t := &tree{root: tmp, dirs: map[string]bool{}}
	var reused, rendered, fromReuse atomic.Int64
	var progressMu sync.Mutex
	var finished int
	prev, reusable := byFile(old), byFile(reuse)
	// In a recycled folder, an output recorded with the key it has now is
	// already there; the others are removed first.
	var here map[string]output
	if recycled != nil {
		next := make(map[string]*output, len(tasks))
		for i := range tasks {
			next[tasks[i].out.File] = &tasks[i].out
		}
		t.drop(recycled.Outputs, next, k.current, workers(cfg.Workers))
		here = make(map[string]output, len(recycled.Outputs))
		for _, o := range recycled.Outputs {
			here[o.File] = o
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers(cfg.Workers))
	for i := range tasks {
		tk := &tasks[i]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			if o, ok := here[tk.out.File]; ok && k.current(tk.out, o) {
				tk.out = o
				reused.Add(1)
				return report(cfg, &progressMu, &finished, len(tasks))
			}
			if o, ok := prev[tk.out.File]; ok && k.current(tk.out, o) {
				if err := t.link(out, o); err == nil {
					tk.out = o
					reused.Add(1)
					return report(cfg, &progressMu, &finished, len(tasks))
				}
			}
			if o, ok := reusable[tk.out.File]; ok && k.current(tk.out, o) {
				if err := t.linkSized(reuseDir, o); err == nil {
					tk.out = o
					reused.Add(1)
					fromReuse.Add(1)
					return report(cfg, &progressMu, &finished, len(tasks))
				}
			}
			m, err := tk.make(gctx)
			if err != nil {
				return err
			}
			if p := m.page; p != nil {
				tk.out.ContentType, tk.out.Status, tk.out.Modified = p.ContentType, p.Status, p.Modified.UTC()
				tk.out.Tags = strings.Join(p.Tags, " ")
				tk.out.Key = k.rendered(tk.out, p.Tags)
				if tk.out.Kind == kindPage {
					tk.out.Related = k.relatedOf(tk.out.Route)
				}
			}
			tk.out.Compressed = m.gz != nil
			n, err := t.write(tk.out.File, m.body, m.gz, m.br)
			if err != nil {
				return err
			}
			tk.out.Size = n
			rendered.Add(1)
			return report(cfg, &progressMu, &finished, len(tasks))
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	// The parse cache is written while the manifest is made.
	var saving errgroup.Group
	saving.Go(func() error {
		if d.ParseCache != nil {
			return d.ParseCache.save(t, workers(cfg.Workers))
		}
		if err := os.RemoveAll(filepath.Join(tmp, ParseCacheDir)); err != nil {
			return fmt.Errorf("build: %w", err) // a recycled folder's
		}
		return nil
	})
	defer saving.Wait()

	m := &manifest{
		Format: manifestFormat, Inputs: in,
		BuildTime: cfg.Now, SourceDateEpoch: cfg.Now.Unix(), RelatedWorld: k.world, NeedsServer: needsServer,
	}
	sum := &Summary{Pages: map[content.Mode]int{}, NeedsServer: needsServer, Reused: int(reused.Load()), Rendered: int(rendered.Load()),
		FromReuse: int(fromReuse.Load()), Clean: old == nil, Stale: stale}
	for _, tk := range tasks {
		o := tk.out
		m.Outputs = append(m.Outputs, o)
		sum.Bytes += o.Size
		sum.Files++
		if o.Compressed {
			sum.Files += 2
		}
		switch o.Kind {
		case kindPage:
			sum.Pages[o.Mode]++
		case kindImage:
			sum.Images++
		case kindAsset:
			sum.Assets++
		}
	}
	slices.SortFunc(m.Outputs, func(a, b output) int { return cmp.Compare(a.File, b.File) })
	for name, body := range nginxFiles(m, d.Site) {
		if _, err := t.write(name, body, nil, nil); err != nil {
			return nil, err
		}
	}
	mb, err := m.encode()
	if err != nil {
		return nil, fmt.Errorf("build: manifest: %w", err)
	}
	if _, err := t.write(ManifestName, mb, nil, nil); err != nil {
		return nil, err
	}
	if err := saving.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := swap(tmp, out); err != nil {
		return nil, err
	}
	done = true
	return sum, nil
}

// byFile indexes the outputs of m by file; nil for no manifest.
func byFile(m *manifest) map[string]output {
	if m == nil {
		return nil
	}
	files := make(map[string]output, len(m.Outputs))
	for _, o := range m.Outputs {
		files[o.File] = o
	}
	return files
}

func report(cfg Config, mu *sync.Mutex, finished *int, total int) error {
	if cfg.Progress == nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	*finished++
	cfg.Progress(*finished, total)
	return nil
}

// previous returns the manifest of the export in out, nil if there is none
// to build on; for an export written by another version of renderwise, nil
// and why it is rebuilt whole. It refuses to replace a folder that is not an
// export: a mistyped --out must never delete someone's files.
func previous(out string) (*manifest, []string, error) {
	m, err := readManifest(out)
	if err == nil {
		return m, nil, nil
	}
	if errors.Is(err, errFormat) {
		return nil, []string{err.Error()}, nil
	}
	if !isMissing(err) {
		return nil, nil, fmt.Errorf("build: %w", err)
	}
	entries, err := os.ReadDir(out)
	switch {
	case isMissing(err):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("build: %w", err)
	case len(entries) > 0:
		return nil, nil, fmt.Errorf("build: refusing to replace %s: it is not empty and has no %s, so it is not an export", out, ManifestName)
	}
	return nil, nil, nil
}

// plan lists every output of the site with its key, and the SSR routes.
func plan(cfg Config, d Deps, k *keyer) ([]task, []string, error) {
	site, b, now := d.Site, d.Builder, cfg.Now
	var tasks []task
	var needsServer []string
	imageRoutes := []string{}
	for _, rt := range page.Routes(site) {
		if rt.Mode == content.PPR {
			continue // its holes are rendered per request: it needs a server, below
		}
		tasks = append(tasks, newPageTask(kindPage, rt.Path, fileOf(rt.Path), "", rt.Mode, rt.Revalidate, func(ctx context.Context) (*page.Page, error) {
			if p := d.Pages[rt.Path]; p != nil && p.Generated.Equal(now) && p.Mode == rt.Mode {
				return p, nil
			}
			return b.Build(ctx, site, rt, now)
		}))
		if rt.HTML() && rt.Part <= 1 { // a listing's later pages share its image
			imageRoutes = append(imageRoutes, rt.Path)
		}
	}
	for _, a := range site.All() {
		if !a.Draft && (a.Render == content.SSR || a.Render == content.PPR) {
			needsServer = append(needsServer, a.Path)
			imageRoutes = append(imageRoutes, a.Path)
		}
	}
	for _, p := range []string{"/search", "/lab"} { // rendered for each request
		if rt, ok := page.Resolve(site, p); ok && rt.Mode == content.SSR {
			needsServer = append(needsServer, p)
			imageRoutes = append(imageRoutes, p)
		}
	}
	slices.Sort(needsServer)
	for _, target := range imageRoutes {
		rt, _ := page.Resolve(site, page.ImagePath(target))
		tasks = append(tasks, newPageTask(kindImage, rt.Path, strings.TrimPrefix(rt.Path, "/"), "", content.SSG, 0, func(ctx context.Context) (*page.Page, error) {
			return b.Build(ctx, site, rt, now)
		}))
	}
	tasks = append(tasks, newPageTask(kindNotFound, "", "404.html", "", content.SSG, 0, func(ctx context.Context) (*page.Page, error) {
		return b.NotFound(ctx, site, now)
	}))

	for _, name := range slices.Sorted(maps.Keys(d.Assets.All())) {
		a := d.Assets.All()[name]
		h := newHasher("asset")
		h.str(k.global)
		h.str(a.Name)
		tasks = append(tasks, task{
			out: output{File: "static/" + a.Name, Route: assets.Prefix + a.Name, Kind: kindAsset, Key: h.sum(), ContentType: a.ContentType, Status: 200},
			make: func(context.Context) (made, error) {
				return made{body: a.Body, gz: a.Gzip, br: a.Brotli}, nil
			},
		})
	}

	for _, name := range d.Site.Files() {
		// Hash now, read again when writing: files beside the articles
		// (images) may be large, and most are reused unchanged.
		h := newHasher("file")
		h.str(k.global)
		h.str(name)
		if err := hashFile(h, d.Content, name); err != nil {
			return nil, nil, fmt.Errorf("build: read %s: %w", name, err)
		}
		ct := mime.TypeByExtension(path.Ext(name))
		tasks = append(tasks, task{
			out: output{File: "articles/" + name, Route: "/articles/" + name, Kind: kindFile, Key: h.sum(), ContentType: ct, Status: 200},
			make: func(context.Context) (made, error) {
				body, err := fs.ReadFile(d.Content, name)
				if err != nil {
					return made{}, fmt.Errorf("read %s: %w", name, err)
				}
				if !compress.Worth(ct) {
					return made{body: body}, nil
				}
				gz, br := compress.Bodies(body)
				return made{body: body, gz: gz, br: br}, nil
			},
		})
	}

	// Two outputs must never claim one file (a file beside the articles
	// named like a page, or like a page's .gz).
	owner := map[string]string{}
	for _, tk := range tasks {
		for _, f := range []string{tk.out.File, tk.out.File + ".gz", tk.out.File + ".br"} {
			if prev, dup := owner[f]; dup {
				return nil, nil, fmt.Errorf("build: %s is both %s and %s", f, prev, cmp.Or(tk.out.Route, tk.out.File))
			}
			owner[f] = cmp.Or(tk.out.Route, tk.out.File)
		}
	}
	return tasks, needsServer, nil
}

// newPageTask returns the task of a route page.Builder renders.
func newPageTask(kind, route, file, key string, mode content.Mode, revalidate time.Duration, build func(ctx context.Context) (*page.Page, error)) task {
	return task{
		out: output{File: file, Route: route, Kind: kind, Key: key, Mode: mode, Revalidate: revalidate},
		make: func(ctx context.Context) (made, error) {
			p, err := build(ctx)
			if err != nil {
				return made{}, err
			}
			body, err := p.Plain() // a page a server keeps has no plain body
			if err != nil {
				return made{}, err
			}
			return made{body: body, gz: p.Gzip, br: p.Brotli, page: p}, nil
		},
	}
}

// hashFile adds the length and bytes of a file to h, reading it in pieces.
func hashFile(h *hasher, fsys fs.FS, name string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(h.h, f)
	h.int(n)
	return err
}

// fileOf is the file a page route is written to: clean URLs, so /x is
// x/index.html, and routes with an extension keep their name.
func fileOf(route string) string {
	switch {
	case route == "/":
		return "index.html"
	case path.Ext(route) != "":
		return strings.TrimPrefix(route, "/")
	}
	return strings.TrimPrefix(route, "/") + "/index.html"
}
