package page

import (
	"sync"

	"github.com/a-h/templ"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/search"
	"github.com/renderwise/renderwise/web"
)

// MaxResults is how many search results a page shows.
const MaxResults = 20

// searcher keeps the search index of the latest Site; a new Site (after a
// reload) gets a new index on its first search.
type searcher struct {
	mu   sync.Mutex
	site *content.Site
	ix   *search.Index
}

// Index returns the search index of site, building it on first use.
func (b *Builder) Index(site *content.Site) *search.Index {
	s := b.search
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.site != site {
		s.site, s.ix = site, NewIndex(site)
	}
	return s.ix
}

// NewIndex indexes the public articles of site.
func NewIndex(site *content.Site) *search.Index {
	docs := make([]search.Doc, 0, len(site.Articles()))
	for _, a := range site.Articles() {
		text := search.ExtractText(a.HTML)
		d := search.Doc{ID: a.Path, Title: a.Title, Tags: a.Tags, Body: a.Description + " " + text.Prose, Code: text.Code}
		for _, h := range a.Headings {
			d.Headings = append(d.Headings, h.Text)
		}
		docs = append(docs, d)
	}
	return search.New(docs)
}

func (b *Builder) searchPage(site *content.Site, query string, d web.Delivery, preview bool) templ.Component {
	m := b.meta(site, "Search", "Search the articles of "+b.siteName(site)+".", "/search", d)
	m.Preview = preview
	m.NoIndex = m.NoIndex || preview
	m.Nav = "/search"
	m.Styles = append(m.Styles, b.assets.URL("search.css"))
	m.Scripts = append(m.Scripts, b.assets.URL("search.js"))
	v := web.SearchView{Meta: m, Query: query}
	if query != "" {
		m.NoIndex = true
		results, total := b.Index(site).Search(query, MaxResults)
		v.Total = total
		for _, r := range results {
			sr := web.SearchResult{URL: r.ID, Title: r.Title}
			for _, f := range r.Snippet {
				sr.Snippet = append(sr.Snippet, web.Fragment{Text: f.Text, Match: f.Match})
			}
			v.Results = append(v.Results, sr)
		}
		v.Meta = m
	}
	return web.SearchPage(v)
}
