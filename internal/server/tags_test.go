package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// TestCacheTags: stored pages carry the cache tags they declared
// (Surrogate-Key, Cache-Tag); POST /api/revalidate with a tag marks exactly
// the pages that declared it, answers with them, and purges the tag at the
// proxy; a bad body is a 400 with a JSON error; an unknown tag revalidates
// nothing and says so.
func TestCacheTags(t *testing.T) {
	t.Parallel()
	var purges atomic.Int64
	var lastPurge atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		purges.Add(1)
		lastPurge.Store(r.Method + " " + r.Header.Get("Xkey-Purge") + "|" + r.Header.Get("Xkey-Softpurge"))
	}))
	defer proxy.Close()
	ts := newTestSite(t, Config{RevalidateToken: "tok", PurgeURL: proxy.URL})

	ssg := ts.get(t, "/articles/rendering/ssg")
	keys := strings.Fields(ssg.Header().Get("Surrogate-Key"))
	for _, want := range []string{"article:/articles/rendering/ssg", "series:course", "card:/articles/rendering/isr"} {
		if !slices.Contains(keys, want) {
			t.Errorf("Surrogate-Key of the SSG article %q lacks %q", keys, want)
		}
	}
	if ct := ssg.Header().Get("Cache-Tag"); ct != strings.Join(keys, ",") {
		t.Errorf("Cache-Tag %q, want the same tags comma-separated", ct)
	}
	if rec := ts.get(t, "/articles/rendering/ssr"); rec.Header().Get("Surrogate-Key") != "" {
		t.Error("an SSR page carries Surrogate-Key; only cacheable pages do")
	}

	post := func(body string) (int, map[string]any) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/api/revalidate", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("POST %s: not JSON: %q", body, rec.Body.String())
		}
		return rec.Code, out
	}
	code, out := post(`{"tag": "article:/articles/rendering/ssg"}`)
	routes, _ := out["routes"].([]any)
	if code != 200 || len(routes) == 0 || out["revalidated"] != true {
		t.Fatalf("revalidate a tag: %d %v", code, out)
	}
	var got []string
	for _, r := range routes {
		got = append(got, r.(string))
	}
	if !slices.Contains(got, "/articles/rendering/ssg") || slices.Contains(got, "/articles/rendering/ssr") {
		t.Errorf("routes revalidated by the SSG article's tag: %v; want the article (and pages listing it), never the SSR page", got)
	}
	if purges.Load() != 1 || lastPurge.Load() != "PURGE |article:/articles/rendering/ssg" {
		t.Errorf("purges at the proxy: %d, last %v; want one soft purge of the tag", purges.Load(), lastPurge.Load())
	}
	if rec := ts.get(t, "/articles/rendering/ssg"); rec.Header().Get("X-Cache") != "STALE" {
		t.Errorf("the SSG article after its tag was revalidated: X-Cache %q, want STALE", rec.Header().Get("X-Cache"))
	}
	ts.srv.cache.Wait()
	if rec := ts.get(t, "/articles/rendering/ssg"); rec.Header().Get("X-Cache") != "HIT" {
		t.Errorf("after the regeneration: X-Cache %q, want HIT", rec.Header().Get("X-Cache"))
	}
	if code, _ := post(`{"tag": "list:tags", "expire": true}`); code != 200 || lastPurge.Load() != "PURGE list:tags|" {
		t.Errorf("expire a tag: %d, last purge %v; want 200 and a hard purge", code, lastPurge.Load())
	}
	if rec := ts.get(t, "/tags"); rec.Header().Get("X-Cache") != "MISS" {
		t.Errorf("/tags after list:tags expired: X-Cache %q, want MISS (rendered for this request)", rec.Header().Get("X-Cache"))
	}
	if code, out := post(`{"tag": "tag:nothing"}`); code != 200 || out["revalidated"] != false || out["message"] == nil {
		t.Errorf("an unknown tag: %d %v; want 200, revalidated false and a message", code, out)
	}
	for _, body := range []string{`{"tag": "two words"}`, `{"tag": "x", "path": "/"}`, `{"tag": 3}`, `{"tag": "x"} {}`, `{"tag": ""}`} {
		if code, out := post(body); code != 400 || out["error"] == nil {
			t.Errorf("POST %s: %d %v, want 400 with a JSON error", body, code, out)
		}
	}
}

// TestFrontMatterCacheTags: an article's cache_tags are among its
// Surrogate-Key, and revalidating one of them revalidates that article only.
func TestFrontMatterCacheTags(t *testing.T) {
	t.Parallel()
	fsys := fixture()
	fsys["prices.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Prices\ndescription: Today's prices.\ndate: 2026-11-02\ncache_tags: [prices, shop.eu]\n---\nBody.\n")}
	ts := newTestSiteFS(t, Config{RevalidateToken: "tok"}, fsys)
	keys := strings.Fields(ts.get(t, "/articles/prices").Header().Get("Surrogate-Key"))
	if !slices.Contains(keys, "prices") || !slices.Contains(keys, "shop.eu") {
		t.Errorf("Surrogate-Key %q lacks the front matter's cache tags", keys)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/revalidate", strings.NewReader(`{"tag": "prices"}`))
	req.Header.Set("Authorization", "Bearer tok")
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	var out struct{ Routes []string }
	json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != 200 || !slices.Equal(out.Routes, []string{"/articles/prices"}) {
		t.Errorf("revalidate prices: %d %s, want exactly /articles/prices", rec.Code, rec.Body)
	}
}
