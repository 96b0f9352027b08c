package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestDevEventsOnlyForThisServer: another site's page, open in the same
// browser, cannot listen to the dev reload events.
func TestDevEventsOnlyForThisServer(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, Config{Dev: true})
	for _, tt := range []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"a page of this server", map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}, 200},
		{"a request without Origin", nil, 200},
		{"another site's page", map[string]string{"Origin": "http://evil.example"}, 403},
		{"a cross-site fetch without Origin", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"a same-site but other-origin page", map[string]string{"Origin": "http://sub.example.com", "Sec-Fetch-Site": "same-site"}, 403},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the stream returns at once instead of waiting for events
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://example.com/_dev/events", nil)
		for k, v := range tt.hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.status)
		}
	}
}
