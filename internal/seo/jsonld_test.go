package seo

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const hostile = `</script><script>alert(1)</script>`

func TestArticleMarshalsWithRequiredFields(t *testing.T) {
	t.Parallel()
	in := ArticleLD{
		Headline:    "Incremental Static Regeneration",
		Description: "Stale pages & fresh ones.",
		URL:         "https://example.com/articles/rendering/isr",
		Image:       "https://example.com/og/articles/rendering/isr.png",
		Published:   time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		Modified:    time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC),
		Keywords:    []string{"rendering", "nextjs"},
		SiteName:    "Renderwise",
		SiteURL:     "https://example.com/",
	}
	b, err := json.Marshal(Article(in))
	if err != nil {
		t.Fatalf("marshal Article: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Article JSON is not valid: %v\n%s", err, b)
	}
	want := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "Article",
		"headline":         "Incremental Static Regeneration",
		"description":      "Stale pages & fresh ones.",
		"datePublished":    "2026-11-20T00:00:00Z",
		"dateModified":     "2026-11-22T08:00:00Z",
		"image":            "https://example.com/og/articles/rendering/isr.png",
		"url":              "https://example.com/articles/rendering/isr",
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": "https://example.com/articles/rendering/isr"},
		"author":           map[string]any{"@type": "Organization", "name": "Renderwise", "url": "https://example.com/"},
		"publisher":        map[string]any{"@type": "Organization", "name": "Renderwise", "url": "https://example.com/"},
		"keywords":         []any{"rendering", "nextjs"},
	}
	compareJSON(t, "Article", got, want)
}

func TestArticleModifiedDefaultsToPublished(t *testing.T) {
	t.Parallel()
	a := Article(ArticleLD{Headline: "x", Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if a.DateModified != a.DatePublished || a.DateModified != "2026-01-02T03:04:05Z" {
		t.Errorf("dateModified = %q, datePublished = %q, want both %q", a.DateModified, a.DatePublished, "2026-01-02T03:04:05Z")
	}
}

func TestBreadcrumbsMarshal(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Breadcrumbs([]Crumb{
		{Name: "Home", URL: "https://example.com/"},
		{Name: "Rendering", URL: "https://example.com/tags/rendering"},
		{Name: "ISR"},
	}))
	if err != nil {
		t.Fatalf("marshal Breadcrumbs: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Breadcrumbs JSON is not valid: %v\n%s", err, b)
	}
	want := map[string]any{
		"@context": "https://schema.org",
		"@type":    "BreadcrumbList",
		"itemListElement": []any{
			map[string]any{"@type": "ListItem", "position": 1.0, "name": "Home", "item": "https://example.com/"},
			map[string]any{"@type": "ListItem", "position": 2.0, "name": "Rendering", "item": "https://example.com/tags/rendering"},
			map[string]any{"@type": "ListItem", "position": 3.0, "name": "ISR"},
		},
	}
	compareJSON(t, "Breadcrumbs", got, want)
}

func TestWebSiteMarshal(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(WebSite("Renderwise", "https://example.com/docs/"))
	if err != nil {
		t.Fatalf("marshal WebSite: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("WebSite JSON is not valid: %v\n%s", err, b)
	}
	want := map[string]any{
		"@context": "https://schema.org",
		"@type":    "WebSite",
		"name":     "Renderwise",
		"url":      "https://example.com/docs/",
		"potentialAction": map[string]any{
			"@type":       "SearchAction",
			"target":      "https://example.com/docs/search?q={search_term_string}",
			"query-input": "required name=search_term_string",
		},
	}
	compareJSON(t, "WebSite", got, want)
}

func TestJSONLDEscapesHostileText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    any
	}{
		{"an article headline", Article(ArticleLD{Headline: hostile, Description: hostile, SiteName: hostile})},
		{"a breadcrumb name", Breadcrumbs([]Crumb{{Name: hostile, URL: "https://example.com/?a=<b>"}})},
		{"a site name", WebSite(hostile, "https://example.com")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			s := string(b)
			if strings.ContainsAny(s, "<>") {
				t.Errorf("json.Marshal gave %s, want no raw < or >", s)
			}
			if !strings.Contains(s, `\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e`) {
				t.Errorf("json.Marshal gave %s, want < and > escaped as \\u003c and \\u003e", s)
			}
			var back map[string]any
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("not valid JSON: %v", err)
			}
			if !strings.Contains(mustMarshalNoEscape(t, back), hostile) {
				t.Errorf("the hostile text did not round-trip through JSON")
			}
		})
	}
}

// compareJSON compares two decoded JSON values by re-encoding them, which
// sorts map keys, so the message shows both whole documents.
func compareJSON(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	g, w := mustMarshalNoEscape(t, got), mustMarshalNoEscape(t, want)
	if g != w {
		t.Errorf("%s JSON:\ngot  %s\nwant %s", what, g, w)
	}
}

func mustMarshalNoEscape(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b.String()
}
