package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

// recorder remembers the status and size of a response for logs and
// metrics. It keeps http.Flusher working (SSR streams through it) and
// unwraps for http.ResponseController.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (rec *recorder) WriteHeader(code int) {
	if !rec.wrote {
		rec.status, rec.wrote = code, true
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if !rec.wrote {
		rec.WriteHeader(http.StatusOK)
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += n
	return n, err
}

func (rec *recorder) Flush() {
	if !rec.wrote {
		rec.WriteHeader(http.StatusOK)
	}
	http.NewResponseController(rec.ResponseWriter).Flush()
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// accessLog writes one structured line per request and feeds the HTTP
// metrics. It sits right after requestID so it sees every response,
// including the 500 pages that recoverer writes below it.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		d := time.Since(start)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		mode := w.Header().Get("X-Render-Mode")
		s.httpMetrics.observe(route, r.Method, rec.status, mode, d)
		if s.cfg.QuietAccess || !s.log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Duration("duration", d), slog.String("request_id", w.Header().Get("X-Request-Id")),
			slog.String("mode", mode), slog.String("cache", w.Header().Get("X-Cache")),
			slog.String("remote", s.clientIP(r)))
	})
}
