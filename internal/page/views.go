package page

import (
	"cmp"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/markdown"
	"github.com/renderwise/renderwise/internal/seo"
	"github.com/renderwise/renderwise/web"
)

// Preview images are drawn at this size (the Open Graph recommendation).
const (
	ImageWidth  = 1200
	ImageHeight = 630
)

// RelatedArticles is how many related articles an article lists.
const RelatedArticles = 3

// CourseSeries is the series listed on the home page as "the course".
const CourseSeries = "course"

// SeriesTitle is how a series name is shown to readers.
func SeriesTitle(name string) string {
	if name == CourseSeries {
		return "The course"
	}
	s := strings.ReplaceAll(name, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// ImagePath is the site path of the generated preview image of a route.
func ImagePath(route string) string {
	if route == "/" {
		return "/og/index.png"
	}
	return "/og" + route + ".png"
}

func (b *Builder) url(p string) string { return seo.Canonical(b.cfg.BaseURL, p) }

// BaseStylesheet is the stylesheet every page needs for its first paint.
// Measured on the course (docs/performance.md): it is ~2.4 KB compressed and
// an article's HTML ~6 KB, so inlined it still fits the first round trip
// (~14 KB) and saves a render-blocking request; feature stylesheets (code,
// search) stay files, linked only where used and cached across pages.
const BaseStylesheet = "site.css"

func (b *Builder) baseCSS() string {
	a, ok := b.assets.Original(BaseStylesheet)
	if !ok {
		panic("page: no " + BaseStylesheet + " among the assets")
	}
	return string(a.Body)
}

// siteName is the site's name in titles and previews: site.yaml's title,
// else the host of the base URL, the name a reader knows the site by.
func (b *Builder) siteName(site *content.Site) string {
	if t := site.Settings().Title; t != "" {
		return t
	}
	if u, err := url.Parse(b.cfg.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return "Untitled site"
}

// defaultMenu is the menu of a site whose settings name none.
var defaultMenu = []web.Link{{URL: "/", Title: "Home"}, {URL: "/archive", Title: "Archive"}, {URL: "/tags", Title: "Tags"}, {URL: "/search", Title: "Search"}}

func (b *Builder) siteView(site *content.Site) web.SiteView {
	st := site.Settings()
	v := web.SiteView{Name: b.siteName(site), Tagline: st.Tagline, Language: cmp.Or(st.Language, "en"), Menu: defaultMenu}
	if len(st.Menu) > 0 {
		v.Menu = make([]web.Link, len(st.Menu))
		for i, item := range st.Menu {
			v.Menu[i] = web.Link{URL: item.URL, Title: item.Title}
		}
	}
	return v
}

// meta fills the parts of Meta every page shares.
func (b *Builder) meta(site *content.Site, title, description, route string, d web.Delivery) web.Meta {
	m := web.Meta{
		Site:        b.siteView(site),
		Title:       title,
		Description: description,
		Type:        "website",
		FeedURL:     b.url("/feed.xml"),
		InlineCSS:   b.baseCSS(),
		Scripts:     []string{b.assets.URL("theme.js")},
		Path:        route,
		Delivery:    d,
		Dev:         b.cfg.Dev,
	}
	if d.Mode == string(content.ISR) {
		m.Scripts = append(m.Scripts, b.assets.URL("isr.js"))
	}
	if e := b.devError.Load(); e != nil && b.cfg.Dev {
		m.DevError = *e
	}
	if route != "" {
		m.Canonical = b.url(route)
		m.Image = web.Image{URL: b.url(ImagePath(route)), Alt: title + " — " + m.Site.Name, Width: ImageWidth, Height: ImageHeight}
	}
	return m
}

// widgets are the interactive parts an article opts into with a heading id,
// a marker Markdown already renders ("### … {#event-loop-stepper}"): the
// page then loads the widget's stylesheet and module, which builds it
// beside that heading. Without scripts the article reads the same.
var widgets = []struct{ heading, asset string }{
	{"event-loop-stepper", "eventloop"},
}

func hasHeading(hs []markdown.Heading, id string) bool {
	for _, h := range hs {
		if h.ID == id {
			return true
		}
	}
	return false
}

// metaFunc returns the shared Meta of the page being built, for a title and
// description.
type metaFunc func(title, description string) web.Meta

func (b *Builder) article(site *content.Site, a *content.Article, meta metaFunc, in inputs) templ.Component {
	in.add(tagArticle + a.Path)
	for _, t := range a.CacheTags {
		in.add(t)
	}
	m := meta(a.Title, a.Description)
	m.Type = "article"
	m.Published = a.Date.Format(time.RFC3339)
	m.Modified = a.Modified().Format(time.RFC3339)
	tags := in.tagNames(site, a)
	m.Tags = tags
	m.Nav = a.Path
	if a.Series != "" {
		m.Nav = "/#" + a.Series
	}
	if a.Image != "" {
		m.Image = web.Image{URL: b.url(path.Join(path.Dir("/articles/"+a.File), a.Image)), Alt: a.Title}
	}
	if a.HasCode {
		m.Styles = append(m.Styles, b.assets.URL("code.css"))
		m.Scripts = append(m.Scripts, b.assets.URL("code.js"))
	}
	for _, w := range widgets {
		if hasHeading(a.Headings, w.heading) {
			m.Styles = append(m.Styles, b.assets.URL(w.asset+".css"))
			m.Scripts = append(m.Scripts, b.assets.URL(w.asset+".js"))
		}
	}

	crumbs := []web.Link{{URL: "/", Title: "Home"}}
	if a.Series != "" {
		crumbs = append(crumbs, web.Link{URL: "/#" + a.Series, Title: SeriesTitle(a.Series)})
	}
	ld := []seo.Crumb{{Name: "Home", URL: b.url("/")}}
	if a.Series != "" {
		ld = append(ld, seo.Crumb{Name: SeriesTitle(a.Series), URL: b.url("/") + "#" + a.Series})
	}
	ld = append(ld, seo.Crumb{Name: a.Title, URL: m.Canonical})
	m.JSONLD = []any{
		seo.Article(seo.ArticleLD{
			Headline: a.Title, Description: a.Description, URL: m.Canonical, Image: m.Image.URL,
			Published: a.Date, Modified: a.Modified(), Keywords: tags,
			SiteName: m.Site.Name, SiteURL: b.url("/"),
		}),
		seo.Breadcrumbs(ld),
	}
	v := web.ArticleView{
		Meta:           m,
		Title:          a.Title,
		Description:    a.Description,
		Date:           humanDate(a.Date),
		DateISO:        a.Date.Format(time.DateOnly),
		ReadingMinutes: a.ReadingMinutes,
		Body:           string(a.HTML),
		Breadcrumbs:    crumbs,
	}
	for i, t := range a.Tags {
		v.Tags = append(v.Tags, web.Link{URL: "/tags/" + t, Title: tags[i]})
	}
	for _, au := range site.Authors(a) {
		if au.Key != "" {
			v.Authors = append(v.Authors, web.Link{URL: "/authors/" + au.Key, Title: au.Name})
		}
	}
	if !a.Updated.IsZero() {
		v.Updated, v.UpdatedISO = humanDate(a.Updated), a.Updated.Format(time.DateOnly)
	}
	v.TOC = toc(a.Headings)
	v.Live = m.Delivery.Mode == string(content.PPR) // the shell; a preview streams the page whole
	if v.Live {
		v.Parts = []string{PartNewest}
	}
	if !a.Draft {
		in.add(RelatedTag(a.Path))
		v.Related = in.cards(Related(site, a))
	}
	if a.Series != "" && !a.Draft {
		in.add(tagSeries + a.Series)
		v.Series, v.Order, v.SeriesLen = SeriesTitle(a.Series), a.Order, len(site.Series(a.Series))
		prev, next := site.Neighbours(a)
		if prev != nil {
			v.Prev = &web.Link{URL: prev.Path, Title: prev.Title}
		}
		if next != nil {
			v.Next = &web.Link{URL: next.Path, Title: next.Title}
		}
	}
	if !a.Draft {
		in.add(tagAround + a.Path)
		newer, older := site.Around(a)
		v.Newer, v.Older = in.link(newer), in.link(older)
		// A series read in date order would link the same pages twice.
		if sameLink(v.Newer, v.Prev, v.Next) {
			v.Newer = nil
		}
		if sameLink(v.Older, v.Prev, v.Next) {
			v.Older = nil
		}
	}
	return web.ArticlePage(v)
}

// sameLink reports whether l leads where one of others does.
func sameLink(l *web.Link, others ...*web.Link) bool {
	for _, o := range others {
		if l != nil && o != nil && l.URL == o.URL {
			return true
		}
	}
	return false
}

// link is the link to an article a page shows, or nil for none.
func (in inputs) link(a *content.Article) *web.Link {
	if a == nil {
		return nil
	}
	in.add(tagCard + a.Path)
	return &web.Link{URL: a.Path, Title: a.Title}
}

// tagNames returns the names of a's tags as the site shows them: the name
// most articles write each with ([content.Tag]).
func (in inputs) tagNames(site *content.Site, a *content.Article) []string {
	names := make([]string, len(a.Tags))
	for i, slug := range a.Tags {
		in.add(tagName + slug)
		t, ok := site.Tag(slug)
		names[i] = cmp.Or(t.Name, slug)
		if !ok && i < len(a.TagNames) { // a draft's own tag
			names[i] = a.TagNames[i]
		}
	}
	return names
}

func (b *Builder) home(site *content.Site, rt Route, meta metaFunc, in inputs) (templ.Component, time.Time) {
	st := site.Settings()
	name := b.siteName(site)
	description := cmp.Or(st.Description, st.Tagline, "The articles of "+name+", newest first.")
	if st.Home == content.HomeNewest {
		in.add(listArticles)
		m := meta(name, description)
		if rt.Part <= 1 {
			m.JSONLD = []any{seo.WebSite(name, b.cfg.BaseURL)}
		}
		return b.listing(site, rt, m, in, web.ListView{Heading: name, Lede: st.Description})
	}
	m := meta(name, description)
	m.Nav = "/"
	m.JSONLD = []any{seo.WebSite(name, b.cfg.BaseURL)}
	v := web.HomeView{Meta: m, Heading: cmp.Or(st.Tagline, name), Lede: st.Description, Archive: "/archive"}
	in.add(tagSeries + CourseSeries)
	v.Course = in.cards(site.Series(CourseSeries))
	in.add(listLatest)
	v.Latest = in.cards(latest(site))
	in.add(listModified)
	return web.HomePage(v), lastModified(site.Articles())
}

// listing renders page rt.Part of a listing into v, which has its heading.
func (b *Builder) listing(site *content.Site, rt Route, m web.Meta, in inputs, v web.ListView) (templ.Component, time.Time) {
	list, _ := rt.listed(site)
	base, _, _ := basePath(rt.Path)
	n, size := max(1, rt.Part), pageSize(site)
	shown := list[min(len(list), (n-1)*size):min(len(list), n*size)]
	v.Pager = web.Pager{Page: n, Pages: pages(site, len(list))}
	if n > 1 {
		v.Pager.Newer = pagePath(base, n-1)
		m.PrevURL = b.url(v.Pager.Newer)
		m.Title += " · page " + strconv.Itoa(n)
		v.Heading += " · page " + strconv.Itoa(n)
		m.Image.URL = b.url(ImagePath(base)) // the first page's
	}
	if n < v.Pager.Pages {
		v.Pager.Older = pagePath(base, n+1)
		m.NextURL = b.url(v.Pager.Older)
	}
	if m.Nav == "" {
		m.Nav = base
	}
	v.Meta, v.Articles = m, in.cards(shown)
	return web.ListPage(v), lastModified(shown)
}

func (b *Builder) tags(site *content.Site, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(listTags)
	in.add(listModified)
	m := meta("Tags", "Every topic the articles of "+b.siteName(site)+" cover, with the articles on each.")
	m.Nav = "/tags"
	v := web.IndexView{Meta: m, Heading: "Tags", Cloud: true}
	for _, t := range site.Tags() {
		v.Entries = append(v.Entries, web.Entry{Name: t.Name, URL: "/tags/" + t.Slug, Count: len(t.Articles)})
	}
	return web.IndexPage(v), lastModified(site.Articles())
}

func (b *Builder) tag(site *content.Site, rt Route, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(tagTag + rt.Tag)
	in.add(tagName + rt.Tag)
	t, _ := site.Tag(rt.Tag)
	m := meta("Tagged “"+t.Name+"”", "Articles of "+b.siteName(site)+" about "+t.Name+".")
	m.Nav = "/tags"
	return b.listing(site, rt, m, in, web.ListView{Heading: "Tagged “" + t.Name + "”", Back: &web.Link{URL: "/tags", Title: "All tags"}})
}

func (b *Builder) authors(site *content.Site, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(listAuthors)
	in.add(listModified)
	m := meta("Authors", "Everyone who writes for "+b.siteName(site)+", with their articles.")
	v := web.IndexView{Meta: m, Heading: "Authors"}
	for _, a := range site.Bylines() {
		v.Entries = append(v.Entries, web.Entry{Name: a.Name, URL: "/authors/" + a.Key, Count: len(a.Articles)})
	}
	return web.IndexPage(v), lastModified(site.Articles())
}

func (b *Builder) author(site *content.Site, rt Route, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(tagAuthor + rt.Author)
	a, _ := site.Byline(rt.Author)
	m := meta(a.Name, "Articles by "+a.Name+" on "+b.siteName(site)+".")
	v := web.ListView{Heading: "Articles by " + a.Name, Back: &web.Link{URL: "/authors", Title: "All authors"}}
	if a.URL != "" {
		v.See = &web.Link{URL: a.URL, Title: a.Name + "’s own site"}
	}
	return b.listing(site, rt, m, in, v)
}

func (b *Builder) archive(site *content.Site, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(listYears)
	in.add(listModified)
	m := meta("Archive", "Every article of "+b.siteName(site)+", by year.")
	m.Nav = "/archive"
	v := web.IndexView{Meta: m, Heading: "Archive"}
	for _, y := range site.Years() {
		v.Entries = append(v.Entries, web.Entry{Name: strconv.Itoa(y.Year), URL: "/archive/" + strconv.Itoa(y.Year), Count: len(y.Articles)})
	}
	return web.IndexPage(v), lastModified(site.Articles())
}

func (b *Builder) year(site *content.Site, rt Route, meta metaFunc, in inputs) (templ.Component, time.Time) {
	y := strconv.Itoa(rt.Year)
	in.add(tagYear + y)
	m := meta("Articles of "+y, "Every article of "+b.siteName(site)+" dated "+y+".")
	m.Nav = "/archive"
	return b.listing(site, rt, m, in, web.ListView{Heading: "Articles of " + y, Back: &web.Link{URL: "/archive", Title: "Every year"}})
}

func card(a *content.Article) web.Card {
	return web.Card{
		URL:            a.Path,
		Title:          a.Title,
		Description:    a.Description,
		Date:           humanDate(a.Date),
		DateISO:        a.Date.Format(time.DateOnly),
		ReadingMinutes: a.ReadingMinutes,
		Order:          a.Order,
		Mode:           string(a.Render),
	}
}

// cards returns the cards of list and records that the page shows them.
func (in inputs) cards(list []*content.Article) []web.Card {
	out := make([]web.Card, len(list))
	for i, a := range list {
		in.add(tagCard + a.Path)
		out[i] = card(a)
	}
	return out
}

func lastModified(list []*content.Article) time.Time {
	var t time.Time
	for _, a := range list {
		if m := a.Modified(); m.After(t) {
			t = m
		}
	}
	return t
}

// toc nests level-3 headings under the level-2 heading before them.
func toc(hs []markdown.Heading) []web.TOCItem {
	var items []web.TOCItem
	for _, h := range hs {
		item := web.TOCItem{ID: h.ID, Text: h.Text}
		if h.Level > 2 && len(items) > 0 {
			last := &items[len(items)-1]
			last.Children = append(last.Children, item)
			continue
		}
		items = append(items, item)
	}
	return items
}

// interval says a revalidate interval the way people do: "30 seconds".
func interval(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	default:
		return plural(int(d.Round(time.Second)/time.Second), "second")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

func humanDate(t time.Time) string { return t.Format("2 January 2006") }
