package cli

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
)

// running serves a (made by newApp) on a free port of 127.0.0.1 the way
// serve does: it listens first, so the test knows the port, then runs, and
// returns the base URL once every page is rendered. The server is stopped,
// and must stop cleanly, when the test ends.
func running(t *testing.T, a *app) string {
	t.Helper()
	ready := make(chan struct{})
	a.onReady = func() { close(ready) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.run(ctx, ln) }()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		a.srv.Close()
		t.Fatalf("serve stopped before it was ready: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		a.srv.Close()
	})
	return "http://" + ln.Addr().String()
}

// fetch GETs url and returns the status and body.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
