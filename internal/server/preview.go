package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Draft preview mirrors Next.js's draft mode: a secret in the URL sets a
// signed cookie; with it, drafts are visible and every page is rendered for
// the request and never cached.
const (
	previewCookie = "rw_preview"
	previewTTL    = time.Hour
)

// previewKey derives the cookie-signing key from the preview token, so a
// new token invalidates every preview cookie.
func (s *Server) previewKey() []byte {
	sum := sha256.Sum256([]byte("renderwise preview cookie\x00" + s.cfg.PreviewToken))
	return sum[:]
}

// previewValue is "<expiry unix>.<signature>".
func (s *Server) previewValue(expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	mac := hmac.New(sha256.New, s.previewKey())
	mac.Write([]byte(exp))
	return exp + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// inPreview reports whether r carries a valid, unexpired preview cookie.
// A tampered or expired cookie is ignored.
func (s *Server) inPreview(r *http.Request) bool {
	if s.cfg.PreviewToken == "" {
		return false
	}
	c, err := r.Cookie(previewCookie)
	if err != nil {
		return false
	}
	exp, _, ok := strings.Cut(c.Value, ".")
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !s.now().Before(time.Unix(n, 0)) {
		return false
	}
	return hmac.Equal([]byte(c.Value), []byte(s.previewValue(time.Unix(n, 0))))
}

// previewEnter checks the token and sets the preview cookie, then redirects
// to the page to preview (a path on this site only).
func (s *Server) previewEnter(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.PreviewToken == "" {
		return errNotFound
	}
	if err := s.checkGuesses(r); err != nil {
		return err
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("token")), []byte(s.cfg.PreviewToken)) != 1 {
		s.wrongGuess(r)
		return &StatusError{Status: http.StatusUnauthorized, Msg: "wrong preview token"}
	}
	target := q.Get("path")
	if target == "" {
		target = "/"
	}
	if !safeLocalPath(target) {
		return &StatusError{Status: http.StatusBadRequest, Msg: "path must be a path on this site, such as /articles/x"}
	}
	http.SetCookie(w, &http.Cookie{
		Name: previewCookie, Value: s.previewValue(s.now().Add(previewTTL)), Path: "/",
		MaxAge: int(previewTTL.Seconds()), Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", cachePrivate)
	http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	return nil
}

// previewExit clears the preview cookie.
func (s *Server) previewExit(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: previewCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", cachePrivate)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// setTheme stores the reader's theme in a cookie and goes back to the page
// the form was on. Pages never vary by this cookie: an inline script in the
// head applies it before the first paint (web.ThemeScript), so every reader
// gets the same cacheable bytes.
func (s *Server) setTheme(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		if se := bodyError(err); se != nil {
			return se
		}
		return &StatusError{Status: http.StatusBadRequest, Msg: "bad form"}
	}
	back := r.PostForm.Get("return")
	if !safeLocalPath(back) {
		back = "/"
	}
	c := &http.Cookie{Name: "theme", Path: "/", SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600}
	switch theme := r.PostForm.Get("theme"); theme {
	case "light", "dark":
		c.Value = theme
	case "system":
		c.MaxAge = -1
	default:
		return &StatusError{Status: http.StatusBadRequest, Msg: `theme must be "light", "dark" or "system"`}
	}
	http.SetCookie(w, c)
	w.Header().Set("Cache-Control", cachePrivate)
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
