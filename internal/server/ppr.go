package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/renderwise/renderwise/internal/compress"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/web"
)

// maxSlowData is how many requests may wait on the simulated data source
// (?delay=) at once; beyond it a request gets its data without waiting, so
// a crowd of slow requests cannot hold the server's goroutines and memory.
const maxSlowData = 256

// ppr serves a partially prerendered page (DESIGN.md §7): the shell from
// the page cache, as fast as an SSG page, its cached parts from the page
// cache by their own lifetimes, and each hole rendered for this request and
// streamed in the same response, in order. Everything before a hole that
// waits for data (the live one, with ?delay=) is flushed before it waits. With gzip, the
// shell's pieces and the parts were compressed once and only the holes are
// compressed now: one valid gzip member (compress.Stitcher).
//
// Server-Timing in the header gives the lookups; the holes and their
// compression, known only at the end, follow in a trailer ([setTrailer]).
func (s *Server) ppr(w http.ResponseWriter, r *http.Request, rt page.Route) error {
	start := time.Now()
	delay, err := dataDelay(r)
	if err != nil {
		return err
	}
	p, _, err := s.cache.Get(r.Context(), rt.Path)
	if err != nil {
		return err
	}
	if p.Shell == nil {
		return fmt.Errorf("serve %s: a PPR page without a shell", rt.Path)
	}
	if s.viaESI(r) {
		s.esiShell(w, r, p, delay)
		return nil
	}
	lookup := time.Since(start)
	parts, states, timing := s.parts(r.Context(), p.Shell)
	h := w.Header()
	h["Content-Type"] = []string{p.ContentType}
	h["X-Render-Mode"] = []string{string(content.PPR)}
	h["Cache-Control"] = []string{cachePrivate} // the holes are this request's
	h["Vary"] = []string{"Accept-Encoding"}
	h["Server-Timing"] = []string{strings.Join(append([]string{metric("lookup", lookup, "")}, timing...), ", ")}
	if r.Method == http.MethodHead {
		return nil
	}
	req := page.HoleRequest{Start: start, Lookup: lookup, Parts: states}
	setTrailer(r, h, s.sendShell(w, r, p.Shell, parts, req, delay))
	return nil
}

// sendShell writes a shell with its slots filled for this request: each
// cached part (parts[i], for slot i) as stored, each hole rendered now.
// With gzip, the pieces and parts go in as compressed once and only the
// holes are compressed, into one gzip member; the output is flushed before
// a hole that waits for its data. It returns the Server-Timing metrics of the holes and their
// compression; a reader who leaves ends it early.
func (s *Server) sendShell(w http.ResponseWriter, r *http.Request, sh *page.Shell, parts []*page.Page, req page.HoleRequest, delay time.Duration) []string {
	h := w.Header()
	rc := http.NewResponseController(w)
	var out io.Writer = w
	piece := func(b []byte, _ compress.Piece) error { _, err := w.Write(b); return err }
	flush := func() error { return rc.Flush() }
	var st *compress.Stitcher
	if acceptsEncoding(r, "gzip") {
		h["Content-Encoding"] = []string{"gzip"}
		st = compress.NewStitcher(w)
		out = st
		piece = func(_ []byte, c compress.Piece) error { return st.Piece(c) }
		flush = func() error {
			if err := st.Flush(); err != nil {
				return err
			}
			return rc.Flush()
		}
	}
	var timing []string
	var squeeze time.Duration
	var hole bytes.Buffer
	for i, slot := range sh.Slots {
		if err := piece(sh.Pieces[i], sh.Gzip[i]); err != nil {
			return nil // the reader is gone
		}
		if slot.Cached {
			if err := s.writePart(out, piece, parts[i]); err != nil {
				return nil
			}
			continue
		}
		if slot.Name == page.HoleLive && delay > 0 {
			// This hole waits for its data: what comes before it goes out
			// now. Before a hole that takes microseconds a flush would buy
			// the reader nothing and cost a write per hole.
			flush()
		}
		hole.Reset()
		began := time.Now()
		if err := s.renderHole(r.Context(), &hole, slot.Name, req, delay); err != nil {
			return nil // the reader is gone: stop here
		}
		timing = append(timing, metric("hole-"+slot.Name, time.Since(began), ""))
		began = time.Now()
		if _, err := out.Write(hole.Bytes()); err != nil {
			return nil
		}
		squeeze += time.Since(began)
	}
	last := len(sh.Slots)
	if err := piece(sh.Pieces[last], sh.Gzip[last]); err != nil {
		return nil
	}
	if st != nil {
		began := time.Now()
		st.Close()
		timing = append(timing, metric("gzip", squeeze+time.Since(began), "the holes"))
	}
	return timing
}

