package server

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/klauspost/compress/gzip"
)

// A representation is a response body prepared ahead of time, in each of
// its encodings, with every header value it needs already built: serving a
// stored page or an asset then allocates nothing beyond what net/http does.
// Header slices are shared between responses and never modified.
type representation struct {
	status       int
	etag         string // strong, unquoted, of the plain body; encodings add -br / -gz
	modified     time.Time
	contentType  []string
	lastModified []string // nil when unknown
	mode         []string // X-Render-Mode, nil for assets
	cacheControl []string
	surrogateKey []string // the page's cache tags, for the proxy in front (Surrogate-Key)
	cacheTag     []string // the same, comma-separated (Cache-Tag)
	vary         bool
	inflate      bool // no plain body is kept: send the gzip one inflated
	plain        encoded
	gzip         *encoded
	brotli       *encoded
}

type encoded struct {
	data     []byte
	etag     []string
	length   []string
	encoding []string // Content-Encoding, nil for identity
}

func newEncoded(data []byte, etag, encoding string) encoded {
	e := encoded{data: data, etag: []string{etag}, length: []string{strconv.Itoa(len(data))}}
	if encoding != "" {
		e.encoding = []string{encoding}
	}
	return e
}

// newRepresentation prepares a body whose ETag (quoted) is etag.
func newRepresentation(status int, contentType, etag string, modified time.Time, plain, gz, br []byte) *representation {
	base := strings.Trim(etag, `"`)
	rep := &representation{
		status:      status,
		etag:        base,
		modified:    modified,
		contentType: []string{contentType},
		plain:       newEncoded(plain, etag, ""),
		vary:        gz != nil || br != nil,
	}
	if !modified.IsZero() {
		rep.lastModified = []string{modified.UTC().Format(http.TimeFormat)}
	}
	if gz != nil {
		e := newEncoded(gz, `"`+base+`-gz"`, "gzip")
		rep.gzip = &e
	}
	if br != nil {
		e := newEncoded(br, `"`+base+`-br"`, "br")
		rep.brotli = &e
	}
	return rep
}

// Header values shared by many responses.
var (
	headerVary         = []string{"Accept-Encoding"}
	headerCacheSSG     = []string{cacheSSG}
	headerCachePrivate = []string{cachePrivate}
	headerImmutable    = []string{cacheImmutable}
)

// write answers conditional requests with 304 and otherwise writes the
// smallest encoding the client accepts. Each encoding has its own ETag
// (RFC 9110 §8.8.3: a strong validator names one representation); a request
// matching any of them is not modified, since they share one source.
func (rep *representation) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	enc := &rep.plain
	switch {
	case rep.brotli != nil && acceptsEncoding(r, "br"):
		enc = rep.brotli
	case rep.gzip != nil && acceptsEncoding(r, "gzip"):
		enc = rep.gzip
	}
	if rep.vary {
		h["Vary"] = headerVary
	}
	if rep.mode != nil {
		h["X-Render-Mode"] = rep.mode
	}
	if rep.cacheControl != nil {
		h["Cache-Control"] = rep.cacheControl
	}
	if rep.surrogateKey != nil {
		h["Surrogate-Key"] = rep.surrogateKey
		h["Cache-Tag"] = rep.cacheTag
	}
	h["Etag"] = enc.etag
	if rep.lastModified != nil {
		h["Last-Modified"] = rep.lastModified
	}
	if rep.status == http.StatusOK && notModified(r, rep.etag, rep.modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = rep.contentType
	if enc.encoding != nil {
		h["Content-Encoding"] = enc.encoding
	}
	h["Content-Length"] = enc.length
	w.WriteHeader(rep.status)
	switch {
	case r.Method == http.MethodHead:
	case enc == &rep.plain && rep.inflate:
		inflate(w, rep.gzip.data)
	default:
		w.Write(enc.data)
	}
}

// inflate writes the plain body of a gzip one, for the rare client that
// takes neither gzip nor brotli from a server that keeps no plain bodies.
func inflate(w io.Writer, gz []byte) {
	zr := inflaters.Get().(*gzip.Reader)
	defer inflaters.Put(zr)
	if err := zr.Reset(bytes.NewReader(gz)); err == nil {
		io.Copy(w, zr)
	}
}

var inflaters = sync.Pool{New: func() any { return new(gzip.Reader) }}

// memo keeps a value derived from an object for as long as the object
// lives: an ISR page replaced by a newer one takes its representation with
// it when it is collected.
type memo[K, V any] struct {
	m sync.Map // weak.Pointer[K] → *V
}

func (c *memo[K, V]) get(k *K, build func(*K) *V) *V {
	key := weak.Make(k)
	if v, ok := c.m.Load(key); ok {
		return v.(*V)
	}
	v, loaded := c.m.LoadOrStore(key, build(k))
	if !loaded {
		runtime.AddCleanup(k, func(key weak.Pointer[K]) { c.m.Delete(key) }, key)
	}
	return v.(*V)
}

// notModified evaluates If-None-Match, or If-Modified-Since when there is no
// If-None-Match (RFC 9110 §13.2.2). etag is unquoted.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for inm != "" {
			var t string
			t, inm, _ = strings.Cut(inm, ",")
			t = strings.Trim(strings.TrimPrefix(strings.TrimSpace(t), "W/"), `"`)
			if t == "*" || t == etag || (len(t) == len(etag)+3 && strings.HasPrefix(t, etag) && (strings.HasSuffix(t, "-br") || strings.HasSuffix(t, "-gz"))) {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

// acceptsEncoding reports whether Accept-Encoding allows coding with a
// non-zero quality, explicitly or through "*".
func acceptsEncoding(r *http.Request, coding string) bool {
	star := false
	for _, v := range r.Header["Accept-Encoding"] {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(part, ";")
			q := 1.0
			if p := strings.TrimSpace(params); strings.HasPrefix(p, "q=") {
				if f, err := strconv.ParseFloat(p[2:], 64); err == nil {
					q = f
				}
			}
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, coding):
				return q > 0
			case name == "*":
				star = q > 0
			}
		}
	}
	return star
}
