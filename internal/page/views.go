package page

import (
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

// meta fills the parts of Meta every page shares.
func (b *Builder) meta(site *content.Site, title, description, route string, d web.Delivery) web.Meta {
	m := web.Meta{
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
		m.Image = web.Image{URL: b.url(ImagePath(route)), Alt: title + " — " + web.SiteName, Width: ImageWidth, Height: ImageHeight}
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
	m := meta(a.Title, a.Description)
	m.Type = "article"
	m.Published = a.Date.Format(time.RFC3339)
	m.Modified = a.Modified().Format(time.RFC3339)
	m.Tags = a.Tags
	m.Nav = "course"
	if a.Path == "/articles/about" {
		m.Nav = "about"
	}
	if a.Image != "" {
		m.Image = web.Image{URL: b.url(path.Join(path.Dir(a.Path), a.Image)), Alt: a.Title}
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
			Published: a.Date, Modified: a.Modified(), Keywords: a.Tags,
			SiteName: web.SiteName, SiteURL: b.url("/"),
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
		Tags:           a.Tags,
		Body:           string(a.HTML),
		Breadcrumbs:    crumbs,
	}
	if !a.Updated.IsZero() {
		v.Updated, v.UpdatedISO = humanDate(a.Updated), a.Updated.Format(time.DateOnly)
	}
	v.TOC = toc(a.Headings)
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
	return web.ArticlePage(v)
}

func (b *Builder) home(site *content.Site, meta metaFunc, in inputs) (templ.Component, time.Time) {
	m := meta(web.SiteName, "A course on how the web is built and delivered: runtimes and frameworks, Node.js and Next.js, and the SSR, SSG and ISR rendering modes.")
	m.Nav = "course"
	m.JSONLD = []any{seo.WebSite(web.SiteName, b.cfg.BaseURL)}
	v := web.HomeView{Meta: m}
	in.add(tagSeries + CourseSeries)
	v.Course = in.cards(site.Series(CourseSeries))
	in.add(listLatest)
	v.Latest = in.cards(latest(site))
	in.add(listModified)
	return web.HomePage(v), lastModified(site.Articles())
}

func (b *Builder) tags(site *content.Site, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(listTags)
	in.add(listModified)
	m := meta("Tags", "Every topic the Renderwise articles cover, with the articles on each.")
	m.Nav = "tags"
	v := web.TagsView{Meta: m}
	for _, t := range site.Tags() {
		v.Tags = append(v.Tags, web.TagCount{Name: t.Name, URL: "/tags/" + t.Slug, Count: len(t.Articles)})
	}
	return web.TagsPage(v), lastModified(site.Articles())
}

func (b *Builder) tag(site *content.Site, name string, meta metaFunc, in inputs) (templ.Component, time.Time) {
	in.add(tagTag + name)
	t, _ := site.Tag(name)
	m := meta("Tagged “"+name+"”", "Renderwise articles about "+name+".")
	m.Nav = "tags"
	return web.TagPage(web.TagView{Meta: m, Name: name, Articles: in.cards(t.Articles)}), lastModified(t.Articles)
}

func card(a *content.Article) web.Card {
	return web.Card{
		URL:            a.Path,
		Title:          a.Title,
		Description:    a.Description,
		Date:           humanDate(a.Date),
		DateISO:        a.Date.Format(time.DateOnly),
		ReadingMinutes: a.ReadingMinutes,
		Tags:           a.Tags,
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
