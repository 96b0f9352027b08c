package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestInlineScriptAndStyleAreAllowedByHash(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	rec := ts.get(t, "/")
	scripts := regexp.MustCompile(`<script>(.*?)</script>`).FindAllStringSubmatch(rec.Body.String(), -1)
	if len(scripts) != 1 {
		t.Fatalf("found %d inline scripts, want exactly the theme script", len(scripts))
	}
	sum := sha256.Sum256([]byte(scripts[0][1]))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self' "+hash) {
		t.Errorf("the inline script's hash %s is not in the policy %q; web.ThemeScript and the layout disagree", hash, csp)
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(rec.Body.String())
	if style == nil {
		t.Fatal("no inline stylesheet")
	}
	sum = sha256.Sum256([]byte(style[1]))
	if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, "style-src 'self' "+hash) {
		t.Errorf("the inline stylesheet's hash %s is not in the policy %q", hash, csp)
	}
}

func TestThemeChoice(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{})
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/theme", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		return rec
	}
	rec := post(url.Values{"theme": {"dark"}, "return": {"/articles/rendering/ssg"}})
	if rec.Code != 303 || rec.Header().Get("Location") != "/articles/rendering/ssg" || !strings.Contains(rec.Header().Get("Set-Cookie"), "theme=dark") {
		t.Errorf("choosing dark: %d Location=%q Set-Cookie=%q", rec.Code, rec.Header().Get("Location"), rec.Header().Get("Set-Cookie"))
	}
	if rec := post(url.Values{"theme": {"light"}, "return": {"//evil.example"}}); rec.Header().Get("Location") != "/" {
		t.Errorf("an off-site return went to %q, want /", rec.Header().Get("Location"))
	}
	if rec := post(url.Values{"theme": {"purple"}}); rec.Code != 400 {
		t.Errorf("an unknown theme: %d, want 400", rec.Code)
	}
	// The page does not vary by the cookie: same bytes, no Vary: Cookie.
	plain := ts.get(t, "/articles/rendering/ssg")
	dark := ts.do(t, "GET", "/articles/rendering/ssg", map[string]string{"Cookie": "theme=dark"})
	if !bytes.Equal(plain.Body.Bytes(), dark.Body.Bytes()) || strings.Contains(dark.Header().Get("Vary"), "Cookie") {
		t.Error("a page varies by the theme cookie; cached pages must be the same for everyone")
	}
}

