package content

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Site is a snapshot of all articles with their indexes. What it answers
// never changes: its articles and indexes are fixed when it is built, and a
// reload builds a new Site. It is not immutable inside: [Site.Related]
// works an answer out on first ask and remembers it (safe for concurrent
// use), since a build asks for each list twice.
type Site struct {
	byPath  map[string]*Article
	aliases map[string]string // alias → canonical path
	public  []*Article        // not drafts; newest first
	pos     map[*Article]int  // index in public
	series  map[string][]*Article
	tags    []Tag
	bylines []Byline // by key
	years   []Year   // newest first

	files    []string        // published beside the articles, sorted
	isFile   map[string]bool // the same, as a set
	related  *relatedIndex
	warnings []Problem
	declared Settings // as site.yaml has them
	settings Settings // with the defaults that depend on the articles filled in
	imageURL ImageURL // Options.ImageURL, for the Store that re-reads files
	pages    Pages    // Options.Pages, likewise
}

// Settings returns the site settings from site.yaml, with defaults for what
// it does not say; Home is always set. The Authors map and Menu slice are
// shared: do not modify them.
func (s *Site) Settings() Settings { return s.settings }

// Authors returns the authors of an article: each of its authors that is a
// key of site.yaml's authors is that author, and any other is a name, with
// its slug as the key. It returns nil for an article that names none.
func (s *Site) Authors(a *Article) []Author {
	if len(a.Authors) == 0 {
		return nil
	}
	out := make([]Author, len(a.Authors))
	for i, name := range a.Authors {
		if au, ok := s.settings.Authors[name]; ok {
			out[i] = au
		} else {
			out[i] = Author{Key: Slugify(name), Name: name}
		}
	}
	return out
}

// File reports whether name (a path in the content folder, such as
// "node/loop.png") is published beside the articles: a regular file of a
// published type that is not hidden ([Published]).
func (s *Site) File(name string) bool { return s.isFile[name] }

// Files returns the files published beside the articles, sorted.
func (s *Site) Files() []string { return s.files }

// Warnings returns what is worth fixing in the content but did not stop it
// from loading, sorted.
func (s *Site) Warnings() []Problem { return s.warnings }

// Tag is a tag with its public articles, newest first.
type Tag struct {
	Name     string // as written in front matter, "Go 1.21": for people
	Slug     string // Slugify(Name), "go-1-21": for URLs, and the key of [Site.Tag]
	Articles []*Article
}

// Article returns the article at a site path, drafts included.
func (s *Site) Article(p string) (*Article, bool) {
	a, ok := s.byPath[p]
	return a, ok
}

// Alias returns the canonical path an old path redirects to.
func (s *Site) Alias(p string) (string, bool) {
	to, ok := s.aliases[p]
	return to, ok
}

// Articles returns the public articles, newest first. The slice is shared.
func (s *Site) Articles() []*Article { return s.public }

// All returns every article, drafts included, sorted by path.
func (s *Site) All() []*Article {
	all := make([]*Article, 0, len(s.byPath))
	for _, a := range s.byPath {
		all = append(all, a)
	}
	slices.SortFunc(all, func(a, b *Article) int { return cmp.Compare(a.Path, b.Path) })
	return all
}

// Series returns the public articles of a series in order.
func (s *Site) Series(name string) []*Article { return s.series[name] }

