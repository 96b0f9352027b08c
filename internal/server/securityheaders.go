package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/web"
)

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
