package page

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/content"
)

// blog is a site written elsewhere: its own settings, 23 articles over two
// years by two authors (one a key of site.yaml, one a name), pages of 10,
// the newest articles at home.
func blog(t *testing.T) (*Builder, *content.Site) {
	t.Helper()
	fsys := fstest.MapFS{
		"site.yaml": {Data: []byte("title: Field Notes\ntagline: Short notes on the web\ndescription: Notes, newest first.\nlanguage: pt-BR\n" +
			"authors:\n  ann: {name: Ann Lee, url: https://ann.example}\n" +
			"menu:\n  - {title: Archive, url: /archive}\n  - {title: Source, url: https://example.org/src}\n" +
			"home: newest\npaginate: 10\nfeed_entries: 5\n")},
	}
	for i := 1; i <= 23; i++ {
		year, author := 2026, "ann"
		if i <= 3 {
			year, author = 2025, "Bob Roe"
		}
		fsys[fmt.Sprintf("n%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Note %d\ndescription: Number %d.\ndate: %d-01-%02d\ntags: [Go 1.21]\nauthor: %s\n---\nBody %d.\n",
			i, i, year, i, author, i))}
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	set, err := assets.New(fstest.MapFS{
		"site.css": {Data: []byte("body{margin:0}")}, "theme.js": {Data: []byte("// theme")}, "isr.js": {Data: []byte("// isr")},
		"code.css": {Data: []byte(".chroma{}")}, "code.js": {Data: []byte("// code")}, "search.css": {Data: []byte("mark{}")}, "search.js": {Data: []byte("// search")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return NewBuilder(Config{BaseURL: "https://notes.example"}, set), site
}

func build(t *testing.T, b *Builder, site *content.Site, path string) *goquery.Document {
	t.Helper()
	rt, ok := Resolve(site, path)
	if !ok {
		t.Fatalf("Resolve(%s): no page", path)
	}
	p, err := b.Build(context.Background(), site, rt, fixedNow)
	if err != nil {
		t.Fatalf("Build(%s): %v", path, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func cardTitles(doc *goquery.Document) []string {
	return doc.Find(".cards .card-title").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

func TestListingsPaginate(t *testing.T) {
	t.Parallel()
	_, site := blog(t)
	for path, ok := range map[string]bool{
		"/": true, "/page/2": true, "/page/3": true, "/page/4": false, "/page/1": false, "/page/02": false, "/page/0": false, "/page/x": false,
		"/tags/go-1-21": true, "/tags/go-1-21/page/3": true, "/tags/go-1-21/page/4": false,
		"/authors": true, "/authors/ann": true, "/authors/ann/page/2": true, "/authors/ann/page/3": false, "/authors/bob-roe": true, "/authors/bob-roe/page/2": false, "/authors/nobody": false,
		"/archive": true, "/archive/2026": true, "/archive/2026/page/2": true, "/archive/2025": true, "/archive/2024": false, "/archive/02026": false,
		"/tags/page/2": false, "/og/page/2.png": false, "/og/tags/go-1-21.png": true,
	} {
		if _, got := Resolve(site, path); got != ok {
			t.Errorf("Resolve(%s) = %v, want %v", path, got, ok)
		}
	}
	for path, want := range map[string]string{"/page/1": "/", "/tags/go-1-21/page/1": "/tags/go-1-21", "/articles/x/page/1": ""} {
		if got, _ := FirstPage(path); got != want {
			t.Errorf("FirstPage(%s) = %q, want %q", path, got, want)
		}
	}
	var paths []string
	for _, rt := range Routes(site) {
		paths = append(paths, rt.Path)
	}
	for _, want := range []string{"/", "/page/2", "/page/3", "/tags/go-1-21/page/3", "/authors", "/authors/ann/page/2", "/archive", "/archive/2026/page/2"} {
		if !slices.Contains(paths, want) {
			t.Errorf("Routes has no %s", want)
		}
	}
	if slices.Contains(paths, "/page/4") {
		t.Error("Routes has /page/4, past the last page")
	}
}

func TestListingPages(t *testing.T) {
	t.Parallel()
	b, site := blog(t)
	first := build(t, b, site, "/")
	if got := cardTitles(first); len(got) != 10 || got[0] != "Note 23" {
		t.Errorf("home page 1 lists %q, want the 10 newest from Note 23", got)
	}
	if _, ok := first.Find(`link[rel="prev"]`).Attr("href"); ok {
		t.Error("page 1 has a rel=prev")
	}
	if href, _ := first.Find(`link[rel="next"]`).Attr("href"); href != "https://notes.example/page/2" {
		t.Errorf("page 1 rel=next = %q", href)
	}
	second := build(t, b, site, "/page/2")
	want := []string{"Note 13", "Note 12", "Note 11", "Note 10", "Note 9", "Note 8", "Note 7", "Note 6", "Note 5", "Note 4"}
	if got := cardTitles(second); !slices.Equal(got, want) {
		t.Errorf("home page 2 lists %q, want %q", got, want)
	}
	for sel, want := range map[string]string{
		`link[rel="prev"]`: "https://notes.example/", `link[rel="next"]`: "https://notes.example/page/3",
		`link[rel="canonical"]`: "https://notes.example/page/2", `meta[property="og:image"]`: "https://notes.example/og/index.png",
		`.pager a[rel="prev"]`: "/", `.pager a[rel="next"]`: "/page/3",
	} {
		s := second.Find(sel)
		got, _ := s.Attr("href")
		if strings.HasPrefix(sel, "meta") {
			got, _ = s.Attr("content")
		}
		if got != want {
			t.Errorf("page 2: %s = %q, want %q", sel, got, want)
		}
	}
	if got := second.Find("title").Text(); got != "Field Notes · page 2 — Field Notes" {
		t.Errorf("page 2 title %q", got)
	}
	if got := second.Find(".pager-status").Text(); got != "Page 2 of 3" {
		t.Errorf("page 2 status %q", got)
	}
	last := build(t, b, site, "/page/3")
	if got := cardTitles(last); len(got) != 3 || got[2] != "Note 1" {
		t.Errorf("home page 3 lists %q, want the 3 oldest", got)
	}
	if last.Find(`link[rel="next"]`).Length() != 0 {
		t.Error("the last page has a rel=next")
	}

	tag := build(t, b, site, "/tags/go-1-21")
	if got := tag.Find("h1").Text(); got != "Tagged “Go 1.21”" {
		t.Errorf("tag page heading %q: want the tag's name as written", got)
	}
	author := build(t, b, site, "/authors/ann")
	if got := author.Find("h1").Text(); got != "Articles by Ann Lee" || len(cardTitles(author)) != 10 {
		t.Errorf("author page: %q with %d cards", got, len(cardTitles(author)))
	}
	if href, _ := author.Find(`a[rel="me"]`).Attr("href"); href != "https://ann.example" {
		t.Errorf("author page links %q, want the author's own site", href)
	}
	authors := build(t, b, site, "/authors")
	entries := authors.Find(".index-list li").Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
	if !slices.Equal(entries, []string{"Ann Lee (20)", "Bob Roe (3)"}) {
		t.Errorf("authors index %q", entries)
	}
	archive := build(t, b, site, "/archive")
	years := archive.Find(".index-list a").Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr("href"); return v })
	if !slices.Equal(years, []string{"/archive/2026", "/archive/2025"}) {
		t.Errorf("archive links %q, want the years newest first", years)
	}
	if got := cardTitles(build(t, b, site, "/archive/2025")); !slices.Equal(got, []string{"Note 3", "Note 2", "Note 1"}) {
		t.Errorf("2025 lists %q", got)
	}
}

func TestArticleNeighboursAndByline(t *testing.T) {
	t.Parallel()
	b, site := blog(t)
	doc := build(t, b, site, "/articles/n10")
	newer, _ := doc.Find(".pager-prev").Attr("href")
	older, _ := doc.Find(".pager-next").Attr("href")
	if newer != "/articles/n11" || older != "/articles/n09" {
		t.Errorf("neighbours of n10: newer %q, older %q", newer, older)
	}
	if doc.Find(".pager-prev").Length() != 1 {
		t.Error("neighbours linked more than once")
	}
	if href, _ := doc.Find(`.article-meta a[href^="/authors/"]`).Attr("href"); href != "/authors/ann" {
		t.Errorf("byline links %q, want /authors/ann", href)
	}
	if got := doc.Find(".tag-list a").Text(); got != "Go 1.21" {
		t.Errorf("tag shown as %q, want its name", got)
	}
	newest := build(t, b, site, "/articles/n23")
	if newest.Find(".pager-prev").Length() != 0 || newest.Find(".pager-next").Length() != 1 {
		t.Error("the newest article should link an older one only")
	}
}

// TestSiteSettingsOnEveryPage: a site with its own name shows it, its
// language and its menu, and nothing of Renderwise, on every page it makes.
func TestSiteSettingsOnEveryPage(t *testing.T) {
	t.Parallel()
	b, site := blog(t)
	for _, rt := range Routes(site) {
		p, err := b.Build(context.Background(), site, rt, fixedNow)
		if err != nil {
			t.Fatalf("Build(%s): %v", rt.Path, err)
		}
		if bytes.Contains(bytes.ToLower(p.Body), []byte("renderwise")) && rt.Kind != KindImage {
			t.Errorf("%s mentions Renderwise", rt.Path)
		}
		if !rt.HTML() {
			continue
		}
		doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
		if lang, _ := doc.Find("html").Attr("lang"); lang != "pt-BR" {
			t.Errorf("%s: lang %q", rt.Path, lang)
		}
		if got := doc.Find(".site-name").Text(); got != "Field Notes" {
			t.Errorf("%s: site name %q", rt.Path, got)
		}
		menu := doc.Find(".site-nav a").Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr("href"); return v })
		if !slices.Equal(menu, []string{"/archive", "https://example.org/src"}) {
			t.Errorf("%s: menu %q", rt.Path, menu)
		}
	}
	feed, _ := Resolve(site, "/feed.xml")
	p, err := b.Build(context.Background(), site, feed, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(p.Body, []byte(`<title type="text">Field Notes</title>`)) || bytes.Count(p.Body, []byte("<entry>")) != 5 ||
		!bytes.Contains(p.Body, []byte(`href="https://notes.example/articles/n23"`)) {
		t.Errorf("feed: want the site's title, feed_entries entries and absolute links:\n%.600s", p.Body)
	}
}

// TestNeighboursAreDeclared: an article's page changes when an article
// lands next to it by date, and its around: tag says so.
func TestNeighboursAreDeclared(t *testing.T) {
	t.Parallel()
	_, site := blog(t)
	a, _ := site.Article("/articles/n23")
	before := Digest(site, tagAround+a.Path)
	fsys := fstest.MapFS{}
	for _, x := range site.All() {
		fsys[x.File] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: %s\ndescription: d.\ndate: %s\n---\nx\n", x.Title, x.Date.Format("2006-01-02")))}
	}
	fsys["newest.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Newest\ndescription: d.\ndate: 2027-01-01\n---\nx\n")}
	next, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if Digest(next, tagAround+a.Path) == before {
		t.Error("around: digest unchanged by a newer neighbour")
	}
	older, _ := next.Article("/articles/n05")
	if Digest(next, tagAround+older.Path) != Digest(site, tagAround+older.Path) {
		t.Error("around: digest of an article far from the change changed")
	}
}

// TestCoverImageOfARenamedFolder: an article in a folder whose name is not a
// slug is at a slugified path, but its cover image stays where the file is.
func TestCoverImageOfARenamedFolder(t *testing.T) {
	t.Parallel()
	b, _ := blog(t)
	fsys := fstest.MapFS{
		"Go Notes/post.md":   {Data: []byte("---\ntitle: Post\ndescription: d.\ndate: 2026-11-01\nimage: cover.png\n---\nx\n")},
		"Go Notes/cover.png": {Data: []byte("\x89PNG\r\n\x1a\n")},
	}
	site, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	doc := build(t, b, site, "/articles/go-notes/post")
	if got, _ := doc.Find(`meta[property="og:image"]`).Attr("content"); got != "https://notes.example/articles/Go%20Notes/cover.png" {
		t.Errorf("og:image = %q, want the file's own folder", got)
	}
}
