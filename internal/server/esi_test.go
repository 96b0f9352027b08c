package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestESIShellOnlyForATrustedProxy: a PPR page is sent as a cacheable
// shell with <esi:include> holes only to a trusted proxy that announces
// ESI; a client that claims the capability itself gets the page whole.
func TestESIShellOnlyForATrustedProxy(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	ts.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}
	get := func(peer, capability string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/articles/rendering/ppr?delay=50", nil)
		req.RemoteAddr = peer + ":4000"
		if capability != "" {
			req.Header.Set("Surrogate-Capability", capability)
		}
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		return rec
	}
	for _, c := range []struct{ peer, capability string }{
		{"10.0.0.1", ""},
		{"192.0.2.7", `me="ESI/1.0"`},
		{"10.0.0.1", `varnish="Surrogate/1.0"`},
	} {
		rec := get(c.peer, c.capability)
		if b := rec.Body.String(); strings.Contains(b, "<esi:") || !strings.Contains(b, `class="ppr-filled"`) || rec.Header().Get("Cache-Control") != cachePrivate {
			t.Errorf("from %s with %q: want the page streamed whole, private", c.peer, c.capability)
		}
	}
	rec := get("10.0.0.1", `varnish="ESI/1.0"`)
	b, h := rec.Body.String(), rec.Header()
	for _, want := range []string{`<esi:include src="/_parts/newest"/>`, `<esi:include src="/_holes/delivery?path=%2Farticles%2Frendering%2Fppr"/>`,
		`<esi:include src="/_holes/live?delay=50&amp;path=%2Farticles%2Frendering%2Fppr"/>`, "Static text of the shell."} {
		if !strings.Contains(b, want) {
			t.Errorf("the ESI shell lacks %s", want)
		}
	}
	if strings.Contains(b, `class="ppr-filled"`) || strings.ContainsRune(b, 0) {
		t.Error("the ESI shell holds a rendered hole or a mark")
	}
	if h.Get("Cache-Control") != cacheSSG || h.Get("Surrogate-Control") != `content="ESI/1.0"` || !strings.Contains(h.Get("Surrogate-Key"), "article:/articles/rendering/ppr") {
		t.Errorf("ESI shell headers: %v", h)
	}
}

// TestHoleEndpoint: /_holes/{name} renders one hole of a PPR page for the
// proxy, never cached; anything else is 404.
func TestHoleEndpoint(t *testing.T) {
	t.Parallel()
	ts := pprSite(t)
	rec := ts.get(t, "/_holes/live?path=/articles/rendering/ppr&delay=20")
	if b := rec.Body.String(); rec.Code != 200 || !strings.HasPrefix(b, `<div class="ppr-filled">`) || !strings.Contains(b, "took 20 ms") || rec.Header().Get("Cache-Control") != cachePrivate {
		t.Errorf("the live hole: %d %v %.100q", rec.Code, rec.Header(), b)
	}
	if b := ts.get(t, "/_holes/delivery?path=/articles/rendering/ppr").Body.String(); !strings.Contains(b, "(ESI)") {
		t.Errorf("the delivery hole for the edge: %.200q", b)
	}
	for _, target := range []string{
		"/_holes/live?path=/articles/rendering/ssg",
		"/_holes/nothing?path=/articles/rendering/ppr",
		"/_holes/newest?path=/articles/rendering/ppr", // a part, not a hole
		"/_holes/live",
	} {
		if rec := ts.get(t, target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", target, rec.Code)
		}
	}
	if rec := ts.get(t, "/_holes/live?path=/articles/rendering/ppr&delay=x"); rec.Code != http.StatusBadRequest {
		t.Errorf("a bad delay: %d, want 400", rec.Code)
	}
}
