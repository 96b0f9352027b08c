package page

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/ogimage"
	"github.com/renderwise/renderwise/internal/seo"
	"github.com/renderwise/renderwise/web"
)

// FeedEntries is how many of the newest articles the Atom feed carries.
const FeedEntries = 20

// document builds the feed, sitemap and robots.txt routes.
func (b *Builder) document(site *content.Site, rt Route, p *Page, in inputs) (*Page, error) {
	var body []byte
	in.add(listModified)
	switch rt.Kind {
	case KindFeed:
		f := seo.Feed{Title: web.SiteName, Subtitle: "How the web is built and delivered", BaseURL: b.cfg.BaseURL}
		in.add(listFeed)
		for _, a := range feedArticles(site) {
			in.add(tagArticle + a.Path)
			f.Entries = append(f.Entries, seo.Entry{
				URL: b.url(a.Path), Title: a.Title, Summary: a.Description, ContentHTML: a.HTML,
				Published: a.Date, Updated: a.Modified(), Tags: a.Tags,
			})
		}
		if len(f.Entries) == 0 {
			f.Updated = p.Generated // an empty site's feed is as new as the site
		}
		var err error
		if body, err = f.Atom(); err != nil {
			return nil, fmt.Errorf("build %s: %w", rt.Path, err)
		}
		p.ContentType = "application/atom+xml; charset=utf-8"
	case KindRobots:
		body = seo.Robots(b.cfg.BaseURL)
		p.ContentType = "text/plain; charset=utf-8"
	default:
		in.add(listSitemap)
		body = b.sitemaps(site)[rt.Path]
		p.ContentType = "application/xml; charset=utf-8"
	}
	p.Modified = lastModified(site.Articles())
	return finish(p, body), nil
}

// sitemaps returns every sitemap file of site, keyed by route.
func (b *Builder) sitemaps(site *content.Site) map[string][]byte {
	pages := []seo.Page{{URL: b.url("/"), LastMod: lastModified(site.Articles())}, {URL: b.url("/tags"), LastMod: lastModified(site.Articles())}}
	for _, t := range site.Tags() {
		pages = append(pages, seo.Page{URL: b.url("/tags/" + t.Slug), LastMod: lastModified(t.Articles)})
	}
	for _, a := range site.Articles() {
		pages = append(pages, seo.Page{URL: b.url(a.Path), LastMod: a.Modified()})
	}
	return seo.Sitemaps(b.cfg.BaseURL, pages)
}

// sitemapURLs is the most URLs one sitemap file may list (sitemaps.org).
const sitemapURLs = 50_000

// sitemapParts is how many child sitemaps site has: none while every URL
// fits in /sitemap.xml.
func sitemapParts(site *content.Site) int {
	n := 2 + len(site.Tags()) + len(site.Articles())
	if n <= sitemapURLs {
		return 0
	}
	return (n + sitemapURLs - 1) / sitemapURLs
}

// imageTarget returns the route whose preview image route is.
func imageTarget(route string) (string, bool) {
	name, ok := strings.CutSuffix(strings.TrimPrefix(route, "/og"), ".png")
	if !ok || name == "" {
		return "", false
	}
	if name == "/index" {
		return "/", true
	}
	return name, true
}

// image draws the preview image of a route.
func (b *Builder) image(rt Route, p *Page, in inputs) (*Page, error) {
	card := ogimage.Card{Site: web.SiteName, Title: web.SiteName, Kicker: "How the web is built and delivered"}
	switch of := rt.Of; of.Kind {
	case KindArticle:
		a := of.Article
		in.add(tagCard + a.Path)
		card.Title, card.Tags = a.Title, a.Tags
		if a.Series != "" {
			card.Kicker = fmt.Sprintf("%s · part %d", SeriesTitle(a.Series), a.Order)
		} else {
			card.Kicker = ""
		}
		p.Modified = a.Modified()
	case KindTags:
		card.Title = "Tags"
	case KindTag:
		card.Title = "Tagged “" + of.Tag + "”"
	case KindSearch:
		card.Title = "Search"
	}
	png, err := ogimage.Render(card)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", rt.Path, err)
	}
	p.ContentType = "image/png"
	p.Body = png
	p.ETag = etag(png)
	p.Status = http.StatusOK
	return p, nil
}

// ImageURL is the URL of the image at site path path resized to width
// pixels, version naming its bytes (content.Options.ImageURL): the /_img
// route the server answers (DESIGN.md §5).
func ImageURL(path string, width int, version string) string {
	return "/_img" + path + "?w=" + strconv.Itoa(width) + "&v=" + version
}
