package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/renderwise/renderwise/web"
)

func TestMetadataOnEveryPageKind(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, tt := range []struct {
		path, title, ogType string
	}{
		{"/", "Renderwise", "website"},
		{"/articles/rendering/ssg", "Static site generation — Renderwise", "article"},
		{"/articles/rendering/ssr", "Server-side rendering — Renderwise", "article"},
		{"/tags", "Tags — Renderwise", "website"},
		{"/tags/rendering", "Tagged “rendering” — Renderwise", "website"},
	} {
		d := doc(t, ts.get(t, tt.path).Body.String())
		attr := func(sel, name string) string {
			v, _ := d.Find(sel).First().Attr(name)
			return v
		}
		if got := d.Find("title").Text(); got != tt.title {
			t.Errorf("%s: <title> %q, want %q", tt.path, got, tt.title)
		}
		canonical := baseURL + tt.path
		if tt.path == "/" {
			canonical = baseURL + "/"
		}
		checks := map[string]string{
			"html|lang":                                             "en",
			"link[rel=canonical]|href":                              canonical,
			"meta[property='og:url']|content":                       canonical,
			"meta[property='og:type']|content":                      tt.ogType,
			"meta[property='og:site_name']|content":                 "Renderwise",
			"meta[name='twitter:card']|content":                     "summary_large_image",
			"meta[property='og:image:width']|content":               "1200",
			"meta[property='og:image:height']|content":              "630",
			"link[rel=alternate][type='application/atom+xml']|href": baseURL + "/feed.xml",
		}
		for key, want := range checks {
			sel, name, _ := strings.Cut(key, "|")
			if got := attr(sel, name); got != want {
				t.Errorf("%s: %s %s = %q, want %q", tt.path, sel, name, got, want)
			}
		}
		if d := attr("meta[name=description]", "content"); d == "" {
			t.Errorf("%s: no meta description", tt.path)
		}
		if alt := attr("meta[property='og:image:alt']", "content"); alt == "" {
			t.Errorf("%s: no og:image:alt", tt.path)
		}
		img := attr("meta[property='og:image']", "content")
		if !strings.HasPrefix(img, baseURL+"/og/") {
			t.Fatalf("%s: og:image %q, want an absolute /og/ URL", tt.path, img)
		}
		rec := ts.get(t, strings.TrimPrefix(img, baseURL))
		cfg, err := png.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
		if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
			t.Errorf("%s: og:image %s is not a 1200×630 PNG: %v %+v", tt.path, img, err, cfg)
		}
		if tt.ogType == "article" {
			if attr("meta[property='article:published_time']", "content") == "" || d.Find("meta[property='article:tag']").Length() == 0 {
				t.Errorf("%s: article:published_time or article:tag missing", tt.path)
			}
		}
	}
}

func TestJSONLD(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	types := func(path string) map[string]map[string]any {
		out := map[string]map[string]any{}
		doc(t, ts.get(t, path).Body.String()).Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
			var v map[string]any
			if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v", path, err)
			}
			out[v["@type"].(string)] = v
		})
		return out
	}
	art := types("/articles/rendering/ssg")
	a, ok := art["Article"]
	if !ok || a["headline"] != "Static site generation" || a["datePublished"] == "" || a["image"] == "" {
		t.Errorf("article JSON-LD = %v", a)
	}
	if _, ok := art["BreadcrumbList"]; !ok {
		t.Error("no BreadcrumbList on an article")
	}
	site := types("/")["WebSite"]
	if site == nil || !strings.Contains(site["potentialAction"].(map[string]any)["target"].(string), "/search?q={search_term_string}") {
		t.Errorf("home WebSite JSON-LD = %v", site)
	}
}

func TestHostileTitleCannotBreakOut(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	ts.edit("rendering/isr.md", strings.Replace(isrSource("x"), "title: Incremental static regeneration", `title: "</script><script>alert(1)</script> \"quoted\""`, 1))
	ts.clock.Advance(31 * 1e9)
	ts.get(t, isrPath)
	ts.srv.cache.Wait()
	body := ts.get(t, isrPath).Body.String()
	if !strings.Contains(body, "alert(1)") {
		t.Fatal("the hostile title did not reach the page; the test is not testing anything")
	}
	if strings.Contains(body, "<script>alert(1)") {
		t.Errorf("a hostile title broke out into a script element:\n%s", body)
	}
	d := doc(t, body)
	d.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, hasSrc := s.Attr("src")
		switch {
		case strings.Contains(s.AttrOr("type", ""), "json"):
		case hasSrc && strings.HasPrefix(src, "/static/"):
		case s.Text() == web.ThemeScript:
		default:
			t.Errorf("an unexpected script element: %s", s.Text())
		}
	})
}

func TestForgedHostChangesNothing(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, path := range []string{"/", "/articles/rendering/ssg", "/sitemap.xml", "/feed.xml", "/robots.txt"} {
		plain := ts.get(t, path)
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Host", "evil.example")
		req.Header.Set("X-Forwarded-Proto", "http")
		forged := newRecorder()
		ts.handler.ServeHTTP(forged, req)
		if !bytes.Equal(plain.Body.Bytes(), forged.Body.Bytes()) || strings.Contains(forged.Body.String(), "evil.example") {
			t.Errorf("GET %s with a forged Host gave different bytes", path)
		}
	}
}

func TestSitemapAndFeed(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(ts.get(t, "/sitemap.xml").Body.Bytes(), &sm); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
		if u.Loc == baseURL+"/articles/rendering/ssg" && u.LastMod != "2026-11-09" {
			t.Errorf("sitemap lastmod of ssg = %q, want 2026-11-09", u.LastMod)
		}
	}
	for _, want := range []string{baseURL + "/", baseURL + "/articles/rendering/ssg", baseURL + "/articles/rendering/isr", baseURL + "/articles/rendering/ssr", baseURL + "/tags/rendering"} {
		if !slices.Contains(locs, want) {
			t.Errorf("sitemap lacks %s: %v", want, locs)
		}
	}
	for _, l := range locs {
		if strings.Contains(l, "draft") || strings.Contains(l, "old-ssg") {
			t.Errorf("sitemap lists %s", l)
		}
	}

	var feed struct {
		ID      string `xml:"id"`
		Entries []struct {
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(ts.get(t, "/feed.xml").Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range feed.Entries {
		titles = append(titles, e.Title)
	}
	if got, want := strings.Join(titles, "|"), "Incremental static regeneration|Static site generation|Server-side rendering"; got != want {
		t.Errorf("feed entries = %s, want %s (newest first, no drafts)", got, want)
	}
	robots := ts.get(t, "/robots.txt").Body.String()
	if !strings.Contains(robots, "Sitemap: "+baseURL+"/sitemap.xml") {
		t.Errorf("robots.txt = %q", robots)
	}
}

func TestDraftsAreNowhere(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	for _, path := range []string{"/", "/tags", "/sitemap.xml", "/feed.xml", "/api/articles", "/search?q=secret", "/api/search?q=secret"} {
		if body := decoded(t, ts.get(t, path)); strings.Contains(body, "Unfinished") || strings.Contains(body, "Secret draft") {
			t.Errorf("GET %s shows the draft", path)
		}
	}
}