func TestDraftPreview(t *testing.T) {
	t.Parallel()
	if rec := newTestSite(t, Config{}).get(t, "/api/preview?token=x&path=/articles/draft"); rec.Code != 404 {
		t.Errorf("preview without a configured token: %d, want 404", rec.Code)
	}
	ts := newTestSite(t, Config{PreviewToken: "peek"})
	if rec := ts.get(t, "/api/preview?token=wrong&path=/articles/draft"); rec.Code != 401 || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("a wrong preview token: %d, cookie %q; want 401 and no cookie", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	if rec := ts.get(t, "/api/preview?token=peek&path=//evil.example"); rec.Code != 400 {
		t.Errorf("preview with an off-site path: %d, want 400", rec.Code)
	}
	rec := ts.get(t, "/api/preview?token=peek&path=/articles/draft")
	if rec.Code != 307 || rec.Header().Get("Location") != "/articles/draft" {
		t.Fatalf("entering preview: %d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	cookie := rec.Result().Cookies()[0]
	if !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode || cookie.MaxAge <= 0 {
		t.Errorf("preview cookie %+v: want HttpOnly, Secure, SameSite=Lax, expiring", cookie)
	}
	withCookie := func(path, value string) *httptest.ResponseRecorder {
		return ts.do(t, "GET", path, map[string]string{"Cookie": "rw_preview=" + value})
	}
	page := withCookie("/articles/draft", cookie.Value)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "Secret draft body.") || !strings.Contains(page.Body.String(), `class="preview-banner"`) {
		t.Errorf("a draft in preview: %d, want 200 with the body and the banner", page.Code)
	}
	if page.Header().Get("Cache-Control") != cachePrivate {
		t.Errorf("a preview page has Cache-Control %q", page.Header().Get("Cache-Control"))
	}
	if !strings.Contains(page.Body.String(), `<meta name="robots" content="noindex">`) || page.Header().Get("X-Robots-Tag") != "noindex" {
		t.Errorf("a draft in preview: robots meta and X-Robots-Tag %q, want noindex in both", page.Header().Get("X-Robots-Tag"))
	}
	if home := withCookie("/", cookie.Value); home.Header().Get("Cache-Control") != cachePrivate || home.Header().Get("X-Cache") != "" {
		t.Errorf("the home page in preview is not rendered per request: %v", home.Header())
	}
	if rec := withCookie("/api/articles/draft", cookie.Value); rec.Code != 200 {
		t.Errorf("a draft through the API in preview: %d, want 200", rec.Code)
	}
	tampered := strings.Replace(cookie.Value, cookie.Value[:3], "999", 1)
	for _, v := range []string{tampered, "1", "garbage", cookie.Value + "x"} {
		if rec := withCookie("/articles/draft", v); rec.Code != 404 {
			t.Errorf("a draft with the cookie %q: %d, want 404", v, rec.Code)
		}
	}
	ts.clock.Advance(2 * time.Hour)
	if rec := withCookie("/articles/draft", cookie.Value); rec.Code != 404 {
		t.Errorf("a draft with an expired cookie: %d, want 404", rec.Code)
	}
	exit := ts.get(t, "/api/preview/exit")
	if c := exit.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("exit did not clear the cookie: %v", c)
	}
}

// TestClientHeadersCannotSwitchAnythingOff sends the headers behind known
// framework bypasses; each request must be answered exactly as without them.
func TestClientHeadersCannotSwitchAnythingOff(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{RevalidateToken: "s3cret", PreviewToken: "peek"})
	hostile := map[string]string{
		"X-Middleware-Subrequest": "middleware:middleware:middleware:middleware:middleware",
		"X-Original-URL":          "/articles/draft",
		"X-Rewrite-URL":           "/articles/draft",
		"X-HTTP-Method-Override":  "GET",
		"X-Forwarded-For":         "127.0.0.1",
		"X-Real-IP":               "127.0.0.1",
		"X-Forwarded-Host":        "evil.example",
		"X-Prerender-Revalidate":  "s3cret",
		"X-Now-Route-Matches":     "1",
		"Next-Router-Prefetch":    "1",
		"X-Invoke-Path":           "/articles/draft",
		"Authorization":           "Bearer wrong",
	}
	for _, tt := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/articles/draft"}, {"GET", "/articles/rendering/ssg"}, {"POST", "/api/revalidate"},
		{"GET", "/api/articles/draft"}, {"POST", "/articles/rendering/ssg"}, {"GET", "/nothing"},
	} {
		plain := ts.do(t, tt.method, tt.path, nil)
		bad := ts.do(t, tt.method, tt.path, hostile)
		if plain.Code != bad.Code || !bytes.Equal(plain.Body.Bytes(), bad.Body.Bytes()) {
			t.Errorf("%s %s: %d without the headers, %d with them", tt.method, tt.path, plain.Code, bad.Code)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Cache-Control", "X-Frame-Options"} {
			if plain.Header().Get(h) != bad.Header().Get(h) {
				t.Errorf("%s %s: %s is %q without the headers, %q with them", tt.method, tt.path, h, plain.Header().Get(h), bad.Header().Get(h))
			}
		}
	}
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.9:1234", "198.51.100.1", "203.0.113.9"},         // untrusted peer: header ignored
		{"10.0.0.2:1234", "198.51.100.1", "198.51.100.1"},           // trusted proxy
		{"10.0.0.2:1234", "198.51.100.1, 10.0.0.3", "198.51.100.1"}, // two trusted hops
		{"10.0.0.2:1234", "1.2.3.4, 198.51.100.1", "198.51.100.1"},  // a forged left-most entry is not believed
		{"10.0.0.2:1234", "", "10.0.0.2"},
		{"10.0.0.2:1234", "not-an-ip", "10.0.0.2"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("clientIP(peer %s, X-Forwarded-For %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	if got := (&Server{}).clientIP(&http.Request{RemoteAddr: "10.0.0.2:1", Header: http.Header{"X-Forwarded-For": {"1.2.3.4"}}}); got != "10.0.0.2" {
		t.Errorf("without trusted proxies clientIP believed X-Forwarded-For: %s", got)
	}
}
