package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	tests := []struct {
		name      string
		path      string
		status    int
		ctype     string
		headers   map[string]string
		selectors []string // each must match at least one element
	}{
		{"the home page lists the course", "/", 200, "text/html; charset=utf-8",
			map[string]string{"X-Render-Mode": "isr", "X-Cache": "HIT"},
			[]string{"main h1", "ol.course a[href='/articles/rendering/ssg']", "aside.delivery-isr"}},
		{"an SSG article has a title, TOC and highlighted code", "/articles/rendering/ssg", 200, "text/html; charset=utf-8",
			map[string]string{"X-Render-Mode": "ssg", "X-Cache": "HIT", "Cache-Control": cacheSSG},
			[]string{"main h1", "nav.toc a[href='#build-time']", "pre.chroma", "aside.delivery-ssg", "link[rel=stylesheet][href*='/static/code.']", "img[src='/articles/rendering/diagram.svg'][alt]"}},
		{"an ISR article says when it turns stale", "/articles/rendering/isr", 200, "text/html; charset=utf-8",
			map[string]string{"X-Render-Mode": "isr", "X-Cache": "HIT", "Cache-Control": "public, max-age=0, must-revalidate, s-maxage=30, stale-while-revalidate=31536000"},
			[]string{"aside.delivery-isr", "a[rel=prev][href='/articles/rendering/ssg']", "a[rel=next][href='/articles/rendering/ssr']"}},
		{"an SSR article is rendered for this request", "/articles/rendering/ssr", 200, "text/html; charset=utf-8",
			map[string]string{"X-Render-Mode": "ssr", "Cache-Control": "private, no-store", "X-Cache": ""},
			[]string{"aside.delivery-ssr", "footer .render-time"}},
		{"the tag index", "/tags", 200, "text/html; charset=utf-8", map[string]string{"X-Render-Mode": "isr"},
			[]string{"ul.tag-cloud a[href='/tags/rendering']"}},
		{"a tag page", "/tags/nextjs", 200, "text/html; charset=utf-8", nil,
			[]string{"ul.cards a[href='/articles/rendering/isr']"}},
		{"an unknown tag is 404", "/tags/nope", 404, "text/html; charset=utf-8", nil, []string{"meta[name=robots][content=noindex]"}},
		{"search without a query shows the form", "/search", 200, "text/html; charset=utf-8", map[string]string{"X-Render-Mode": "ssr"},
			[]string{"form[role=search] input[name=q]"}},
		{"search finds an article", "/search?q=regenerated", 200, "text/html; charset=utf-8", nil,
			[]string{"ol.search-results a[href='/articles/rendering/isr']", "ol.search-results mark"}},
		{"an unknown page is the 404 page", "/nothing/here", 404, "text/html; charset=utf-8", nil,
			[]string{"meta[name=robots][content=noindex]", "main h1"}},
		{"a draft is 404", "/articles/draft", 404, "text/html; charset=utf-8", nil, nil},
		{"a file beside an article", "/articles/rendering/diagram.svg", 200, "image/svg+xml",
			map[string]string{"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}, nil},
		{"the Markdown source is not served", "/articles/rendering/ssg.md", 301, "", map[string]string{"Location": "/articles/rendering/ssg"}, nil},
		{"the feed", "/feed.xml", 200, "application/atom+xml; charset=utf-8", nil, nil},
		{"the sitemap", "/sitemap.xml", 200, "application/xml; charset=utf-8", nil, nil},
		{"robots.txt", "/robots.txt", 200, "text/plain; charset=utf-8", nil, nil},
		{"a preview image", "/og/articles/rendering/isr.png", 200, "image/png", map[string]string{"X-Render-Mode": "ssg"}, nil},
		{"the home preview image", "/og/index.png", 200, "image/png", nil, nil},
		{"no preview image for a missing page", "/og/articles/nope.png", 404, "text/html; charset=utf-8", nil, nil},
		{"the JSON API lists articles", "/api/articles", 200, "application/json; charset=utf-8", nil, nil},
		{"the JSON API has one article", "/api/articles/rendering/isr", 200, "application/json; charset=utf-8", nil, nil},
		{"the JSON API answers 404 in JSON", "/api/articles/nope", 404, "application/json; charset=utf-8", nil, nil},
		{"JSON search", "/api/search?q=static", 200, "application/json; charset=utf-8", nil, nil},
		{"liveness", "/healthz", 200, "", nil, nil},
		{"readiness after prerender", "/readyz", 200, "", nil, nil},
		{"metrics", "/metrics", 200, "", nil, nil},
		{"an unknown asset", "/static/nope.css", 404, "text/html; charset=utf-8", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := ts.get(t, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, rec.Code, tt.status)
			}
			if tt.ctype != "" && rec.Header().Get("Content-Type") != tt.ctype {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, rec.Header().Get("Content-Type"), tt.ctype)
			}
			for k, v := range tt.headers {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("GET %s: %s = %q, want %q", tt.path, k, got, v)
				}
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Request-ID") == "" {
				t.Errorf("GET %s: security or request-ID headers missing: %v", tt.path, rec.Header())
			}
			if len(tt.selectors) == 0 {
				return
			}
			d := doc(t, decoded(t, rec))
			for _, sel := range tt.selectors {
				if d.Find(sel).Length() == 0 {
					t.Errorf("GET %s: no element matches %q", tt.path, sel)
				}
			}
		})
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	home := doc(t, ts.get(t, "/").Body.String())
	if home.Find("head style").Length() != 1 || !strings.Contains(home.Find("head style").Text(), "--measure") {
		t.Error("the base stylesheet is not inlined in the head")
	}
	if n := home.Find("link[rel=stylesheet]").Length(); n != 0 {
		t.Errorf("a page without code or search links %d stylesheets, want 0 (the base one is inline)", n)
	}
	code := doc(t, ts.get(t, "/articles/rendering/ssg").Body.String())
	href, _ := code.Find("link[rel=stylesheet]").First().Attr("href")
	if !strings.HasPrefix(href, "/static/code.") || code.Find("link[rel=stylesheet]").Length() != 1 {
		t.Fatalf("a page with code links %q, want exactly the fingerprinted /static/code.<hash>.css", href)
	}
	rec := ts.do(t, http.MethodGet, href, map[string]string{"Accept-Encoding": "br"})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" ||
		rec.Header().Get("Cache-Control") != cacheImmutable || rec.Header().Get("Content-Encoding") != "br" {
		t.Errorf("GET %s: %d %v", href, rec.Code, rec.Header())
	}
	if !strings.Contains(decoded(t, rec), ".chroma") {
		t.Errorf("GET %s: body is not the code stylesheet", href)
	}
	isr := doc(t, ts.get(t, "/articles/rendering/isr").Body.String())
	if isr.Find("link[href*='/static/code.']").Length() != 0 || isr.Find("script[src*='/static/code.']").Length() != 0 {
		t.Error("a page without code blocks loads the code stylesheet or script")
	}
	search := doc(t, ts.get(t, "/search").Body.String())
	if search.Find("link[href*='/static/search.']").Length() != 1 || search.Find("script[type=module][src*='/static/search.']").Length() != 1 {
		t.Error("the search page does not load its stylesheet and module")
	}
	if isr.Find("link[href*='/static/search.']").Length() != 0 {
		t.Error("an article loads the search stylesheet")
	}
}

