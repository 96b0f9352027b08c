// Package web holds the templ components that render every page and the
// view-model structs they take. A component is a pure function of its
// arguments: it reads no files, no clock and no globals, and imports nothing
// from internal/, so it can only show what it is given.
package web

// ThemeScript is the one inline script, as the layout writes it: it applies
// the reader's stored theme before the first paint, so pages stay the same
// for everyone (and cacheable) while nobody sees a flash of the wrong theme.
// It also marks the root with the class "js", so that controls which only
// work with scripts (the ISR check) take their place in the first paint
// instead of shifting the page when a module unhides them.
// The server allows it in its Content-Security-Policy by hash; a server test
// checks that this copy and the layout's agree.
const ThemeScript = `(function(){var d=document.documentElement,m=document.cookie.match(/(?:^|; )theme=(light|dark)(?:;|$)/);d.classList.add("js");if(m)d.dataset.theme=m[1]})()`

// Meta is what every page's <head> and chrome need. The page package fills it
// in one place for every page kind.
type Meta struct {
	Site        SiteView
	Title       string // the page's own title; the layout adds " — " and the site's name
	Description string
	Canonical   string // absolute URL
	Type        string // Open Graph type: "article" or "website"
	Image       Image  // the preview image
	Published   string // RFC 3339, articles only
	Modified    string // RFC 3339, articles only
	Tags        []string
	NoIndex     bool
	FeedURL     string
	PrevURL     string   // absolute: the page before this one of a paginated listing
	NextURL     string   // absolute: the page after it
	JSONLD      []any    // structured data, each rendered in its own script element
	InlineCSS   string   // the base stylesheet, inlined: it fits in the first round trip
	Styles      []string // URLs of feature stylesheets, in order
	Scripts     []string // module script URLs, deferred by nature
	Nav         string   // the site path of the section the page is in: a menu link to it is current
	Delivery    Delivery
	Path        string // the page's own site path, e.g. for the theme form to return to
	Preview     bool   // draft preview: show the banner
	Dev         bool   // dev mode: include the live-reload script
	DevError    string
}

// SiteView is what every page shows of the site itself (site.yaml).
type SiteView struct {
	Name     string // in titles, the header and previews
	Tagline  string // a few words under the name, in the footer
	Language string // the lang of <html>
	Menu     []Link
}

// Image is an image with the facts a link preview needs.
type Image struct {
	URL    string
	Alt    string
	Width  int
	Height int
}

// Delivery tells the reader how a page was delivered.
type Delivery struct {
	Mode         string // "ssg", "isr" or "ssr"
	GeneratedAt  string // human-readable UTC time
	GeneratedISO string // RFC 3339, for <time datetime>
	Revalidate   string // ISR interval, e.g. "30 seconds"
	// RevalidateSeconds is the ISR interval in seconds, for the countdown
	// script (isr.js); it reads it with GeneratedISO from the panel.
	RevalidateSeconds int
	// StaleAt is the end of the interval, in the same clock format as
	// GeneratedAt's time ("15:04:05 UTC"). The page is cached and served
	// after that moment too, so the panel says it without a tense.
	StaleAt    string
	StaleISO   string // RFC 3339
	ExplainURL string // the article that explains the mode
	// RenderedIn reports how long an SSR page has taken so far; it is called
	// while the page is being written, at the end of the page.
	RenderedIn func() string
	// Holes marks an SSR page whose request-dependent sentences are holes
	// (page.SSRShell): the panel's time and the time at the foot.
	Holes bool
}

// Link is a titled link.
type Link struct {
	URL   string
	Title string
}

// TOCItem is one entry of an article's table of contents, with the
// subsections under it.
type TOCItem struct {
	ID       string
	Text     string
	Children []TOCItem
}

// Card is an article as it appears in lists.
type Card struct {
	URL            string
	Title          string
	Description    string
	Date           string // human-readable
	DateISO        string
	ReadingMinutes int
	Order          int // position in the course, 0 outside it
	Mode           string
}

// ArticleView is the article page.
type ArticleView struct {
	Meta
	Title          string
	Description    string
	Date           string
	DateISO        string
	Updated        string // empty if never updated
	UpdatedISO     string
	ReadingMinutes int
	Authors        []Link
	Tags           []Link
	TOC            []TOCItem
	Body           string // trusted HTML from the markdown package
	Series         string // display name of the series, if any
	Order          int
	SeriesLen      int
	Live           bool     // a PPR page: the live part follows the article
	Parts          []string // a PPR page: the cached parts that follow the article
	Prev, Next     *Link    // in the series
	Newer, Older   *Link    // among all articles
	Breadcrumbs    []Link
	Related        []Card
}

// HomeView is the home page of a course: the course in order, then the
// latest articles.
type HomeView struct {
	Meta
	Heading string
	Lede    string
	Course  []Card
	Latest  []Card
	Archive string // the URL of every article, by year
}

// Entry is a tag, author or year with how many articles it has.
type Entry struct {
	Name  string
	URL   string
	Count int
}

// IndexView lists tags, authors or years, each linking to its listing.
type IndexView struct {
	Meta
	Heading string
	Cloud   bool // a cloud of tags rather than a list
	Entries []Entry
}

// ListView is one page of a listing of articles: the newest articles, a
// tag's, an author's, a year's.
type ListView struct {
	Meta
	Heading  string
	Lede     string
	See      *Link // beside the heading: an author's own site
	Articles []Card
	Pager    Pager
	Back     *Link // the index the listing belongs to
}

// Pager links the pages of a paginated listing.
type Pager struct {
	Page, Pages  int
	Newer, Older string // URLs of the pages before and after; "" at the ends
}

// Fragment is a piece of a search snippet; Match marks the query's words.
type Fragment struct {
	Text  string
	Match bool
}

// SearchResult is one search hit.
type SearchResult struct {
	URL     string
	Title   string
	Snippet []Fragment
}

// SearchView is the search page: a form, and results when there is a query.
type SearchView struct {
	Meta
	Query   string
	Total   int
	Results []SearchResult
}

// ErrorView is the 404 and 500 page.
type ErrorView struct {
	Meta
	Status    int
	Heading   string
	Message   string
	RequestID string
}

// LabView is the delivery lab: one article per mode, fetched side by side.
type LabView struct {
	Meta
	DelayMS    int // the simulated data source's delay, for SSR and PPR
	MaxDelayMS int
	Rows       []LabRow
}

// LabRow is one mode's fetch, as the server measured it; lab.js measures
// it again from the browser and replaces the figures.
type LabRow struct {
	Mode      string
	Article   string // the article's path, for the link
	URL       string // what is fetched (with ?delay= for SSR and PPR)
	Status    string
	Cache     string
	Age       string
	FirstByte string
	Total     string
	Size      string
	Timing    string // Server-Timing
}

// HoleView is what the delivery panel's hole says of one request for a
// PPR page.
type HoleView struct {
	Found     string // what the request found in the cache, a sentence
	At, AtISO string // when the hole was rendered
	After     string // how long after the request arrived
}
