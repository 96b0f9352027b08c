package server

import (
	"net/http"
	"path"
	"strings"
)

// canonicalPaths answers non-canonical forms of a path with 301 to the
// canonical one: a trailing slash, a ".md" suffix on an article, or a path
// that cleans to another. It sits before routing so every route gets it.
// (chi's middleware.RedirectSlashes handles the trailing slash only.)
func (s *Server) canonicalPaths(next http.Handler) http.Handler {
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
		s.redirect(w, r, target)
	})
}

// redirect sends 301 to a path on this site. A target that a browser could
// read as another host ("//x", "/\x") or that holds control characters is
// refused with 404: redirects never leave the site.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target string) error {
	if !safeLocalPath(target) {
		s.writeNotFound(w, r)
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
