package server

import (
	"fmt"
	"net/http"
)

// recoverer turns a panic in a handler into the 500 page, so one bad
// request never takes the server down. It sits inside accessLog so the 500
// is logged and counted. (chi's middleware.Recoverer writes a bare 500 and a
// stack trace to stderr; this one renders the site's error page and logs
// through the server's logger with the request ID.)
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the client went away; let net/http handle it
			}
			s.serverError(w, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}
