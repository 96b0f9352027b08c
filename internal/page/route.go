package page

import (
	"fmt"
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
	Part       int              // KindSitemapPart, from 1
	Of         *Route           // KindImage: the page whose preview it is
}

// HTML reports whether the route is an HTML page (not a feed, sitemap,
// robots.txt or image).
func (r Route) HTML() bool {
	switch r.Kind {
	case KindHome, KindTags, KindTag, KindArticle, KindSearch:
		return true
	}
	return false
}

// Resolve returns the route at path in site, or false if path names no page.
// Drafts name no page (see [ResolvePreview]).
func Resolve(site *content.Site, path string) (Route, bool) {
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
	case strings.HasPrefix(path, "/og/"):
		target, ok := imageTarget(path)
		if !ok || strings.HasPrefix(target, "/og/") {
			return Route{}, false
		}
		of, ok := Resolve(site, target)
		if !ok {
			return Route{}, false
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
	paths := []string{"/", "/tags", "/feed.xml", "/sitemap.xml", "/robots.txt"}
	for n := range sitemapParts(site) {
		paths = append(paths, fmt.Sprintf("/sitemaps/%d.xml", n+1))
	}
	for _, t := range site.Tags() {
		paths = append(paths, "/tags/"+t.Slug)
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
