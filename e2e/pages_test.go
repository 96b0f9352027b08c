//go:build e2e

package e2e

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// pageKind is one kind of page of the site, with an example of it.
type pageKind struct {
	name   string
	path   string
	status int64
}

// pageKinds are the pages every check runs over: one of each kind, with the
// article chosen for code blocks and a diagram.
var pageKinds = []pageKind{
	{"home", "/", 200},
	{"article", "/articles/node/event-loop", 200}, // code, a diagram, a series pager
	{"isr-article", "/articles/rendering/isr", 200},
	{"ssr-article", "/articles/rendering/ssr", 200},
	{"ppr-article", "/articles/rendering/ppr", 200}, // a shell with holes, streamed
	{"tags", "/tags", 200},
	{"tag", "/tags/rendering", 200},
	{"archive", "/archive", 200},
	{"year-page-2", "/archive/2026/page/2", 200}, // a later page of a listing: rel=prev, a pager
	{"search", "/search?q=render", 200},
	{"lab", "/lab", 200},
	{"not-found", "/no/such/page", 404},
}

// sitemapPaths reads /sitemap.xml (and the sitemaps an index lists) and
// returns the path of every page in it. Every URL must be on this server:
// the sitemap is built from the same base URL the tests serve on.
func sitemapPaths(t *testing.T) []string {
	t.Helper()
	var paths []string
	queue := []string{baseURL + "/sitemap.xml"}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name
			Locs    []string `xml:"url>loc"`
			Maps    []string `xml:"sitemap>loc"`
		}
		err = xml.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
		}
		queue = append(queue, doc.Maps...)
		for _, loc := range doc.Locs {
			p, ok := strings.CutPrefix(loc, baseURL)
			if !ok {
				t.Errorf("sitemap URL %s is not on %s", loc, baseURL)
				continue
			}
			paths = append(paths, p)
		}
	}
	if len(paths) < 20 {
		t.Fatalf("the sitemap lists %d pages; want the whole site", len(paths))
	}
	return paths
}
