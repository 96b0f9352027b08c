package server

import "net/http"

var headerClose = []string{"close"}

// closeWhenDraining answers with Connection: close once the server is
// shutting down ([Server.Drain]): net/http then closes the connection after
// this answer, and the client sends its next request on a new one. It is
// first in the chain, so every answer, error pages included, carries it.
func (s *Server) closeWhenDraining(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			w.Header()["Connection"] = headerClose
		}
		next.ServeHTTP(w, r)
	})
}
