package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
)

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestIDs makes request IDs: a random prefix for this process and a
// counter, unique without a call to the random source per request.
var requestIDs = struct {
	prefix string
	n      atomic.Uint64
}{prefix: randomHex(6)}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// RequestID returns the ID of the request w answers, set by the requestID
// middleware.
func RequestID(w http.ResponseWriter) string {
	return w.Header().Get("X-Request-Id")
}

// requestID gives every request an ID, first in the chain so that every log
// line and error page can name it. A well-formed X-Request-ID from a proxy is
// kept, so one ID follows a request across hops; anything else is replaced.
// The ID travels in the response header, where handlers read it. (chi's
// middleware.RequestID accepts any incoming value and keeps the ID only in
// the request context, where error pages written from a ResponseWriter
// cannot see it.)
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header["X-Request-Id"]
		if len(id) != 1 || !requestIDRE.MatchString(id[0]) {
			id = []string{requestIDs.prefix + "-" + strconv.FormatUint(requestIDs.n.Add(1), 36)}
		}
		w.Header()["X-Request-Id"] = id
		next.ServeHTTP(w, r)
	})
}