// parts looks up the cached parts of a shell, one per slot (nil for holes
// and for a part that could not be had, which is logged and counted), and
// says what it found, for the delivery panel and for Server-Timing.
func (s *Server) parts(ctx context.Context, sh *page.Shell) ([]*page.Page, []page.PartState, []string) {
	pages := make([]*page.Page, len(sh.Slots))
	var states []page.PartState
	var timing []string
	for i, slot := range sh.Slots {
		if !slot.Cached {
			continue
		}
		began := time.Now()
		p, status, err := s.cache.Get(ctx, page.PartPath(slot.Name))
		if err != nil || p.Shell == nil || len(p.Shell.Slots) > 0 {
			s.log.Error("cached part unavailable; its error fallback was sent", "part", slot.Name, "err", err)
			s.countHole("part:"+slot.Name, "error")
			continue
		}
		pages[i] = p
		states = append(states, page.PartState{Name: slot.Name, Status: string(status), Generated: p.Generated, Revalidate: p.Revalidate})
		timing = append(timing, metric("part-"+slot.Name, time.Since(began), string(status)))
	}
	return pages, states, timing
}

// writePart writes a cached part (its one compressed piece, or its
// body), or the error fallback if it could not be had.
func (s *Server) writePart(out io.Writer, piece func([]byte, compress.Piece) error, p *page.Page) error {
	if p == nil {
		return web.HoleError().Render(context.Background(), out)
	}
	return piece(p.Shell.Pieces[0], p.Shell.Gzip[0])
}

// setTrailer sends the Server-Timing metrics known only once a streamed
// body is over as a trailer, to a client that said it takes
// trailers (TE: trailers, RFC 9110 §10.1.4). Others are not sent one:
// proxies such as Varnish fail a fetch whose chunked body ends in a
// trailer. (A trailer announced with "Trailer:" would make net/http repeat
// the header's value there, so it is set with http.TrailerPrefix.)
func setTrailer(r *http.Request, h http.Header, metrics []string) {
	if len(metrics) == 0 || !strings.Contains(strings.ToLower(r.Header.Get("TE")), "trailers") {
		return
	}
	h[http.TrailerPrefix+"Server-Timing"] = []string{strings.Join(metrics, ", ")}
}

// metric formats one Server-Timing metric: name;dur=milliseconds[;desc="…"].
func metric(name string, d time.Duration, desc string) string {
	b := make([]byte, 0, 48)
	b = append(b, name...)
	b = append(b, ";dur="...)
	b = strconv.AppendFloat(b, float64(d.Microseconds())/1000, 'f', 3, 64)
	if desc != "" {
		b = append(b, `;desc="`...)
		b = append(b, desc...)
		b = append(b, '"')
	}
	return string(b)
}

// renderHole renders one hole into b, the live one once its simulated
// data has come. A hole that fails or panics is its error fallback, logged
// and counted; the error returned is only the reader's leaving (ctx done),
// after which nothing more is sent.
func (s *Server) renderHole(ctx context.Context, b *bytes.Buffer, name string, req page.HoleRequest, delay time.Duration) (err error) {
	result := "ok"
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			result, err = "canceled", ctx.Err()
		default:
			result = "error"
			s.log.Error("hole failed; its error fallback was sent", "hole", name, "err", err)
			b.Reset()
			err = web.HoleError().Render(ctx, b)
		}
		s.countHole(name, result)
	}()
	if name == page.HoleLive {
		if req.Waited, err = s.slowData(ctx, delay); err != nil {
			return err
		}
	}
	req.At = s.now()
	return s.holes(ctx, b, name, req)
}

// countHole counts a rendered hole. The counters of holes that went well
// are looked up once: a label lookup is 5 % of a PPR request otherwise.
func (s *Server) countHole(name, result string) {
	if result != "ok" {
		s.metrics.Holes.WithLabelValues(name, result).Inc()
		return
	}
	if c, ok := s.holesOK.Load(name); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := s.metrics.Holes.WithLabelValues(name, result)
	s.holesOK.Store(name, c)
	c.Inc()
}

// slowData is the simulated data source of the articles that stream
// (?delay=): it waits delay, or until ctx is done, and says how long it
// waited. When maxSlowData requests wait already it answers at once.
func (s *Server) slowData(ctx context.Context, delay time.Duration) (time.Duration, error) {
	if delay <= 0 {
		return 0, nil
	}
	select {
	case s.slowSlots <- struct{}{}:
		defer func() { <-s.slowSlots }()
	default:
		return 0, nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return delay, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// dataDelay reads ?delay=, the simulated data source's wait in
// milliseconds: clamped to [0, page.MaxDelay]; anything but a number is a
// 400.
func dataDelay(r *http.Request) (time.Duration, error) {
	v := r.URL.Query().Get("delay")
	if v == "" {
		return 0, nil
	}
	ms, err := strconv.Atoi(v)
	if err != nil {
		return 0, &StatusError{Status: http.StatusBadRequest, Msg: "delay must be a whole number of milliseconds, from 0 to 2000."}
	}
	return min(max(time.Duration(ms)*time.Millisecond, 0), page.MaxDelay), nil
}