// SeriesNames returns the names of all series, sorted.
func (s *Site) SeriesNames() []string {
	names := make([]string, 0, len(s.series))
	for n := range s.series {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Neighbours returns the articles before and after a in its series.
func (s *Site) Neighbours(a *Article) (prev, next *Article) {
	list := s.series[a.Series]
	i := slices.Index(list, a)
	if i < 0 {
		return nil, nil
	}
	if i > 0 {
		prev = list[i-1]
	}
	if i+1 < len(list) {
		next = list[i+1]
	}
	return prev, next
}

// Around returns the public articles just newer and just older than a, in
// the order of [Site.Articles]; nil at either end, and both nil for a draft.
func (s *Site) Around(a *Article) (newer, older *Article) {
	i, ok := s.pos[a]
	if !ok {
		return nil, nil
	}
	if i > 0 {
		newer = s.public[i-1]
	}
	if i+1 < len(s.public) {
		older = s.public[i+1]
	}
	return newer, older
}

// Byline is an author with their public articles, newest first.
type Byline struct {
	Author
	Articles []*Article
}

// Bylines returns every author of a public article, sorted by key.
func (s *Site) Bylines() []Byline { return s.bylines }

// Byline returns the author with a key ([Author.Key]).
func (s *Site) Byline(key string) (Byline, bool) {
	return find(s.bylines, func(b Byline) int { return cmp.Compare(b.Key, key) })
}

// Year is a year with the public articles dated in it, newest first.
type Year struct {
	Year     int
	Articles []*Article
}

// Years returns the years public articles are dated in, newest first.
func (s *Site) Years() []Year { return s.years }

// YearOf returns the articles dated in year y.
func (s *Site) YearOf(y int) (Year, bool) {
	return find(s.years, func(e Year) int { return cmp.Compare(y, e.Year) }) // newest first
}

// Tags returns all tags of public articles, sorted by slug.
func (s *Site) Tags() []Tag { return s.tags }

// Tag returns the tag with a slug.
func (s *Site) Tag(slug string) (Tag, bool) {
	return find(s.tags, func(t Tag) int { return cmp.Compare(t.Slug, slug) })
}

// find looks an entry up in a sorted index; cmp compares an entry with the
// one looked for.
func find[E any](list []E, cmp func(E) int) (E, bool) {
	i, ok := slices.BinarySearchFunc(list, struct{}{}, func(e E, _ struct{}) int { return cmp(e) })
	if !ok {
		var zero E
		return zero, false
	}
	return list[i], true
}

// newSite indexes articles and the files published beside them, and
// cross-checks them with each other and the settings: aliases, series order,
// links and authors.
func newSite(articles map[string]*Article, files []string, settings Settings, pages Pages) (*Site, []Problem) {
	s := &Site{
		pages:    pages,
		byPath:   articles,
		aliases:  map[string]string{},
		series:   map[string][]*Article{},
		files:    files,
		isFile:   make(map[string]bool, len(files)),
		declared: settings,
	}
	for _, f := range files {
		s.isFile[f] = true
	}
	var probs []Problem
	sorted := s.All()
	aliasFrom := map[string]*Article{}
	for _, a := range sorted {
		old, _ := oldPath(a.File)
		for _, al := range a.Aliases {
			line := a.lines["aliases"]
			if al == old {
				line = 1 // the old form of the file name
			}
			switch other, dup := aliasFrom[al]; {
			case dup:
				probs = append(probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("alias %s is also an alias of %s", al, other.File)})
			case s.byPath[al] != nil:
				probs = append(probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("alias %s is the path of %s", al, s.byPath[al].File)})
			default:
				aliasFrom[al] = a
				s.aliases[al] = a.Path
			}
		}
		if !a.Draft {
			s.public = append(s.public, a)
			if a.Series != "" {
				s.series[a.Series] = append(s.series[a.Series], a)
			}
		}
	}
	slices.SortStableFunc(s.public, func(a, b *Article) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Path, b.Path))
	})
	for name, list := range s.series {
		slices.SortStableFunc(list, func(a, b *Article) int { return cmp.Compare(a.Order, b.Order) })
		for i := 1; i < len(list); i++ {
			if list[i].Order == list[i-1].Order {
				probs = append(probs, Problem{File: list[i].File, Line: 1, Msg: fmt.Sprintf("series %s: order %d is also used by %s", name, list[i].Order, list[i-1].File)})
			}
		}
	}
	s.pos = make(map[*Article]int, len(s.public))
	for i, a := range s.public {
		s.pos[a] = i
		if y := a.Date.Year(); len(s.years) == 0 || s.years[len(s.years)-1].Year != y {
			s.years = append(s.years, Year{Year: y})
		}
		last := &s.years[len(s.years)-1]
		last.Articles = append(last.Articles, a)
	}
	byTag := map[string][]*Article{}
	names := map[string]map[string]int{} // slug → name as written → articles
	for _, a := range s.public {
		for i, t := range a.Tags {
			byTag[t] = append(byTag[t], a)
			if names[t] == nil {
				names[t] = map[string]int{}
			}
			names[t][tagName(a, i)]++
		}
	}
	s.related = newRelatedIndex(s.public)
	for slug, list := range byTag {
		s.tags = append(s.tags, Tag{Name: commonest(names[slug]), Slug: slug, Articles: list})
	}
	slices.SortFunc(s.tags, func(a, b Tag) int { return cmp.Compare(a.Slug, b.Slug) })
	probs = append(probs, s.settle(settings)...)
	s.indexAuthors()
	for _, a := range sorted {
		probs = append(probs, s.checkLinks(a)...)
	}
	return s, probs
}

// tagName is the name of a's i-th tag as written.
func tagName(a *Article, i int) string {
	if i < len(a.TagNames) {
		return a.TagNames[i]
	}
	return a.Tags[i]
}

// commonest is the name most articles write a tag with; of equals, the
// first in byte order, which puts capitals first ("TypeScript" before
// "typescript"): a name someone took care over.
func commonest(counts map[string]int) string {
	best, n := "", 0
	for name, c := range counts {
		if c > n || c == n && name < best {
			best, n = name, c
		}
	}
	return best
}

