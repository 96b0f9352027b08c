package export

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Prebuilt is what an export holds for a server that starts from it.
type Prebuilt struct {
	// Pages are the SSG and ISR pages of the site found in the export with
	// the same inputs, as page.Builder would render them at BuildTime, and
	// compacted as a server keeps them ([page.Page.Compact]: no plain body
	// beside a gzip one; [page.Page.Plain] inflates it).
	Pages []*page.Page
	// NotFound is the 404 page, or nil if the export's is out of date.
	NotFound *page.Page
	// Missing are the routes of the site the export has no up-to-date page
	// for (new or changed content, another base URL or code version): the
	// server renders them itself.
	Missing   []page.Route
	BuildTime time.Time // when the pages say they were generated
	// Stale says, a phrase each, why no page of the export could be used
	// ("rendering code changed from … to …"); then every route is Missing.
	// Nil when the export matched but for some content.
	Stale []string
}

// Read reads the export in dir back into pages for the site in d, without
// rendering: the bodies and their .gz and .br, the content type, status and
// dates from the manifest, and the ETag from the body exactly as page does.
// Only pages whose inputs have the same key as when they were exported are
// returned; every other route of the site is listed in Missing. Preview
// images are left out: a server draws them on first request, as it does
// when it renders. An export written by another version of renderwise, or
// whose rendering code, base URL, settings or assets differ, gives no page
// and says why in Stale; a folder without a manifest is an error, and so is
// a page whose files are not the size the manifest records.
func Read(ctx context.Context, dir string, cfg Config, d Deps) (*Prebuilt, error) {
	m, err := readManifest(dir)
	if errors.Is(err, errFormat) {
		return stalePrebuilt(d.Site, time.Time{}, []string{err.Error()}), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read export %s: %w", dir, err)
	}
	in := inputsOf(cfg, d.Site, d.Assets)
	if stale := in.changes(m.Inputs); stale != nil {
		return stalePrebuilt(d.Site, m.BuildTime, stale), nil
	}
	k := newKeyer(d.Site, in.key(), m.BuildTime, m)
	byRoute := make(map[string]output, len(m.Outputs))
	var nf *output
	for i, o := range m.Outputs {
		switch o.Kind {
		case kindPage:
			byRoute[o.Route] = o
		case kindNotFound:
			nf = &m.Outputs[i]
		}
	}
	pb := &Prebuilt{BuildTime: m.BuildTime}
	routes := page.Routes(d.Site)
	match := make([]bool, len(routes))
	parallel(len(routes), workers(cfg.Workers), func(i int) {
		rt := routes[i]
		o, ok := byRoute[rt.Path]
		match[i] = ok && k.current(output{Kind: kindPage, Route: rt.Path, Mode: rt.Mode, Revalidate: rt.Revalidate}, o)
	})
	var found []output
	for i, route := range routes {
		if match[i] {
			found = append(found, byRoute[route.Path])
		} else {
			pb.Missing = append(pb.Missing, route)
		}
	}
	pb.Pages = make([]*page.Page, len(found))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers(cfg.Workers))
	for i, o := range found {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			p, err := readPage(dir, o, m.BuildTime)
			pb.Pages[i] = p
			return err
		})
	}
	if nf != nil && k.current(output{Kind: kindNotFound, Mode: content.SSG}, *nf) {
		g.Go(func() error {
			p, err := readPage(dir, *nf, m.BuildTime)
			if err != nil {
				return err
			}
			p.Route = "/404"
			pb.NotFound = p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("read export %s: %w", dir, err)
	}
	slices.SortFunc(pb.Missing, func(a, b page.Route) int { return cmp.Compare(a.Path, b.Path) })
	return pb, nil
}

// stalePrebuilt is an export of which nothing can be used, and why.
func stalePrebuilt(site *content.Site, built time.Time, why []string) *Prebuilt {
	routes := page.Routes(site)
	slices.SortFunc(routes, func(a, b page.Route) int { return cmp.Compare(a.Path, b.Path) })
	return &Prebuilt{Missing: routes, BuildTime: built, Stale: why}
}

// readPage reads one exported page and its precompressed bodies.
func readPage(dir string, o output, generated time.Time) (*page.Page, error) {
	name := filepath.Join(dir, filepath.FromSlash(o.File))
	body, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var gz, br []byte
	if o.Compressed {
		if gz, err = os.ReadFile(name + ".gz"); err != nil {
			return nil, err
		}
		if br, err = os.ReadFile(name + ".br"); err != nil {
			return nil, err
		}
	}
	// A file cut short (a disk full or a power cut after the rename, before
	// the data reached the disk) must not be served as the page.
	if n := int64(len(body) + len(gz) + len(br)); n != o.Size {
		return nil, fmt.Errorf("%s: %d bytes, the manifest says %d", name, n, o.Size)
	}
	p := &page.Page{
		Route: o.Route, Status: o.Status, ContentType: o.ContentType, Mode: o.Mode,
		Modified: o.Modified, Generated: generated, Revalidate: o.Revalidate,
	}
	if o.Mode == content.SSG {
		p.Revalidate = 0
	}
	// Compacted as it is read, so that the plain bodies of a large export
	// are not all in memory at once (about 300 MB at 10,000 articles).
	return page.FromBody(p, body, gz, br).Compact(), nil
}
