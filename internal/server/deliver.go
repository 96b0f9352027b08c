package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/klauspost/compress/gzip"

	"github.com/renderwise/renderwise/internal/assets"
	"github.com/renderwise/renderwise/internal/cache"
	"github.com/renderwise/renderwise/internal/content"
	"github.com/renderwise/renderwise/internal/page"
)

// Cache-Control values of DESIGN.md §4. A shared cache (CDN, Varnish)
// keeps SSG pages until purged and ISR pages for their interval, and may
// serve a stale ISR page while it revalidates; browsers always revalidate.
const (
	cacheSSG        = "public, max-age=0, must-revalidate, s-maxage=31536000"
	cacheISRFormat  = "public, max-age=0, must-revalidate, s-maxage=%d, stale-while-revalidate=31536000"
	cachePrivate    = "private, no-store"
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheContentDir = "public, max-age=3600"
)

// deliver serves any page route: the one place that decides how a page is
// delivered.
func (s *Server) deliver(w http.ResponseWriter, r *http.Request) error {
	preview := s.inPreview(r)
	site, rt, ok, err := s.resolve(r.URL.Path, preview)
	if err != nil {
		return err
	}
	if !ok {
		if to, ok := page.FirstPage(r.URL.Path); ok {
			if _, ok := page.Resolve(s.content.Site(), to); ok {
				return s.redirect(w, r, to) // page 1 of a listing is the listing
			}
		}
		return errNotFound
	}
	if rt.Mode == content.SSR || (preview && rt.HTML()) {
		return s.stream(w, r, site, rt, preview)
	}
	if rt.Mode == content.PPR {
		return s.ppr(w, r, rt)
	}
	start := time.Now()
	p, status, err := s.cache.Get(r.Context(), rt.Path)
	if err != nil {
		return err
	}
	w.Header()["Server-Timing"] = lookupTiming(time.Since(start), status)
	s.writePage(w, r, p, status)
	return nil
}

// lookupTiming is the Server-Timing header of a stored page. A lookup
// takes microseconds, so the values under a millisecond are made once per
// status and shared: the header then costs a stored page no allocation
// (two, 60 bytes, on every request otherwise; BenchmarkServeSSG).
func lookupTiming(d time.Duration, status cache.Status) []string {
	us := d.Microseconds()
	table := lookupTimings[status]
	if table == nil || us < 0 || us >= int64(len(table)) {
		return []string{metric("lookup", d, string(status))}
	}
	return table[us]
}

var lookupTimings = func() map[cache.Status][][]string {
	m := map[cache.Status][][]string{}
	for _, st := range []cache.Status{cache.Hit, cache.Stale, cache.Miss} {
		t := make([][]string, 1000)
		for us := range t {
			t[us] = []string{metric("lookup", time.Duration(us)*time.Microsecond, string(st))}
		}
		m[st] = t
	}
	return m
}()

// resolve resolves path once per request. An article's file is read again
// first when the answer depends on it being current: for a page rendered
// for this request (SSR, or any page in preview), so edits show at once and
// a deleted file is 404; and for a path not known yet, whose file may have
// appeared since (an SSG one is still 404 until a rebuild: the cache's
// render function knows). Pages from the cache are brought up to date by
// their regeneration instead.
func (s *Server) resolve(path string, preview bool) (*content.Site, page.Route, bool, error) {
	resolve := page.Resolve
	if preview {
		resolve = page.ResolvePreview
	}
	site := s.content.Site()
	rt, ok := resolve(site, path)
	if !strings.HasPrefix(path, "/articles/") || (ok && rt.Mode != content.SSR && !preview) {
		return site, rt, ok, nil
	}
	site, err := s.renderer.Site(path)
	switch {
	case errors.Is(err, content.ErrNotFound):
		return nil, page.Route{}, false, nil
	case err != nil && !ok:
		return nil, page.Route{}, false, nil // a new file with problems is not a page yet
	case err != nil:
		return nil, page.Route{}, false, err
	}
	rt, ok = resolve(site, path)
	return site, rt, ok, nil
}

