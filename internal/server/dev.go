package server

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// broker fans out dev-mode reload events to open browser tabs.
type broker struct {
	mu   sync.Mutex
	subs map[chan string]struct{}
}

func newBroker() *broker { return &broker{subs: map[chan string]struct{}{}} }

func (b *broker) subscribe() chan string {
	ch := make(chan string, 1)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch
}

func (b *broker) unsubscribe(ch chan string) {
	b.mu.Lock()
	delete(b.subs, ch)
	b.mu.Unlock()
}

func (b *broker) publish(event string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- event:
		default: // a reload is already pending for that tab
		}
	}
}

// NotifyReload tells every open tab (dev mode) to reload.
func (s *Server) NotifyReload() { s.devEvents.publish("reload") }

// devStream is the Server-Sent Events endpoint the dev reload script
// listens to. It exists only with --dev, and answers only pages of this
// server: another site open in the same browser must not learn when the
// author saves a file.
func (s *Server) devStream(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.writeError(w, r, &StatusError{Status: http.StatusForbidden, Msg: "The reload events are only for pages of this server."})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	ch := s.devEvents.subscribe()
	defer s.devEvents.unsubscribe(ch)
	fmt.Fprint(w, "retry: 500\n\n")
	rc.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", ev)
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// sameOrigin reports whether r comes from a page of the server it is sent
// to: browsers send Origin on cross-origin requests (and Sec-Fetch-Site),
// and a request with neither is not from another site's page.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// devScript reloads the page when the server says content changed, and
// after the server restarts.
func devScript(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, `const es = new EventSource("/_dev/events");
es.onmessage = (e) => { if (e.data === "reload") location.reload(); };
`)
}
