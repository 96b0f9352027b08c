package page

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
)

// A page declares what it read while it renders: the cache tags of
// DESIGN.md §7, in [Page.Tags]. Incremental builds key every output on the
// current [Digest] of each tag it declared, and revalidation by tag finds
// the pages to render again, so nobody keeps a second list of "what a page
// shows". The tags:
//
//	article:<path>   all of an article, its body too
//	card:<path>      what a listing or a preview image shows of an article
//	tag:<t>          which articles carry tag t, in order
//	name:<t>         the name tag t is shown with (the one most articles write)
//	series:<s>       which articles are in series s, in order, with titles
//	related:<path>   which articles are related to an article
//	around:<path>    the articles just newer and older than an article
//	author:<key>     which articles an author wrote, in order
//	year:<y>         which articles are dated in year y, in order
//	list:articles    every public article, newest first (a newest-first home)
//	list:authors     every author with their number of articles
//	list:years       every year with its number of articles
//	list:latest      the newest articles the home page lists
//	list:feed        the newest articles the feed carries
//	list:tags        every tag with its number of articles
//	list:sitemap     every public page with its date
//	list:modified    when any public article last changed
//	list:explainers  which of the articles explaining a mode exist
//
// An article's own cache_tags (front matter) are declared by its page as
// they are: names to revalidate by, standing for nothing the site can
// digest, so they never change a key.
//
// The code, the base URL, the assets and the site settings are inputs of
// every page; they are not declared per page (a build that changes them
// renders everything, see [SettingsDigest]).
const (
	tagArticle    = "article:"
	tagCard       = "card:"
	tagTag        = "tag:"
	tagName       = "name:"
	tagSeries     = "series:"
	tagRelated    = "related:"
	tagAround     = "around:"
	tagAuthor     = "author:"
	tagYear       = "year:"
	listArticles  = "list:articles"
	listAuthors   = "list:authors"
	listYears     = "list:years"
	listLatest    = "list:latest"
	listFeed      = "list:feed"
	listTags      = "list:tags"
	listSitemap   = "list:sitemap"
	listModified  = "list:modified"
	listExplainer = "list:explainers"
)

// latestArticles is how many of the newest articles the home page lists.
const latestArticles = 5

// inputs collects the tags of one render.
type inputs map[string]struct{}

func (in inputs) add(tag string) { in[tag] = struct{}{} }

