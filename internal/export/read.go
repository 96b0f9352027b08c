package export

import (
	"cmp"
	"context"
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
	// the same inputs, as page.Builder would render them at BuildTime.
	Pages []*page.Page
	// NotFound is the 404 page, or nil if the export's is out of date.
	NotFound *page.Page
	// Missing are the routes of the site the export has no up-to-date page
	// for (new or changed content, another base URL or code version): the
	// server renders them itself.
	Missing   []page.Route
	BuildTime time.Time // when the pages say they were generated
}

// Read reads the export in dir back into pages for the site in d, without
// rendering: the bodies and their .gz and .br, the content type, status and
// dates from the manifest, and the ETag from the body exactly as page does.
// Only pages whose inputs have the same key as when they were exported are
// returned; every other route of the site is listed in Missing. Preview
// images are left out: a server draws them on first request, as it does
// when it renders.
func Read(ctx context.Context, dir string, cfg Config, d Deps) (*Prebuilt, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("read export %s: %w", dir, err)
	}
	k := newKeyer(d.Site, globalKey(cfg, d.Site, d.Assets), m.BuildTime, m)
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
	p := &page.Page{
		Route: o.Route, Status: o.Status, ContentType: o.ContentType, Mode: o.Mode,
		Modified: o.Modified, Generated: generated, Revalidate: o.Revalidate,
	}
	if o.Mode == content.SSG {
		p.Revalidate = 0
	}
	return page.FromBody(p, body, gz, br), nil
}
