package seo

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"time"
)

// MaxSitemapURLs is the most URLs one sitemap file may list
// (sitemaps.org, "Using Sitemap index files").
const MaxSitemapURLs = 50000

// sitemapNS is the XML namespace of both <urlset> and <sitemapindex>.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// dateLayout is the W3C Datetime "complete date" form, YYYY-MM-DD, which
// sitemaps accept for <lastmod>.
const dateLayout = "2006-01-02"

// Page is one URL to list in the sitemap.
type Page struct {
	// URL is the page's absolute canonical URL, usually from [Canonical].
	URL string
	// LastMod is when the page last changed; the zero time omits <lastmod>.
	LastMod time.Time
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// Sitemaps returns the sitemap files for pages, keyed by the site path to
// serve them at.
//
// With at most [MaxSitemapURLs] pages the result holds only "/sitemap.xml", a
// <urlset>. With more, "/sitemap.xml" is a <sitemapindex> whose entries point
// (through baseURL) at "/sitemaps/1.xml", "/sitemaps/2.xml", …, each a <urlset>
// of at most [MaxSitemapURLs] pages; an entry's <lastmod> is the latest of its
// pages. Pages keep their order, and dates are written in UTC as YYYY-MM-DD.
func Sitemaps(baseURL string, pages []Page) map[string][]byte {
	if len(pages) <= MaxSitemapURLs {
		return map[string][]byte{"/sitemap.xml": encodeSitemap(urlSetOf(pages))}
	}
	files := make(map[string][]byte, len(pages)/MaxSitemapURLs+2)
	index := sitemapIndex{NS: sitemapNS}
	for i := 0; i*MaxSitemapURLs < len(pages); i++ {
		chunk := pages[i*MaxSitemapURLs : min((i+1)*MaxSitemapURLs, len(pages))]
		sitePath := "/sitemaps/" + strconv.Itoa(i+1) + ".xml"
		files[sitePath] = encodeSitemap(urlSetOf(chunk))
		var latest time.Time
		for _, p := range chunk {
			if p.LastMod.After(latest) {
				latest = p.LastMod
			}
		}
		index.Sitemaps = append(index.Sitemaps, sitemapURL{
			Loc:     Canonical(baseURL, sitePath),
			LastMod: formatDate(latest),
		})
	}
	files["/sitemap.xml"] = encodeSitemap(index)
	return files
}

func urlSetOf(pages []Page) urlSet {
	set := urlSet{NS: sitemapNS, URLs: make([]sitemapURL, len(pages))}
	for i, p := range pages {
		set.URLs[i] = sitemapURL{Loc: p.URL, LastMod: formatDate(p.LastMod)}
	}
	return set
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// encodeSitemap writes v as an XML document. The values are plain strings,
// so encoding cannot fail on them; a failure would be a programmer error.
func encodeSitemap(v any) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic("seo: encode sitemap: " + err.Error())
	}
	b.WriteString("\n")
	return b.Bytes()
}
