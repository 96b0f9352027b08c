package seo

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"
)

// parsedSet is a <urlset> as a reader sees it.
type parsedSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

// parsedIndex is a <sitemapindex> as a reader sees it.
type parsedIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func TestSitemapsListsEveryPageWithItsDate(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	pages := []Page{
		{URL: "https://example.com/", LastMod: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)},
		{URL: "https://example.com/articles/rendering/isr", LastMod: time.Date(2026, 11, 20, 0, 30, 0, 0, paris)},
		{URL: "https://example.com/search?q=a&b=<c>", LastMod: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{URL: "https://example.com/tags", LastMod: time.Time{}},
	}
	files := Sitemaps("https://example.com", pages)
	if len(files) != 1 {
		t.Fatalf("Sitemaps(4 pages) returned %d files, want 1", len(files))
	}
	body, ok := files["/sitemap.xml"]
	if !ok {
		t.Fatalf("Sitemaps(4 pages) has no /sitemap.xml")
	}
	if !strings.HasPrefix(string(body), xml.Header) {
		t.Errorf("sitemap starts %q, want the XML header", body[:min(len(body), 40)])
	}
	if strings.Contains(string(body), "a&b") {
		t.Errorf("sitemap holds a raw &: %s", body)
	}
	var got parsedSet
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("parse sitemap: %v\n%s", err, body)
	}
	want := []struct{ loc, lastmod string }{
		{"https://example.com/", "2026-11-22"},
		{"https://example.com/articles/rendering/isr", "2026-11-19"}, // 00:30 CET is the 19th in UTC
		{"https://example.com/search?q=a&b=<c>", "2026-01-02"},
		{"https://example.com/tags", ""},
	}
	if len(got.URLs) != len(want) {
		t.Fatalf("sitemap has %d URLs, want %d", len(got.URLs), len(want))
	}
	for i, w := range want {
		if got.URLs[i].Loc != w.loc || got.URLs[i].LastMod != w.lastmod {
			t.Errorf("url %d = (%q, %q), want (%q, %q)", i, got.URLs[i].Loc, got.URLs[i].LastMod, w.loc, w.lastmod)
		}
	}
	if strings.Count(string(body), "<lastmod>") != 3 {
		t.Errorf("sitemap has %d <lastmod>, want 3 (none for a zero time)", strings.Count(string(body), "<lastmod>"))
	}
}

func TestSitemapsWithNoPagesIsAnEmptyURLSet(t *testing.T) {
	t.Parallel()
	files := Sitemaps("https://example.com", nil)
	var got parsedSet
	if err := xml.Unmarshal(files["/sitemap.xml"], &got); err != nil {
		t.Fatalf("parse sitemap: %v", err)
	}
	if len(got.URLs) != 0 {
		t.Errorf("got %d URLs, want 0", len(got.URLs))
	}
}

func TestSitemapsAtTheLimitIsOneFile(t *testing.T) {
	t.Parallel()
	files := Sitemaps("https://example.com", manyPages(MaxSitemapURLs))
	if len(files) != 1 {
		t.Fatalf("Sitemaps(%d pages) returned %d files, want 1", MaxSitemapURLs, len(files))
	}
	var got parsedSet
	if err := xml.Unmarshal(files["/sitemap.xml"], &got); err != nil {
		t.Fatalf("parse sitemap: %v", err)
	}
	if len(got.URLs) != MaxSitemapURLs {
		t.Errorf("got %d URLs, want %d", len(got.URLs), MaxSitemapURLs)
	}
}

func TestSitemapsAboveTheLimitIsAnIndex(t *testing.T) {
	t.Parallel()
	pages := manyPages(MaxSitemapURLs + 1)
	files := Sitemaps("https://example.com/docs/", pages)

	keys := []string{"/sitemap.xml", "/sitemaps/1.xml", "/sitemaps/2.xml"}
	if len(files) != len(keys) {
		t.Errorf("Sitemaps(%d pages) returned %d files, want %d", len(pages), len(files), len(keys))
	}
	for _, k := range keys {
		if _, ok := files[k]; !ok {
			t.Errorf("Sitemaps(%d pages) has no %s", len(pages), k)
		}
	}

	var index parsedIndex
	if err := xml.Unmarshal(files["/sitemap.xml"], &index); err != nil {
		t.Fatalf("parse index: %v", err)
	}
	wantIndex := []struct{ loc, lastmod string }{
		{"https://example.com/docs/sitemaps/1.xml", pages[MaxSitemapURLs-1].LastMod.Format("2006-01-02")},
		{"https://example.com/docs/sitemaps/2.xml", pages[MaxSitemapURLs].LastMod.Format("2006-01-02")},
	}
	if len(index.Sitemaps) != len(wantIndex) {
		t.Fatalf("index has %d entries, want %d", len(index.Sitemaps), len(wantIndex))
	}
	for i, w := range wantIndex {
		if got := index.Sitemaps[i]; got.Loc != w.loc || got.LastMod != w.lastmod {
			t.Errorf("index entry %d = (%q, %q), want (%q, %q)", i, got.Loc, got.LastMod, w.loc, w.lastmod)
		}
	}

	// Every page appears once, in order, across the child files.
	next := 0
	for _, c := range []struct {
		file string
		n    int
	}{{"/sitemaps/1.xml", MaxSitemapURLs}, {"/sitemaps/2.xml", 1}} {
		var set parsedSet
		if err := xml.Unmarshal(files[c.file], &set); err != nil {
			t.Fatalf("parse %s: %v", c.file, err)
		}
		if len(set.URLs) != c.n {
			t.Errorf("%s has %d URLs, want %d", c.file, len(set.URLs), c.n)
		}
		for _, u := range set.URLs {
			if next >= len(pages) || u.Loc != pages[next].URL {
				t.Fatalf("%s: URL %d is %q, want %q", c.file, next, u.Loc, pages[min(next, len(pages)-1)].URL)
			}
			next++
		}
	}
	if next != len(pages) {
		t.Errorf("child files hold %d URLs, want %d", next, len(pages))
	}
}

func TestSitemapsIsDeterministic(t *testing.T) {
	t.Parallel()
	pages := manyPages(100)
	a := Sitemaps("https://example.com", pages)["/sitemap.xml"]
	b := Sitemaps("https://example.com", pages)["/sitemap.xml"]
	if string(a) != string(b) {
		t.Errorf("two calls with the same pages gave different bytes")
	}
}

// manyPages returns n pages with increasing dates, one day apart.
func manyPages(n int) []Page {
	start := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
	pages := make([]Page, n)
	for i := range pages {
		pages[i] = Page{
			URL:     fmt.Sprintf("https://example.com/docs/articles/p%d", i),
			LastMod: start.AddDate(0, 0, i/100),
		}
	}
	return pages
}