// settle fills in the settings that depend on the articles, and checks the
// articles' authors against them.
func (s *Site) settle(settings Settings) []Problem {
	var probs []Problem
	s.settings = settings
	switch {
	case settings.Home == "" && len(s.series[courseSeries]) > 0:
		s.settings.Home = HomeCourse
	case settings.Home == "":
		s.settings.Home = HomeNewest
	case settings.Home == HomeCourse && len(s.series[courseSeries]) == 0:
		probs = append(probs, Problem{File: settings.File, Line: settings.lines["home"], Msg: "home: course shows the series course, and no published article is in it"})
	}
	if len(settings.Authors) == 0 {
		return probs
	}
	for _, a := range s.All() {
		for _, name := range a.Authors {
			if _, ok := settings.Authors[name]; !ok && slugRE.MatchString(name) {
				line := cmp.Or(a.lines["authors"], a.lines["author"])
				probs = append(probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("author %q is not a key of %s's authors, so it is shown as a name", name, settings.File), Warning: true})
			}
		}
	}
	return probs
}

// indexAuthors lists every author of a public article with their articles.
func (s *Site) indexAuthors() {
	by := map[string]*Byline{}
	for _, a := range s.public {
		for _, au := range s.Authors(a) {
			if au.Key == "" {
				continue // a name with nothing to make a path of
			}
			b := by[au.Key]
			if b == nil {
				b = &Byline{Author: au}
				by[au.Key] = b
			}
			if n := len(b.Articles); n == 0 || b.Articles[n-1] != a { // an author named twice
				b.Articles = append(b.Articles, a)
			}
		}
	}
	s.bylines = make([]Byline, 0, len(by))
	for _, b := range by {
		s.bylines = append(s.bylines, *b)
	}
	slices.SortFunc(s.bylines, func(a, b Byline) int { return cmp.Compare(a.Key, b.Key) })
}

// checkPage reports a link to a path outside /articles/ that is no page of
// the site, when the loader was told what the pages are ([Options.Pages]).
func (s *Site) checkPage(a *Article, line int, dest string, probs *[]Problem) {
	if s.pages == nil || !strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") {
		return // another site, a relative link left as it was, or no way to tell
	}
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest = dest[:i]
	}
	if len(dest) > 1 {
		dest = strings.TrimSuffix(dest, "/") // the server redirects /tags/ to /tags
	}
	if _, ok := s.aliases[dest]; ok || s.pages(s, dest) {
		return
	}
	*probs = append(*probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("links to %s, which is not a page of the site", dest)})
}

// checkLinks reports links from a to articles or files that do not exist.
func (s *Site) checkLinks(a *Article) []Problem {
	var probs []Problem
	check := func(line int, dest string, image bool) {
		target, ok := strings.CutPrefix(dest, "/articles/")
		if !ok {
			s.checkPage(a, line, dest, &probs)
			return
		}
		if i := strings.IndexAny(target, "?#"); i >= 0 {
			target = target[:i]
			dest = dest[:len("/articles/")+i]
		}
		if t, ok := strings.CutSuffix(target, "/"); ok && t != "" && !image {
			target, dest = t, "/articles/"+t // the server redirects /articles/x/ to /articles/x
		}
		if _, ok := s.aliases[dest]; ok && !image {
			return // an old path, such as the file name of go1.21.md
		}
		if image || path.Ext(target) != "" {
			if !s.isFile[target] {
				msg := fmt.Sprintf("links to %s, which does not exist", dest)
				if ok, why := Published(target); !ok {
					msg = fmt.Sprintf("links to %s, which is not published: %s", dest, why)
				}
				probs = append(probs, Problem{File: a.File, Line: line, Msg: msg})
			}
			return
		}
		to, ok := s.byPath[dest]
		if !ok {
			if _, ok := s.aliases[dest]; ok {
				return
			}
			probs = append(probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("links to %s, which is not an article", dest)})
			return
		}
		if to.Draft && !a.Draft {
			probs = append(probs, Problem{File: a.File, Line: line, Msg: fmt.Sprintf("links to %s, which is a draft", dest)})
		}
	}
	for _, l := range a.links {
		check(l.Line, l.Dest, l.Image)
		if l.Image && strings.TrimSpace(l.Alt) == "" {
			probs = append(probs, Problem{File: a.File, Line: l.Line, Msg: "image " + l.Dest + " has no alt text", Warning: true})
		}
	}
	if a.Image != "" {
		// A cover image is a file in the article's folder or below it, like
		// the page bundles of other generators; it never reaches elsewhere.
		if !fs.ValidPath(a.Image) {
			probs = append(probs, Problem{File: a.File, Line: a.lines["image"], Msg: fmt.Sprintf("image %q must name a file in the article's folder (no leading /, no ..)", a.Image)})
		} else {
			check(a.lines["image"], path.Join(path.Dir("/articles/"+a.File), a.Image), true)
		}
	}
	return probs
}
