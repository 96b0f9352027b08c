package server

import (
	"strings"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Serves reports whether a GET of a site path (no query) outside
// /articles/ answers something other than 404 on site: a page, a redirect
// to one, the JSON API, or a health or metrics endpoint. It is what
// [content.Options.Pages] asks, so that `check` finds a link to a page that
// does not exist.
func Serves(site *content.Site, path string) bool {
	if _, ok := page.Resolve(site, path); ok {
		return true
	}
	if to, ok := page.FirstPage(path); ok {
		_, ok := page.Resolve(site, to)
		return ok
	}
	switch path {
	case "/api/articles", "/api/search", "/healthz", "/readyz", "/metrics":
		return true
	}
	if rest, ok := strings.CutPrefix(path, "/api/articles/"); ok {
		a, ok := site.Article("/articles/" + rest)
		return ok && !a.Draft
	}
	return false
}
