package page

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
)

// Kind is what a route shows.
type Kind uint8

// The kinds of route.
const (
	KindHome        Kind = iota + 1 // /
	KindTags                        // /tags
	KindTag                         // /tags/{tag}
	KindArticle                     // /articles/{path}
	KindSearch                      // /search
	KindFeed                        // /feed.xml
	KindSitemap                     // /sitemap.xml
	KindSitemapPart                 // /sitemaps/{n}.xml
	KindRobots                      // /robots.txt
	KindImage                       // /og/{page}.png, the preview image of a page
	KindAuthors                     // /authors
	KindAuthor                      // /authors/{key}
	KindArchive                     // /archive
	KindYear                        // /archive/{year}
	KindLab                         // /lab, the delivery lab
	KindPart                        // /_parts/{name}, a cached part of PPR pages
)

// Route is a path resolved against one Site: what it shows and how it is
// delivered. [Resolve] makes it once; the server, the builder and the export
// take it instead of reading the path again.
type Route struct {
	Path       string
	Kind       Kind
	Mode       content.Mode
	Revalidate time.Duration    // ISR only
	Article    *content.Article // KindArticle
	Tag        string           // KindTag
	Author     string           // KindAuthor: the author's key
	Year       int              // KindYear
	// Part is the part of a route that is split, from 1: the sitemap part,
	// or the page of a listing (/tags/go/page/2 is part 2 of /tags/go).
	Part int
	Of   *Route // KindImage: the page whose preview it is
	Name string // KindPart: which part
}

// HTML reports whether the route is an HTML page (not a feed, sitemap,
// robots.txt or image).
func (r Route) HTML() bool {
	switch r.Kind {
	case KindHome, KindTags, KindTag, KindArticle, KindSearch, KindAuthors, KindAuthor, KindArchive, KindYear, KindLab:
		return true
	}
	return false
}

// listed returns the articles a paginated listing lists, all its pages
// together, and whether the route is one.
func (r Route) listed(site *content.Site) ([]*content.Article, bool) {
	switch r.Kind {
	case KindHome:
		return site.Articles(), site.Settings().Home == content.HomeNewest
	case KindTag:
		t, _ := site.Tag(r.Tag)
		return t.Articles, true
	case KindAuthor:
		b, _ := site.Byline(r.Author)
		return b.Articles, true
	case KindYear:
		y, _ := site.YearOf(r.Year)
		return y.Articles, true
	}
	return nil, false
}

// Paginated reports whether the route is a page of a paginated listing
// (its first page included).
func (r Route) Paginated(site *content.Site) bool {
	_, ok := r.listed(site)
	return ok
}

// pageSize is how many articles a page of a listing shows.
func pageSize(site *content.Site) int { return max(1, site.Settings().Paginate) }

// pages is how many pages a listing of n articles has: one at least, so
// an empty listing still has its first page.
func pages(site *content.Site, n int) int {
	size := pageSize(site)
	return max(1, (n+size-1)/size)
}

// pagePath is the path of page n of the listing at base: base itself for
// the first page, base/page/n after it (/page/n for the home page).
func pagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return strings.TrimSuffix(base, "/") + "/page/" + strconv.Itoa(n)
}

// basePath returns the listing and page number of a path that ends in
// /page/{n}: ("/tags/go", 2, true) for /tags/go/page/2, (path, 1, true) for
// any other path, and false for a page number that is not canonical (0,
// 01, 1: the first page has no number). Only listings are split: an
// article's file may well be called page/2.md.
func basePath(path string) (string, int, bool) {
	i := strings.LastIndex(path, "/page/")
	if i < 0 || !listingPath(path) {
		return path, 1, true
	}
	num := path[i+len("/page/"):]
	n, err := strconv.Atoi(num)
	if err != nil || n < 2 || strconv.Itoa(n) != num {
		return "", 0, false
	}
	return cmp.Or(path[:i], "/"), n, true
}