// sorted returns the tags in order, for a deterministic Page.
func (in inputs) sorted() []string {
	tags := make([]string, 0, len(in))
	for t := range in {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	return tags
}

// Lists are read through these functions, by the views and by [Digest]
// alike, so that what a tag stands for is said once.

func latest(site *content.Site) []*content.Article {
	list := site.Articles()
	return list[:min(len(list), latestArticles)]
}

func feedArticles(site *content.Site) []*content.Article {
	list := site.Articles()
	n := site.Settings().FeedEntries
	if n <= 0 {
		n = content.DefaultFeedEntries
	}
	return list[:min(len(list), n)]
}

// Related returns the articles an article page lists as related.
func Related(site *content.Site, a *content.Article) []*content.Article {
	return site.Related(a, RelatedArticles)
}

// RelatedTag is the tag of the related articles of the article at path; the
// export keeps their paths from one build to the next (see
// [DigestOfPaths]).
func RelatedTag(path string) string { return tagRelated + path }

// Digest returns the current value of a tag in site, as a short hash: equal
// digests mean the pages that read it would show the same thing. A tag that
// names nothing in site (a deleted article) has a digest of its own.
func Digest(site *content.Site, tag string) string {
	d := digester{b: make([]byte, 0, 512)}
	d.str(tag)
	switch kind, arg, _ := strings.Cut(tag, ":"); kind + ":" {
	case tagArticle:
		if a, ok := site.Article(arg); ok {
			if dg := a.Digest(); dg != "" {
				d.str(dg)
			} else { // an article made by hand, not parsed from a file
				d.card(a)
				d.b = append(d.b, a.HTML...)
			}
		}
	case tagCard:
		if a, ok := site.Article(arg); ok {
			d.card(a)
		}
	case tagTag:
		t, _ := site.Tag(arg)
		d.paths(t.Articles)
	case tagName:
		t, _ := site.Tag(arg)
		d.str(t.Name)
	case tagSeries:
		for _, a := range site.Series(arg) {
			d.str(a.Path)
			d.str(a.Title)
		}
	case tagRelated:
		if a, ok := site.Article(arg); ok && !a.Draft {
			d.paths(Related(site, a))
		}
	case tagAround:
		if a, ok := site.Article(arg); ok {
			newer, older := site.Around(a)
			for _, n := range []*content.Article{newer, older} {
				if n != nil {
					d.str(n.Path)
				} else {
					d.str("")
				}
			}
		}
	case tagAuthor:
		b, _ := site.Byline(arg)
		d.paths(b.Articles)
	case tagYear:
		y, _ := strconv.Atoi(arg)
		list, _ := site.YearOf(y)
		d.paths(list.Articles)
	default:
		switch tag {
		case listLatest:
			d.paths(latest(site))
		case listArticles:
			d.paths(site.Articles())
		case listAuthors:
			for _, b := range site.Bylines() {
				d.str(b.Key)
				d.int(int64(len(b.Articles)))
			}
		case listYears:
			for _, y := range site.Years() {
				d.int(int64(y.Year))
				d.int(int64(len(y.Articles)))
			}
		case listFeed:
			d.paths(feedArticles(site))
		case listTags:
			for _, t := range site.Tags() {
				d.str(t.Name)
				d.int(int64(len(t.Articles)))
			}
		case listSitemap:
			for _, e := range sitemapEntries(site) {
				d.str(e.path)
				d.time(e.modified)
			}
		case listModified:
			d.time(lastModified(site.Articles()))
		case listExplainer:
			for _, m := range []content.Mode{content.SSG, content.ISR, content.SSR, content.PPR} {
				_, ok := site.Article(explain[m])
				d.b = strconv.AppendBool(d.b, ok)
			}
		}
	}
	return d.sum()
}

// SettingsDigest is the digest of the site settings (site.yaml), an input
// of every page.
func SettingsDigest(site *content.Site) string {
	st := site.Settings()
	d := digester{}
	for _, s := range []string{st.Title, st.Tagline, st.Description, st.Language, st.BaseURL, st.Home} {
		d.str(s)
	}
	d.int(int64(st.Paginate))
	d.int(int64(st.FeedEntries))
	d.b = strconv.AppendBool(d.b, st.UnsafeHTML)
	for _, k := range slices.Sorted(maps.Keys(st.Authors)) {
		au := st.Authors[k]
		d.str(au.Key)
		d.str(au.Name)
		d.str(au.URL)
	}
	for _, m := range st.Menu {
		d.str(m.Title)
		d.str(m.URL)
	}
	return d.sum()
}

// DigestOfPaths is the digest of a related:<path> tag whose related
// articles are known to be paths: the export, which remembers them from its
// last build, asks this instead of [Digest] while nothing that decides
// relatedness changed (it is costly to work out for every article of a
// large site).
func DigestOfPaths(tag string, paths []string) string {
	d := digester{b: make([]byte, 0, 256)}
	d.str(tag)
	for _, p := range paths {
		d.str(p)
	}
	return d.sum()
}

// digester gathers the bytes of a digest: strings end with a NUL, which
// no path or name holds. Appending to one buffer and hashing once is three
// times faster than writing each value into the hash through fmt (a tenth
// of an unchanged 10,000-article build's CPU before).
type digester struct{ b []byte }

func (d *digester) str(s string) { d.b = append(append(d.b, s...), 0) }
func (d *digester) int(n int64)  { d.b = append(strconv.AppendInt(d.b, n, 10), 0) }
func (d *digester) time(t time.Time) {
	d.b = append(t.UTC().AppendFormat(d.b, time.RFC3339Nano), 0)
}

// paths writes the paths of list, as [DigestOfPaths] does.
func (d *digester) paths(list []*content.Article) {
	for _, a := range list {
		d.str(a.Path)
	}
}

func (d *digester) sum() string {
	h := sha256.Sum256(d.b)
	return hex.EncodeToString(h[:12])
}

// card writes everything a card or a preview image may show of a: its
// front matter (every exported field: TestCardCoversFrontMatter fails when
// one is added and not written here), its path and what is worked out from
// its body for listings.
func (d *digester) card(a *content.Article) {
	fm := &a.FrontMatter
	strs := func(list []string) {
		d.int(int64(len(list)))
		for _, s := range list {
			d.str(s)
		}
	}
	d.str(fm.Title)
	d.str(fm.Description)
	d.time(fm.Date)
	d.time(fm.Updated)
	strs(fm.Tags)
	strs(fm.TagNames)
	strs(fm.Authors)
	d.str(fm.Series)
	d.int(int64(fm.Order))
	d.str(string(fm.Render))
	d.int(int64(fm.Revalidate))
	d.b = strconv.AppendBool(d.b, fm.Draft)
	strs(fm.Aliases)
	d.str(fm.Image)
	strs(fm.CacheTags)
	d.str(a.Path)
	d.int(int64(a.ReadingMinutes))
	d.b = strconv.AppendBool(d.b, a.HasCode)
}

// cardFields is how many exported fields of content.FrontMatter digester.card
// writes.
const cardFields = 15
