package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
	"github.com/renderwise/renderwise/internal/seo"
)

type apiError struct {
	Error string `json:"error"`
}

// apiArticle is an article as the JSON API shows it.
type apiArticleJSON struct {
	Path           string     `json:"path"`
	URL            string     `json:"url"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Date           string     `json:"date"`
	Updated        string     `json:"updated,omitempty"`
	Tags           []string   `json:"tags"`
	Series         string     `json:"series,omitempty"`
	Order          int        `json:"order,omitempty"`
	Render         string     `json:"render"`
	Revalidate     string     `json:"revalidate,omitempty"`
	ReadingMinutes int        `json:"reading_minutes"`
	HTML           string     `json:"html,omitempty"`
	TOC            []tocEntry `json:"toc,omitempty"`
}

type tocEntry struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Level int    `json:"level"`
}

func (s *Server) articleJSON(a *content.Article, full bool) apiArticleJSON {
	j := apiArticleJSON{
		Path: a.Path, URL: seo.Canonical(s.cfg.BaseURL, a.Path), Title: a.Title, Description: a.Description,
		Date: a.Date.Format(time.DateOnly), Tags: a.Tags, Series: a.Series, Order: a.Order,
		Render: string(a.Render), ReadingMinutes: a.ReadingMinutes,
	}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	if !a.Updated.IsZero() {
		j.Updated = a.Updated.Format(time.DateOnly)
	}
	if a.Revalidate > 0 {
		j.Revalidate = a.Revalidate.String()
	}
	if full {
		j.HTML = string(a.HTML)
		for _, h := range a.Headings {
			j.TOC = append(j.TOC, tocEntry{ID: h.ID, Text: h.Text, Level: h.Level})
		}
	}
	return j
}

// apiArticles lists the public articles, newest first, optionally by tag.
func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) error {
	site := s.content.Site()
	list := site.Articles()
	if tag := r.URL.Query().Get("tag"); tag != "" {
		t, _ := site.Tag(tag)
		list = t.Articles
	}
	out := struct {
		Articles []apiArticleJSON `json:"articles"`
		Count    int              `json:"count"`
	}{Articles: make([]apiArticleJSON, 0, len(list)), Count: len(list)}
	for _, a := range list {
		out.Articles = append(out.Articles, s.articleJSON(a, false))
	}
	writeJSON(w, r, http.StatusOK, out)
	return nil
}

// apiArticle returns one article with its HTML and table of contents.
func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) error {
	p := "/articles/" + strings.TrimPrefix(r.URL.Path, "/api/articles/")
	a, ok := s.content.Site().Article(p)
	if !ok || (a.Draft && !s.inPreview(r)) {
		return errNotFound
	}
	if a.Draft {
		w.Header().Set("Cache-Control", cachePrivate)
	}
	writeJSON(w, r, http.StatusOK, s.articleJSON(a, true))
	return nil
}

// apiSearch answers a search with JSON.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	type fragment struct {
		Text  string `json:"text"`
		Match bool   `json:"match"`
	}
	type hit struct {
		Path      string     `json:"path"`
		URL       string     `json:"url"`
		Title     string     `json:"title"`
		Snippet   string     `json:"snippet"`   // HTML: text escaped, matches in <mark>
		Fragments []fragment `json:"fragments"` // the same as plain text parts, for building DOM safely
		Score     float64    `json:"score"`
	}
	out := struct {
		Query   string `json:"query"`
		Total   int    `json:"total"`
		Results []hit  `json:"results"`
	}{Query: q, Results: []hit{}}
	results, total := s.builder.Index(s.content.Site()).Search(q, page.MaxResults)
	out.Total = total
	for _, res := range results {
		var b strings.Builder
		frags := make([]fragment, len(res.Snippet))
		for i, f := range res.Snippet {
			frags[i] = fragment{f.Text, f.Match}
			if f.Match {
				b.WriteString("<mark>" + htmlEscape(f.Text) + "</mark>")
			} else {
				b.WriteString(htmlEscape(f.Text))
			}
		}
		out.Results = append(out.Results, hit{Path: res.ID, URL: seo.Canonical(s.cfg.BaseURL, res.ID), Title: res.Title, Snippet: b.String(), Fragments: frags, Score: res.Score})
	}
	writeJSON(w, r, http.StatusOK, out)
	return nil
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

// revalidate regenerates one page now (on-demand ISR), or marks every page
// that declared a cache tag out of date (DESIGN.md §7). It is off unless a
// token is configured, and needs that token as a bearer token.
func (s *Server) revalidate(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.RevalidateToken == "" {
		return errNotFound
	}
	if err := s.checkGuesses(r); err != nil {
		return err
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.RevalidateToken)) != 1 {
		s.wrongGuess(r)
		w.Header().Set("WWW-Authenticate", `Bearer realm="revalidate"`)
		return &StatusError{Status: http.StatusUnauthorized, Msg: "missing or wrong token"}
	}
	var req struct {
		Path   string `json:"path"`
		Tag    string `json:"tag"`
		Expire bool   `json:"expire"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if se := bodyError(err); se != nil {
		return se
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	switch {
	case err == nil && req.Tag != "" && req.Path == "" && validTag(req.Tag):
		return s.revalidateTag(w, r, req.Tag, req.Expire)
	case err != nil || !strings.HasPrefix(req.Path, "/") || req.Tag != "":
		return &StatusError{Status: http.StatusBadRequest, Msg: `body must be JSON like {"path": "/articles/x"} or {"tag": "tag:nextjs", "expire": false}`}
	}
	site := s.content.Site()
	if rt, ok := page.Resolve(site, req.Path); ok && rt.Mode != content.ISR {
		return &StatusError{Status: http.StatusBadRequest, Msg: req.Path + " is " + string(rt.Mode) + ", not isr: only ISR pages are revalidated"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	p, err := s.cache.Revalidate(ctx, req.Path)
	if errors.Is(err, content.ErrNotFound) {
		return err
	}
	if err != nil {
		s.log.Error("on-demand revalidation failed; serving the last good page", "path", req.Path, "err", err)
		return &StatusError{Status: http.StatusUnprocessableEntity, Msg: err.Error()}
	}
	writeJSON(w, r, http.StatusOK, struct {
		Revalidated bool   `json:"revalidated"`
		Path        string `json:"path"`
		Generated   string `json:"generated"`
		ETag        string `json:"etag"`
	}{true, p.Route, p.Generated.Format(time.RFC3339Nano), p.ETag})
	return nil
}

// revalidateTag marks the stored pages that declared tag out of date (stale
// while they regenerate, or with expire rendered on their next request),
// purges the tag at the proxy in front when one is configured, and answers
// with the routes it affected. It renders nothing itself.
func (s *Server) revalidateTag(w http.ResponseWriter, r *http.Request, tag string, expire bool) error {
	routes := s.cache.RevalidateTag(tag, expire)
	purged := s.purge(r.Context(), tag, expire)
	if routes == nil {
		routes = []string{}
	}
	out := struct {
		Revalidated bool     `json:"revalidated"`
		Tag         string   `json:"tag"`
		Expire      bool     `json:"expire"`
		Routes      []string `json:"routes"`
		Purged      bool     `json:"purged,omitempty"`
		Message     string   `json:"message,omitempty"`
	}{len(routes) > 0, tag, expire, routes, purged, ""}
	if len(routes) == 0 {
		out.Message = "no stored page declares this tag; nothing was revalidated"
	}
	writeJSON(w, r, http.StatusOK, out)
	return nil
}

// validTag reports whether t can be a cache tag: printable, without spaces
// or commas (it travels in Surrogate-Key and Cache-Tag headers), at most
// 256 bytes.
func validTag(t string) bool {
	if len(t) > 256 {
		return false
	}
	for _, c := range t {
		if c <= ' ' || c == ',' || c == 0x7f {
			return false
		}
	}
	return true
}

// writeJSON answers with v as JSON. Dynamic responses like these are
// compressed per request (gzip, fast level) when they are big enough for it
// to pay; stored pages are compressed once instead.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case status >= 400:
		h.Set("Cache-Control", cachePrivate)
	case h.Get("Cache-Control") == "":
		h.Set("Cache-Control", "public, max-age=0, must-revalidate, s-maxage=60")
	}
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, `{"error": "encoding the answer failed"}`, http.StatusInternalServerError)
		return
	}
	body = append(body, '\n')
	h["Vary"] = headerVary
	if len(body) < 1024 || !acceptsEncoding(r, "gzip") {
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	gz := gzipPool.Get().(*gzip.Writer)
	gz.Reset(w)
	gz.Write(body)
	gz.Close()
	gzipPool.Put(gz)
}
