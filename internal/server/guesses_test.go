package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestTokenGuessesAreRateLimited: wrong revalidate or preview tokens from
// one address are allowed a few at once, then answered 429 with
// Retry-After, whatever the token — until the allowance refills. Other
// addresses are not affected, and behind a trusted proxy the forwarded
// address is the one limited.
func TestTokenGuessesAreRateLimited(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{RevalidateToken: "s3cret", PreviewToken: "peek", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}})
	send := func(remote, forwarded, token string, preview bool) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/api/revalidate", strings.NewReader(`{"path": "/articles/rendering/isr"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		if preview {
			req = httptest.NewRequest(http.MethodGet, "/api/preview?path=/&token="+token, nil)
		}
		req.RemoteAddr = remote + ":5000"
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		return rec
	}
	for i := range 5 {
		if rec := send("192.0.2.7", "", "guess", i%2 == 0); rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong guess %d: %d, want 401", i+1, rec.Code)
		}
	}
	for _, tt := range []struct {
		name    string
		token   string
		preview bool
	}{{"another wrong token", "guess", false}, {"the right token", "s3cret", false}, {"a preview guess", "guess", true}} {
		rec := send("192.0.2.7", "", tt.token, tt.preview)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Header().Get("Cache-Control"), "no-store") {
			t.Errorf("%s after five wrong ones: %d, Retry-After %q, Cache-Control %q; want 429, a Retry-After and no-store",
				tt.name, rec.Code, rec.Header().Get("Retry-After"), rec.Header().Get("Cache-Control"))
		}
	}
	if got := testutil.ToFloat64(ts.srv.metrics.Refusals.WithLabelValues("rate_limit")); got != 3 {
		t.Errorf("renderwise_refusals_total{reason=rate_limit} = %v, want 3", got)
	}
	if rec := send("192.0.2.8", "", "s3cret", false); rec.Code != http.StatusOK {
		t.Errorf("another address with the right token: %d, want 200", rec.Code)
	}
	// Behind the trusted proxy, each forwarded client has its own allowance.
	for i := range 6 {
		rec := send("10.0.0.1", "198.51.100.9", "guess", false)
		if want := map[bool]int{true: 429, false: 401}[i == 5]; rec.Code != want {
			t.Errorf("forwarded guess %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	if rec := send("10.0.0.1", "198.51.100.10", "s3cret", false); rec.Code != http.StatusOK {
		t.Errorf("another client behind the same proxy: %d, want 200", rec.Code)
	}
	ts.clock.Advance(10 * time.Second)
	if rec := send("192.0.2.7", "", "s3cret", false); rec.Code != http.StatusOK {
		t.Errorf("the first address, once its allowance refilled, with the right token: %d, want 200", rec.Code)
	}
}
