package server

import (
	"net/http"
	"strconv"
)

// MaxURI is the longest request target served; longer ones get 414. Real
// paths on this site are far shorter, and a long query cannot change a
// cached page.
const MaxURI = 4096

// limitURI refuses oversized request targets before any routing work.
func (s *Server) limitURI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > MaxURI || len(r.URL.RawQuery) > MaxURI {
			s.writeError(w, r, &StatusError{Status: http.StatusRequestURITooLong, Msg: "The address is longer than " + strconv.Itoa(MaxURI) + " bytes."})
			return
		}
		next.ServeHTTP(w, r)
	})
}