// article serves /articles/…: files beside the articles, redirects for
// aliases, and article pages.
func (s *Server) article(w http.ResponseWriter, r *http.Request) error {
	route := r.URL.Path
	if to, ok := s.content.Site().Alias(route); ok {
		return s.redirect(w, r, to)
	}
	if ext := path.Ext(route); ext != "" {
		return s.contentFile(w, r, strings.TrimPrefix(route, "/articles/"))
	}
	return s.deliver(w, r)
}

// contentFile serves an image or other file that sits beside the articles:
// only a file the Site publishes ([content.Site.File]: regular, not hidden,
// not a link, of a published type), so serve, build and check agree.
func (s *Server) contentFile(w http.ResponseWriter, r *http.Request, name string) error {
	if !s.content.Site().File(name) {
		return errNotFound
	}
	f, err := s.content.FS().Open(name)
	if err != nil {
		return errNotFound
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return errNotFound
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return errors.New("content file is not seekable: " + name)
	}
	h := w.Header()
	h.Set("Cache-Control", cacheContentDir)
	if path.Ext(name) == ".svg" {
		// An SVG can carry script; opened on its own it must not run any.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		h.Set("Content-Disposition", "inline")
	}
	http.ServeContent(errorsNoStore{w}, r, name, info.ModTime(), rs)
	return nil
}

// errorsNoStore marks the error answers http.ServeContent writes itself
// (416 for a range past the end, 412 for a failed precondition) as kept by
// no cache: it drops the Cache-Control set for the file.
type errorsNoStore struct{ http.ResponseWriter }

func (e errorsNoStore) WriteHeader(code int) {
	if code >= 400 {
		e.Header()["Cache-Control"] = cacheError
	}
	e.ResponseWriter.WriteHeader(code)
}

// static serves a fingerprinted asset; its URL changes with its content, so
// it may be cached for ever.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets.Get(chi.URLParam(r, "name"))
	if !ok {
		return errNotFound
	}
	s.assetReps.get(a, assetRepresentation).write(w, r)
	return nil
}

// assetRepresentation prepares a fingerprinted asset: its URL changes with
// its content, so it may be cached for ever.
func assetRepresentation(a *assets.Asset) *representation {
	rep := newRepresentation(http.StatusOK, a.ContentType, a.ETag, time.Time{}, a.Body, a.Gzip, a.Brotli)
	rep.cacheControl = headerImmutable
	return rep
}

// stream renders a page for this request: an SSR page, or any page in
// draft preview. The head is flushed before the body renders; gzip is
// applied on the fly when the client accepts it.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, site *content.Site, rt page.Route, preview bool) error {
	start := time.Now()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Render-Mode", string(content.SSR))
	h.Set("Cache-Control", cachePrivate)
	h.Set("Vary", "Accept-Encoding")
	if preview {
		h.Set("X-Robots-Tag", "noindex") // drafts are never for search engines
	}
	if r.Method == http.MethodHead {
		return nil
	}
	var lab *page.Lab
	switch {
	case rt.Kind == page.KindLab:
		var err error
		if lab, err = s.measure(r, site); err != nil {
			return err
		}
	case rt.Kind == page.KindArticle && !preview:
		// The simulated data source (?delay=): an SSR page waits for its
		// data before it can send anything, which is what SSR costs.
		waited := time.Now()
		if err := s.waitForData(r); err != nil {
			return err
		}
		h["Server-Timing"] = []string{metric("data", time.Since(waited), "the simulated data source")}
		return s.ssrArticle(w, r, site, rt, start)
	}
	out := &lazyWriter{w: w}
	var squeeze *timedWriter
	if acceptsEncoding(r, "gzip") {
		h.Set("Content-Encoding", "gzip")
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(w)
		defer gzipPool.Put(gz)
		squeeze = &timedWriter{w: gz}
		out = &lazyWriter{w: squeeze, flush: func() { gz.Flush(); http.NewResponseController(w).Flush() }, close: gz.Close}
	}
	req := page.Request{Query: r.URL.Query().Get("q"), Start: start, Preview: preview, Lab: lab}
	began := time.Now()
	err := s.builder.Stream(r.Context(), out, site, rt, req)
	s.renderer.observe(content.SSR, time.Since(start))
	if err != nil {
		if !out.started {
			h.Del("Content-Encoding")
		}
		return err
	}
	err = out.Close()
	// Known only now: a trailer, for a client that takes one.
	timing := []string{metric("render", time.Since(began), "")}
	if squeeze != nil {
		timing = append(timing, metric("gzip", squeeze.spent, "on the fly"))
	}
	setTrailer(r, h, timing)
	return err
}

