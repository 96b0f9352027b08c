package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
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
// the page cache, as fast as an SSG page, and each hole rendered for this
// request and streamed in the same response, in order. The head and the
// shell up to the first hole are flushed before any hole is rendered. With
// gzip, the shell's pieces were compressed once and only the holes are
// compressed now: one valid gzip member (compress.Stitcher).
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
	lookup := time.Since(start)
	h := w.Header()
	h["Content-Type"] = []string{p.ContentType}
	h["X-Render-Mode"] = []string{string(content.PPR)}
	h["Cache-Control"] = []string{cachePrivate} // the holes are this request's
	h["Vary"] = []string{"Accept-Encoding"}
	h["Server-Timing"] = []string{fmt.Sprintf("lookup;dur=%.3f", float64(lookup.Microseconds())/1000)}
	if r.Method == http.MethodHead {
		return nil
	}
	rc := http.NewResponseController(w)
	var out io.Writer = w
	piece := func(i int) error { _, err := w.Write(p.Shell.Pieces[i]); return err }
	flush := func() error { return rc.Flush() }
	var st *compress.Stitcher
	if acceptsEncoding(r, "gzip") {
		h["Content-Encoding"] = []string{"gzip"}
		st = compress.NewStitcher(w)
		out = st
		piece = func(i int) error { return st.Piece(p.Shell.Gzip[i]) }
		flush = func() error {
			if err := st.Flush(); err != nil {
				return err
			}
			return rc.Flush()
		}
	}
	var hole bytes.Buffer
	for i, name := range p.Shell.Holes {
		if err := piece(i); err != nil {
			return nil // the reader is gone
		}
		flush()
		hole.Reset()
		if err := s.renderHole(r.Context(), &hole, name, start, delay); err != nil {
			return nil // the reader is gone: stop here
		}
		if _, err := out.Write(hole.Bytes()); err != nil {
			return nil
		}
	}
	if err := piece(len(p.Shell.Holes)); err != nil {
		return nil
	}
	if st != nil {
		st.Close()
	}
	return nil
}

// renderHole renders one hole into b, the live one once its simulated
// data has come. A hole that fails or panics is its error fallback, logged
// and counted; the error returned is only the reader's leaving (ctx done),
// after which nothing more is sent.
func (s *Server) renderHole(ctx context.Context, b *bytes.Buffer, name string, start time.Time, delay time.Duration) (err error) {
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
	req := page.HoleRequest{Start: start}
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
