package page

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
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
//	series:<s>       which articles are in series s, in order, with titles
//	related:<path>   which articles are related to an article
//	list:latest      the newest articles the home page lists
//	list:feed        the newest articles the feed carries
//	list:tags        every tag with its number of articles
//	list:sitemap     every public page with its date
//	list:modified    when any public article last changed
//	list:explainers  which of the articles explaining a mode exist
//
// The code, the base URL and the assets are inputs of every page; they are
// not declared per page (a build that changes them renders everything).
const (
	tagArticle    = "article:"
	tagCard       = "card:"
	tagTag        = "tag:"
	tagSeries     = "series:"
	tagRelated    = "related:"
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
	return list[:min(len(list), FeedEntries)]
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
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", tag)
	switch kind, arg, _ := strings.Cut(tag, ":"); kind + ":" {
	case tagArticle:
		if a, ok := site.Article(arg); ok {
			if d := a.Digest(); d != "" {
				h.Write([]byte(d))
			} else { // an article made by hand, not parsed from a file
				writeCard(h, a)
				h.Write(a.HTML)
			}
		}
	case tagCard:
		if a, ok := site.Article(arg); ok {
			writeCard(h, a)
		}
	case tagTag:
		t, _ := site.Tag(arg)
		writePaths(h, t.Articles)
	case tagSeries:
		for _, a := range site.Series(arg) {
			fmt.Fprintf(h, "%s\x00%s\x00", a.Path, a.Title)
		}
	case tagRelated:
		if a, ok := site.Article(arg); ok && !a.Draft {
			writePaths(h, Related(site, a))
		}
	default:
		switch tag {
		case listLatest:
			writePaths(h, latest(site))
		case listFeed:
			writePaths(h, feedArticles(site))
		case listTags:
			for _, t := range site.Tags() {
				fmt.Fprintf(h, "%s\x00%d\x00", t.Name, len(t.Articles))
			}
		case listSitemap:
			writeTime(h, lastModified(site.Articles()))
			for _, t := range site.Tags() {
				fmt.Fprintf(h, "%s\x00", t.Name)
				writeTime(h, lastModified(t.Articles))
			}
			for _, a := range site.Articles() {
				fmt.Fprintf(h, "%s\x00", a.Path)
				writeTime(h, a.Modified())
			}
		case listModified:
			writeTime(h, lastModified(site.Articles()))
		case listExplainer:
			for _, m := range []content.Mode{content.SSG, content.ISR, content.SSR} {
				_, ok := site.Article(explain[m])
				fmt.Fprintf(h, "%v\x00", ok)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// DigestOfPaths is the digest of a related:<path> tag whose related
// articles are known to be paths: the export, which remembers them from its
// last build, asks this instead of [Digest] while nothing that decides
// relatedness changed (it is costly to work out for every article of a
// large site).
func DigestOfPaths(tag string, paths []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", tag)
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00", p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// writePaths writes the paths of list; related:<path> digests are the same
// as [DigestOfPaths] of those paths.
func writePaths(h hash.Hash, list []*content.Article) {
	for _, a := range list {
		fmt.Fprintf(h, "%s\x00", a.Path)
	}
}

// writeCard writes everything a card or a preview image may show of a: its
// front matter (every exported field: TestCardCoversFrontMatter fails when
// one is added and not written here), its path and what is worked out from
// its body for listings. Written field by field rather than with %#v, which
// took a third of an unchanged 10,000-article build's key time.
func writeCard(h hash.Hash, a *content.Article) {
	fm := &a.FrontMatter
	b := make([]byte, 0, 256)
	str := func(s string) { b = append(append(b, s...), 0) }
	strs := func(list []string) {
		b = strconv.AppendInt(b, int64(len(list)), 10)
		for _, s := range list {
			str(s)
		}
	}
	str(fm.Title)
	str(fm.Description)
	str(fm.Date.UTC().Format(time.RFC3339Nano))
	str(fm.Updated.UTC().Format(time.RFC3339Nano))
	strs(fm.Tags)
	strs(fm.TagNames)
	strs(fm.Authors)
	str(fm.Series)
	b = strconv.AppendInt(b, int64(fm.Order), 10)
	str(string(fm.Render))
	b = strconv.AppendInt(b, int64(fm.Revalidate), 10)
	b = strconv.AppendBool(b, fm.Draft)
	strs(fm.Aliases)
	str(fm.Image)
	str(a.Path)
	b = strconv.AppendInt(b, int64(a.ReadingMinutes), 10)
	b = strconv.AppendBool(b, a.HasCode)
	h.Write(b)
}

// cardFields is how many exported fields of content.FrontMatter writeCard
// writes.
const cardFields = 14

func writeTime(h hash.Hash, t time.Time) { fmt.Fprintf(h, "%s\x00", t.UTC().Format(time.RFC3339Nano)) }
