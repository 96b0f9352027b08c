package server

import (
	"net/http"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// measure fetches each of the lab's articles through the server's own
// router, as a client would (gzip, the whole middleware chain), one after
// the other, and times the first byte and the last: the figures /lab shows
// when the reader's browser does not measure them itself.
func (s *Server) measure(r *http.Request, site *content.Site) (*page.Lab, error) {
	delay, err := dataDelay(r)
	if err != nil {
		return nil, err
	}
	router := s.router.Load()
	lab := &page.Lab{Delay: delay}
	for _, t := range page.LabTargets(site) {
		url := page.LabURL(t, delay)
		req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.RemoteAddr = r.RemoteAddr
		req.Header.Set("Accept-Encoding", "gzip")
		tw := &timingWriter{h: http.Header{}, start: time.Now(), status: http.StatusOK}
		router.ServeHTTP(tw, req)
		total := time.Since(tw.start)
		if tw.first == 0 {
			tw.first = total
		}
		lab.Results = append(lab.Results, page.LabResult{
			Target: t, URL: url, Status: tw.status, Cache: tw.h.Get("X-Cache"), Age: tw.h.Get("Age"),
			ServerTiming: tw.h.Get("Server-Timing"), FirstByte: tw.first, Total: total, Bytes: tw.bytes,
		})
		if r.Context().Err() != nil {
			return nil, r.Context().Err()
		}
	}
	return lab, nil
}

// timingWriter is a ResponseWriter that notes when the first byte was
// written and how many were.
type timingWriter struct {
	h      http.Header
	start  time.Time
	first  time.Duration
	status int
	wrote  bool
	bytes  int
}

func (tw *timingWriter) Header() http.Header { return tw.h }

func (tw *timingWriter) WriteHeader(code int) {
	if !tw.wrote {
		tw.status, tw.wrote = code, true
	}
}

func (tw *timingWriter) Write(p []byte) (int, error) {
	if tw.first == 0 {
		tw.first = time.Since(tw.start)
	}
	tw.wrote = true
	tw.bytes += len(p)
	return len(p), nil
}

func (tw *timingWriter) Flush() {}

// waitForData is an SSR article's simulated data source: the page waits
// for its data (?delay=) before it can send anything, which is what SSR
// costs.
func (s *Server) waitForData(r *http.Request) error {
	delay, err := dataDelay(r)
	if err != nil {
		return err
	}
	_, err = s.slowData(r.Context(), delay)
	return err
}