// listingPath reports whether path may be a page of a listing.
func listingPath(path string) bool {
	for _, p := range []string{"/page/", "/tags/", "/authors/", "/archive/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// FirstPage returns the listing a path naming its first page by number
// (/tags/go/page/1) stands for, which the server redirects to.
func FirstPage(path string) (string, bool) {
	base, ok := strings.CutSuffix(path, "/page/1")
	if !ok || !listingPath(path) {
		return "", false
	}
	return cmp.Or(base, "/"), true
}

// Resolve returns the route at path in site, or false if path names no page.
// Drafts name no page (see [ResolvePreview]).
func Resolve(site *content.Site, path string) (Route, bool) {
	base, part, ok := basePath(path)
	if !ok {
		return Route{}, false
	}
	r, ok := resolve(site, base)
	if !ok || r.Kind == KindSitemapPart {
		return r, ok
	}
	list, paginated := r.listed(site)
	switch {
	case paginated:
		if part > pages(site, len(list)) {
			return Route{}, false
		}
		r.Path, r.Part = path, part
	case part > 1:
		return Route{}, false
	}
	return r, true
}

func resolve(site *content.Site, path string) (Route, bool) {
	r := Route{Path: path, Mode: content.ISR, Revalidate: HomeRevalidate}
	switch {
	case path == "/":
		r.Kind = KindHome
	case path == "/tags":
		r.Kind = KindTags
	case path == "/feed.xml":
		r.Kind = KindFeed
	case path == "/sitemap.xml":
		r.Kind = KindSitemap
	case path == "/robots.txt":
		r.Kind = KindRobots
	case path == "/search":
		r.Kind, r.Mode, r.Revalidate = KindSearch, content.SSR, 0
	case path == "/lab":
		r.Kind, r.Mode, r.Revalidate = KindLab, content.SSR, 0
		if len(LabTargets(site)) == 0 {
			return Route{}, false
		}
	case path == "/authors":
		r.Kind = KindAuthors
		if len(site.Bylines()) == 0 {
			return Route{}, false
		}
	case path == "/archive":
		r.Kind = KindArchive
	case strings.HasPrefix(path, "/authors/"):
		r.Kind, r.Author = KindAuthor, strings.TrimPrefix(path, "/authors/")
		if _, ok := site.Byline(r.Author); !ok {
			return Route{}, false
		}
	case strings.HasPrefix(path, "/archive/"):
		r.Kind = KindYear
		num := strings.TrimPrefix(path, "/archive/")
		y, err := strconv.Atoi(num)
		if _, ok := site.YearOf(y); err != nil || !ok || strconv.Itoa(y) != num {
			return Route{}, false
		}
		r.Year = y
	case strings.HasPrefix(path, "/tags/"):
		r.Kind, r.Tag = KindTag, strings.TrimPrefix(path, "/tags/")
		if _, ok := site.Tag(r.Tag); !ok {
			return Route{}, false
		}
	case strings.HasPrefix(path, "/sitemaps/"):
		r.Kind = KindSitemapPart
		_, err := fmt.Sscanf(path, "/sitemaps/%d.xml", &r.Part)
		if err != nil || path != fmt.Sprintf("/sitemaps/%d.xml", r.Part) || r.Part < 1 || r.Part > sitemapParts(site) {
			return Route{}, false
		}
	case strings.HasPrefix(path, "/_parts/"):
		return partRoute(path)
	case strings.HasPrefix(path, "/og/"):
		target, ok := imageTarget(path)
		if !ok || strings.HasPrefix(target, "/og/") {
			return Route{}, false
		}
		of, ok := Resolve(site, target)
		if !ok || of.Part > 1 || of.Kind == KindPart {
			return Route{}, false // the later pages of a listing share the first's image
		}
		r.Kind, r.Mode, r.Revalidate, r.Of = KindImage, content.SSG, 0, &of
	default:
		a, ok := site.Article(path)
		if !ok || a.Draft {
			return Route{}, false
		}
		r.Kind, r.Article, r.Mode, r.Revalidate = KindArticle, a, a.Render, a.Revalidate
	}
	return r, true
}

// ResolvePreview is [Resolve] for a reader in draft preview: drafts are
// pages too, rendered for the request.
func ResolvePreview(site *content.Site, path string) (Route, bool) {
	if r, ok := Resolve(site, path); ok {
		return r, true
	}
	if a, ok := site.Article(path); ok && a.Draft {
		return Route{Path: path, Kind: KindArticle, Mode: content.SSR, Article: a}, true
	}
	return Route{}, false
}

// Routes returns every route that is rendered ahead of requests (SSG and
// ISR), in a stable order.
func Routes(site *content.Site) []Route {
	var paths []string
	listing := func(base string, list []*content.Article) {
		for n := range pages(site, len(list)) {
			paths = append(paths, pagePath(base, n+1))
		}
	}
	if site.Settings().Home == content.HomeNewest {
		listing("/", site.Articles())
	} else {
		paths = append(paths, "/")
	}
	paths = append(paths, "/tags", "/archive", "/feed.xml", "/sitemap.xml", "/robots.txt")
	for n := range sitemapParts(site) {
		paths = append(paths, fmt.Sprintf("/sitemaps/%d.xml", n+1))
	}
	for _, t := range site.Tags() {
		listing("/tags/"+t.Slug, t.Articles)
	}
	if len(site.Bylines()) > 0 {
		paths = append(paths, "/authors")
	}
	for _, b := range site.Bylines() {
		listing("/authors/"+b.Key, b.Articles)
	}
	for _, y := range site.Years() {
		listing("/archive/"+strconv.Itoa(y.Year), y.Articles)
	}
	for _, a := range site.All() {
		if !a.Draft && a.Render != content.SSR {
			paths = append(paths, a.Path)
		}
	}
	routes := make([]Route, 0, len(paths))
	for _, p := range paths {
		r, _ := Resolve(site, p)
		routes = append(routes, r)
	}
	return routes
}