func TestAPIShapes(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	var list struct {
		Articles []struct {
			Path, URL, Title, Render string
			Tags                     []string
		}
		Count int
	}
	if err := json.Unmarshal(ts.get(t, "/api/articles?tag=nextjs").Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if list.Count != 1 || list.Articles[0].Path != "/articles/rendering/isr" || list.Articles[0].Render != "isr" ||
		list.Articles[0].URL != baseURL+"/articles/rendering/isr" {
		t.Errorf("GET /api/articles?tag=nextjs = %+v", list)
	}
	body := ts.get(t, "/api/articles").Body.String()
	if strings.Contains(body, "Unfinished") {
		t.Error("/api/articles lists a draft")
	}
	var one struct{ HTML string }
	json.Unmarshal(ts.get(t, "/api/articles/rendering/ssg").Body.Bytes(), &one)
	if !strings.Contains(one.HTML, `<pre class="chroma">`) {
		t.Errorf("/api/articles/rendering/ssg html = %q, want the rendered body", one.HTML)
	}
	if rec := ts.get(t, "/api/articles/draft"); rec.Code != 404 {
		t.Errorf("a draft through the API: status %d, want 404", rec.Code)
	}
	var search struct {
		Total   int
		Results []struct{ Snippet string }
	}
	json.Unmarshal(ts.get(t, "/api/search?q=%3Cscript%3E%20static").Body.Bytes(), &search)
	for _, r := range search.Results {
		if strings.Contains(r.Snippet, "<script") {
			t.Errorf("search snippet holds raw markup: %q", r.Snippet)
		}
	}
}

func TestJSONIsCompressedWhenItPays(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	rec := ts.do(t, "GET", "/api/articles", map[string]string{"Accept-Encoding": "gzip"})
	var list struct{ Count int }
	if rec.Header().Get("Content-Encoding") != "gzip" || json.Unmarshal([]byte(decoded(t, rec)), &list) != nil || list.Count != 3 {
		t.Errorf("GET /api/articles with gzip: %v, count %d", rec.Header(), list.Count)
	}
	if small := ts.do(t, "GET", "/api/articles/nope", map[string]string{"Accept-Encoding": "gzip"}); small.Header().Get("Content-Encoding") != "" {
		t.Error("a tiny JSON error was compressed")
	}
}
