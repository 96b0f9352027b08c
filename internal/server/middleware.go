package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/web"
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
// The ID travels in the response header, where handlers read it.
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

// clientIP is the address of the client: the peer, or — only when the peer
// is a configured trusted proxy — the nearest address in X-Forwarded-For
// that is not a trusted proxy. Without trusted proxies the header is
// ignored, so a client cannot forge its address.
func (s *Server) clientIP(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = hop.Unmap()
		if !s.trusted(addr) {
			break
		}
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// recoverer turns a panic in a handler into the 500 page, so one bad
// request never takes the server down. It sits inside accessLog so the 500
// is logged and counted.
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

// themeScriptHash allows the one inline script by its hash. A nonce would
// not do: cached pages are the same bytes for every reader.
var themeScriptHash = func() string {
	sum := sha256.Sum256([]byte(web.ThemeScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// csp is the Content-Security-Policy for one version of the inline base
// stylesheet, kept so that building it costs nothing per request.
type csp struct {
	styleHash string
	value     []string
}

// contentSecurityPolicy lets pages load only this site's files, plus the
// inline theme script and base stylesheet by hash; the favicon is a data:
// URL.
func (s *Server) contentSecurityPolicy() []string {
	var styleHash string
	if a, ok := s.assets.Original(page.BaseStylesheet); ok {
		styleHash = a.CSPHash
	}
	if c := s.csp.Load(); c != nil && c.styleHash == styleHash {
		return c.value
	}
	c := &csp{styleHash: styleHash, value: []string{"default-src 'self'; img-src 'self' data:; style-src 'self' " + styleHash +
		"; script-src 'self' " + themeScriptHash + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"}}
	s.csp.Store(c)
	return c.value
}

// Security header values, shared by every response.
var (
	headerNosniff     = []string{"nosniff"}
	headerReferrer    = []string{"strict-origin-when-cross-origin"}
	headerPermissions = []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}
	headerFrame       = []string{"DENY"}
	headerHSTS        = []string{"max-age=63072000; includeSubDomains"}
)

// securityHeaders sets the headers every response carries, early in the
// chain so that error pages carry them too.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	hsts := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = s.contentSecurityPolicy()
		h["X-Content-Type-Options"] = headerNosniff
		h["Referrer-Policy"] = headerReferrer
		h["Permissions-Policy"] = headerPermissions
		h["X-Frame-Options"] = headerFrame
		if hsts {
			h["Strict-Transport-Security"] = headerHSTS
		}
		next.ServeHTTP(w, r)
	})
}

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

// canonicalPaths answers non-canonical forms of a path with 301 to the
// canonical one: a trailing slash, a ".md" suffix on an article, or a path
// that cleans to another. It sits before routing so every route gets it.
func canonicalPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		target := path.Clean(p)
		if strings.HasPrefix(target, "/articles/") {
			target = strings.TrimSuffix(target, ".md")
		}
		if target == p || p == "" {
			next.ServeHTTP(w, r)
			return
		}
		redirect(w, r, target)
	})
}

// redirect sends 301 to a path on this site. A target that a browser could
// read as another host ("//x", "/\x") or that holds control characters is
// refused with 404: redirects never leave the site.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	if !safeLocalPath(target) {
		w.Header()["Cache-Control"] = cacheError
		http.NotFound(w, r)
		return nil
	}
	if q := r.URL.RawQuery; q != "" {
		target += "?" + q
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}

// safeLocalPath reports whether p is a path on this site that no browser
// would read as a URL on another host.
func safeLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\x00\r\n\t") {
		return false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
