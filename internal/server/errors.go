package server

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// StatusError is an error with the HTTP status it should answer.
type StatusError struct {
	Status     int
	Msg        string
	RetryAfter time.Duration // sent as Retry-After when positive (429, 503)
}

func (e *StatusError) Error() string { return e.Msg }

// handle adapts a handler that can fail: not found → the 404 page, a
// *StatusError → its status, anything else → the 500 page and one log line.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		var se *StatusError
		switch {
		case errors.As(err, &se):
			// Before the check for a gone client: a request whose body
			// timed out has a cancelled context but still gets its answer.
			s.writeError(w, r, se)
		case r.Context().Err() != nil:
			// The client went away mid-answer: nothing to send, nothing broken.
			s.log.Debug("client gone", "path", r.URL.Path, "request_id", RequestID(w), "err", err)
		case errors.Is(err, content.ErrNotFound):
			if isAPI(r) {
				writeJSON(w, r, http.StatusNotFound, apiError{Error: "not found"})
				return
			}
			s.writeNotFound(w, r)
		default:
			s.serverError(w, r, err)
		}
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// cacheError is the Cache-Control of every error answer but the 404 page:
// no cache, shared or private, keeps it (405 and 414 are otherwise
// cacheable by default, RFC 9111 §4.2.2).
var cacheError = []string{"no-store"}

// bodyError is the answer to a request whose body could not be read: too
// large (413), or not sent in time (408: the server's read timeout passed,
// which also cancels the request's context, so without this the client got
// an empty 200). It is nil for other errors, which are the handler's to name.
func bodyError(err error) *StatusError {
	if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
		return &StatusError{Status: http.StatusRequestEntityTooLarge, Msg: "body too large"}
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return &StatusError{Status: http.StatusRequestTimeout, Msg: "the request body did not arrive in time"}
	}
	return nil
}

// writeError answers a request with the status of e: JSON on API routes,
// the site's error page elsewhere. Nothing keeps the answer.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *StatusError) {
	h := w.Header()
	for _, k := range []string{"ETag", "Last-Modified", "Content-Encoding", "X-Cache", "X-Render-Mode", "Surrogate-Key"} {
		h.Del(k)
	}
	h["Cache-Control"] = cacheError
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	if isAPI(r) {
		writeJSON(w, r, e.Status, apiError{Error: e.Msg})
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Status)
	if r.Method == http.MethodHead {
		return
	}
	info := page.ErrorInfo{Status: e.Status, Heading: http.StatusText(e.Status), Message: e.Msg}
	if e.Status >= 500 {
		info.RequestID = RequestID(w) // a fault of the server's: worth quoting
	}
	if err := s.builder.ErrorPage(r.Context(), w, s.content.Site(), info, s.now()); err != nil {
		s.log.Error("render error page", "status", e.Status, "request_id", info.RequestID, "err", err)
	}
}

// writeNotFound sends the site's 404 page.
func (s *Server) writeNotFound(w http.ResponseWriter, r *http.Request) {
	p := s.notFound.Load()
	if p == nil { // before the first Prerender
		s.writeError(w, r, &StatusError{Status: http.StatusNotFound, Msg: "There is no page at this address."})
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=0, must-revalidate, s-maxage=60")
	s.writeBody(w, r, p)
}

// serverError logs err and sends the 500 page, unless the response has
// already started.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "path", r.URL.Path, "request_id", RequestID(w), "err", err)
	if rec, ok := w.(*recorder); ok && rec.wrote {
		return
	}
	s.writeError(w, r, &StatusError{Status: http.StatusInternalServerError, Msg: "internal error"})
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allow := "GET, HEAD"
	if r.URL.Path == "/api/revalidate" || r.URL.Path == "/api/theme" {
		allow = "POST"
	}
	w.Header().Set("Allow", allow)
	s.writeError(w, r, &StatusError{Status: http.StatusMethodNotAllowed, Msg: r.Method + " is not allowed here; use " + allow + "."})
}
