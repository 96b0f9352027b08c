package page

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/ogimage"
	"github.com/renderwise/renderwise/internal/seo"
)

// document builds the feed, sitemap and robots.txt routes.
func (b *Builder) document(site *content.Site, rt Route, p *Page, in inputs) (*Page, error) {
	var body []byte
	in.add(listModified)
	switch rt.Kind {
	case KindFeed:
		f := seo.Feed{Title: b.siteName(site), Subtitle: site.Settings().Tagline, BaseURL: b.cfg.BaseURL}
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
	entries := sitemapEntries(site)
	pages := make([]seo.Page, len(entries))
	for i, e := range entries {
		pages[i] = seo.Page{URL: b.url(e.path), LastMod: e.modified}
	}
	return seo.Sitemaps(b.cfg.BaseURL, pages)
}

// sitemapEntry is a page the sitemap lists.
type sitemapEntry struct {
	path     string
	modified time.Time
}

// sitemapEntries lists the pages a search engine should know: the home,
// every index and the first page of every listing (the later pages are
// reached from it), and every article.
func sitemapEntries(site *content.Site) []sitemapEntry {
	all := lastModified(site.Articles())
	entries := []sitemapEntry{{"/", all}, {"/tags", all}, {"/archive", all}}
	for _, t := range site.Tags() {
		entries = append(entries, sitemapEntry{"/tags/" + t.Slug, lastModified(t.Articles)})
	}
	if len(site.Bylines()) > 0 {
		entries = append(entries, sitemapEntry{"/authors", all})
	}
	for _, a := range site.Bylines() {
		entries = append(entries, sitemapEntry{"/authors/" + a.Key, lastModified(a.Articles)})
	}
	for _, y := range site.Years() {
		entries = append(entries, sitemapEntry{"/archive/" + strconv.Itoa(y.Year), lastModified(y.Articles)})
	}
	for _, a := range site.Articles() {
		entries = append(entries, sitemapEntry{a.Path, a.Modified()})
	}
	return entries
}

// sitemapURLs is the most URLs one sitemap file may list (sitemaps.org).
const sitemapURLs = 50_000

// sitemapParts is how many child sitemaps site has: none while every URL
// fits in /sitemap.xml.
func sitemapParts(site *content.Site) int {
	n := 3 + len(site.Tags()) + len(site.Years()) + len(site.Articles()) + len(site.Bylines())
	if len(site.Bylines()) > 0 {
		n++
	}
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
func (b *Builder) image(site *content.Site, rt Route, p *Page, in inputs) (*Page, error) {
	name := b.siteName(site)
	card := ogimage.Card{Site: name, Title: name, Kicker: site.Settings().Tagline}
	switch of := rt.Of; of.Kind {
	case KindArticle:
		a := of.Article
		in.add(tagCard + a.Path)
		card.Title, card.Tags = a.Title, in.tagNames(site, a)
		if a.Series != "" {
			card.Kicker = fmt.Sprintf("%s · part %d", SeriesTitle(a.Series), a.Order)
		} else {
			card.Kicker = ""
		}
		p.Modified = a.Modified()
	case KindTags:
		card.Title = "Tags"
	case KindTag:
		in.add(tagName + of.Tag)
		t, _ := site.Tag(of.Tag)
		card.Title = "Tagged “" + t.Name + "”"
	case KindSearch:
		card.Title = "Search"
	case KindAuthors:
		card.Title = "Authors"
	case KindAuthor:
		a, _ := site.Byline(of.Author)
		card.Title = a.Name
	case KindArchive:
		card.Title = "Archive"
	case KindYear:
		card.Title = "Articles of " + strconv.Itoa(of.Year)
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
