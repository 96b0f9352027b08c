package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// body is a response whose encodings were prepared ahead of time.
type body struct {
	contentType string
	etag        string // strong, quoted, for the plain body
	modified    time.Time
	status      int
	plain       []byte
	gzip        []byte // nil if not compressed
	brotli      []byte
}

// writeEncoded answers conditional requests with 304 and otherwise writes
// the smallest body the client accepts. Each encoding has its own ETag
// (RFC 9110 §8.8.3: a strong validator names one representation); a
// request matching any of them is not modified, as they share one source.
func writeEncoded(w http.ResponseWriter, r *http.Request, b body) {
	h := w.Header()
	data, enc, tag := b.plain, "", b.etag
	switch {
	case b.brotli != nil && acceptsEncoding(r, "br"):
		data, enc, tag = b.brotli, "br", variant(b.etag, "br")
	case b.gzip != nil && acceptsEncoding(r, "gzip"):
		data, enc, tag = b.gzip, "gzip", variant(b.etag, "gz")
	}
	if b.gzip != nil {
		h.Set("Vary", "Accept-Encoding")
	}
	h.Set("Content-Type", b.contentType)
	h.Set("ETag", tag)
	if !b.modified.IsZero() {
		h.Set("Last-Modified", b.modified.UTC().Format(http.TimeFormat))
	}
	if b.status == http.StatusOK && notModified(r, b.etag, b.modified) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(b.status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// variant is the ETag of an encoded form: "abc" → "abc-br".
func variant(etag, suffix string) string {
	return etag[:len(etag)-1] + "-" + suffix + `"`
}

// notModified evaluates If-None-Match, or If-Modified-Since when there is no
// If-None-Match (RFC 9110 §13.2.2).
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		base := strings.Trim(etag, `"`)
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" {
				return true
			}
			t = strings.Trim(t, `"`)
			if t == base || t == base+"-br" || t == base+"-gz" {
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
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			q := 1.0
			if p := strings.TrimSpace(params); strings.HasPrefix(p, "q=") {
				if f, err := strconv.ParseFloat(p[2:], 64); err == nil {
					q = f
				}
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case coding:
				return q > 0
			case "*":
				star = q > 0
			}
		}
	}
	return star
}