// timedWriter adds up the time its writes take: for a compressing writer,
// the compression (and, now and then, handing its output on).
type timedWriter struct {
	w     io.Writer
	spent time.Duration
}

func (t *timedWriter) Write(p []byte) (int, error) {
	began := time.Now()
	n, err := t.w.Write(p)
	t.spent += time.Since(began)
	return n, err
}

// ssrArticle writes an SSR article for this request: its shell, kept
// while the content is the same ([page.Builder.SSRShell]), with the two
// sentences that depend on the request rendered now. With gzip only those
// are compressed (sendShell).
func (s *Server) ssrArticle(w http.ResponseWriter, r *http.Request, site *content.Site, rt page.Route, start time.Time) error {
	sh, err := s.builder.SSRShell(r.Context(), site, rt)
	if err != nil {
		return err
	}
	timing := s.sendShell(w, r, sh, nil, page.HoleRequest{Start: start}, 0)
	setTrailer(r, w.Header(), append(timing, metric("render", time.Since(start), "")))
	s.renderer.observe(content.SSR, time.Since(start))
	return nil
}

// lazyWriter defers the status line until the first byte, so a render that
// fails before writing anything can still become the 500 page.
type lazyWriter struct {
	w       io.Writer
	flush   func()
	close   func() error
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	l.started = true
	return l.w.Write(p)
}

// Flush sends what was written so far; templ calls it after the head.
func (l *lazyWriter) Flush() {
	if l.flush != nil {
		l.flush()
	} else if f, ok := l.w.(http.Flusher); ok {
		f.Flush()
	}
}

func (l *lazyWriter) Close() error {
	if l.close != nil {
		return l.close()
	}
	return nil
}

// gzipPool holds the writers of pages compressed as they are rendered
// (search, the lab, preview; JSON answers). klauspost/compress at its
// fastest level: 2.6 times the standard library's BestSpeed on a search page
// (155 against 60 MB/s, BenchmarkOnTheFly in internal/compress), for a body
// a few per cent larger.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// Values of X-Render-Mode and X-Cache.
var (
	headerModes = map[content.Mode][]string{content.SSG: {"ssg"}, content.ISR: {"isr"}, content.SSR: {"ssr"}, content.PPR: {"ppr"}}
	headerCache = map[cache.Status][]string{cache.Hit: {"HIT"}, cache.Stale: {"STALE"}, cache.Miss: {"MISS"}}
)

// pageRepresentation prepares a stored page for the wire, with the
// Cache-Control of its mode (DESIGN.md §4).
func pageRepresentation(p *page.Page) *representation {
	rep := newRepresentation(p.Status, p.ContentType, p.ETag, p.Modified, p.Body, p.Gzip, p.Brotli)
	if p.Body == nil && p.Gzip != nil { // compacted (page.Page.Compact)
		rep.plain.length = []string{strconv.Itoa(p.Size)}
		rep.inflate = true
	}
	rep.mode = headerModes[p.Mode]
	rep.cacheControl = headerCacheSSG
	if len(p.Tags) > 0 {
		// A shared cache keeps these pages; a tag revalidation purges them
		// there by these tags (DESIGN.md §7).
		rep.surrogateKey = []string{strings.Join(p.Tags, " ")}
		rep.cacheTag = []string{strings.Join(p.Tags, ",")}
	}
	if p.Mode == content.ISR {
		rep.cacheControl = []string{fmt.Sprintf(cacheISRFormat, int(p.Revalidate.Seconds()))}
	}
	return rep
}

// writePage writes a stored page and says how the cache found it.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, p *page.Page, status cache.Status) {
	w.Header()["X-Cache"] = headerCache[status]
	s.pages.get(p, pageRepresentation).write(w, r)
}

// writeBody writes a stored page without cache headers (the 404 page).
func (s *Server) writeBody(w http.ResponseWriter, r *http.Request, p *page.Page) {
	rep := *s.pages.get(p, pageRepresentation)
	rep.cacheControl = nil
	rep.write(w, r)
}
