package server

import (
	"bytes"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Partial prerendering at an ESI-capable edge (DESIGN.md §7). A proxy
// that processes Edge Side Includes says so in every request it forwards
// (Surrogate-Capability: name="ESI/1.0", as in the W3C Edge Architecture
// note); the shipped Varnish configuration does. To such a proxy, and only
// when it is one of --trusted-proxies, a PPR page is its shell with an
// <esi:include> in each slot, cacheable like an SSG page and purged by the
// same tags: the edge keeps the shell, fetches each cached part by its own
// lifetime (/_parts/…, an ISR page) and each hole for every reader
// (/_holes/…, never cached). Everyone else gets the page streamed whole, so
// no reader ever sees an ESI tag.

// viaESI reports whether r came from a trusted proxy that processes ESI.
func (s *Server) viaESI(r *http.Request) bool {
	if !strings.Contains(r.Header.Get("Surrogate-Capability"), `ESI/1.0`) {
		return false
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && s.trusted(peer.Addr().Unmap())
}

// esiShell writes the shell of a PPR page for an ESI proxy. The body is
// sent as is: the proxy stores and compresses it once.
func (s *Server) esiShell(w http.ResponseWriter, r *http.Request, p *page.Page, delay time.Duration) {
	var b bytes.Buffer
	b.Grow(len(p.Body) + 256)
	for i, slot := range p.Shell.Slots {
		b.Write(p.Shell.Pieces[i])
		b.WriteString(`<esi:include src="`)
		if slot.Cached {
			b.WriteString(page.PartPath(slot.Name))
		} else {
			b.WriteString(holeURL(slot.Name, p.Route, delay))
		}
		b.WriteString(`"/>`)
	}
	b.Write(p.Shell.Pieces[len(p.Shell.Slots)])
	h := w.Header()
	h["Content-Type"] = []string{p.ContentType}
	h["X-Render-Mode"] = []string{string(content.PPR)}
	h["Cache-Control"] = headerCacheSSG
	// The edge processes the includes (the W3C Edge Architecture's
	// header); the shipped VCL removes it and sends readers no-store.
	h["Surrogate-Control"] = []string{`content="ESI/1.0"`}
	h["Vary"] = []string{"Accept-Encoding"}
	h["Content-Length"] = []string{strconv.Itoa(b.Len())}
	if len(p.Tags) > 0 {
		h["Surrogate-Key"] = []string{strings.Join(p.Tags, " ")}
		h["Cache-Tag"] = []string{strings.Join(p.Tags, ",")}
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b.Bytes())
}

// holeURL is where an ESI proxy fetches a hole of the PPR page at route
// (with the delay of the simulated data source, for the live hole).
func holeURL(name, route string, delay time.Duration) string {
	q := url.Values{"path": {route}}
	if delay > 0 && name == page.HoleLive {
		q.Set("delay", strconv.FormatInt(delay.Milliseconds(), 10))
	}
	return "/_holes/" + name + "?" + strings.ReplaceAll(q.Encode(), "&", "&amp;")
}

// hole serves one hole of a PPR page for an ESI proxy:
// /_holes/{name}?path=/articles/x[&delay=ms]. It is rendered for the
// request like the hole of a streamed page, and never cached.
func (s *Server) hole(w http.ResponseWriter, r *http.Request) error {
	start := time.Now()
	name := chi.URLParam(r, "*")
	delay, err := dataDelay(r)
	if err != nil {
		return err
	}
	rt, ok := page.Resolve(s.content.Site(), r.URL.Query().Get("path"))
	if !ok || rt.Mode != content.PPR {
		return errNotFound
	}
	p, _, err := s.cache.Get(r.Context(), rt.Path)
	if err != nil {
		return err
	}
	if p.Shell == nil || !hasHole(p.Shell, name) {
		return errNotFound
	}
	h := w.Header()
	h["Content-Type"] = []string{"text/html; charset=utf-8"}
	h["Cache-Control"] = []string{cachePrivate}
	h["X-Robots-Tag"] = []string{"noindex"}
	if r.Method == http.MethodHead {
		return nil
	}
	var b bytes.Buffer
	began := time.Now()
	if err := s.renderHole(r.Context(), &b, name, page.HoleRequest{Start: start, Edge: true}, delay); err != nil {
		return nil // the proxy is gone
	}
	h["Server-Timing"] = []string{metric("hole-"+name, time.Since(began), "")}
	w.Write(b.Bytes())
	return nil
}

func hasHole(sh *page.Shell, name string) bool {
	for _, slot := range sh.Slots {
		if !slot.Cached && slot.Name == name {
			return true
		}
	}
	return false
}
