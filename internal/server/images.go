package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/images"
)

// image serves /_img/articles/{path}?w=&q=&v=: an image beside the articles,
// resized to an allowed width. The server checks the query and passes plain
// numbers; the images package owns every other rule (allowed widths, the
// quality range, paths inside the content folder only, pixel limits, never
// rasterizing SVG). A URL carrying the source's content hash (v) names
// bytes that never change, so it may be cached for ever.
//
// The format follows the request's Accept header (imageFormat): WebP for a
// client that names image/webp, JPEG or PNG for any other. Every image
// answer, 304 included, says Vary: Accept, so that a cache in front keeps
// one copy per format; each format has its own bytes and so its own ETag.
func (s *Server) image(w http.ResponseWriter, r *http.Request) error {
	name, ok := strings.CutPrefix(r.URL.Path, "/_img/articles/")
	if !ok || !s.content.Site().File(name) {
		return errNotFound
	}
	q := r.URL.Query()
	width, err := strconv.Atoi(q.Get("w"))
	if err != nil {
		return &StatusError{Status: http.StatusBadRequest, Msg: "w must be one of the allowed widths " + widthList()}
	}
	quality := images.DefaultQuality
	if v := q.Get("q"); v != "" {
		if quality, err = strconv.Atoi(v); err != nil {
			return &StatusError{Status: http.StatusBadRequest, Msg: "q must be a whole number"}
		}
	}
	img, err := s.images.Resize(r.Context(), s.content.FS(), name, width, quality, imageFormat(r))
	switch {
	case errors.Is(err, images.ErrNotFound):
		return errNotFound
	case errors.Is(err, images.ErrBadRequest):
		return &StatusError{Status: http.StatusBadRequest, Msg: err.Error()}
	case errors.Is(err, images.ErrNotRaster):
		return &StatusError{Status: http.StatusBadRequest, Msg: "vector images are served as they are, at their own URL"}
	case errors.Is(err, images.ErrBusy):
		s.metrics.Refusals.WithLabelValues("image_memory").Inc()
		return &StatusError{Status: http.StatusServiceUnavailable, Msg: "Images are being resized for other readers; try again in a moment.", RetryAfter: time.Second}
	case errors.Is(err, images.ErrTooLarge), errors.Is(err, images.ErrUnsupported):
		return &StatusError{Status: http.StatusUnprocessableEntity, Msg: err.Error()}
	case err != nil:
		return err
	}
	rep := newRepresentation(http.StatusOK, img.ContentType, img.ETag, time.Time{}, img.Body, nil, nil)
	rep.cacheControl = headerImageShort
	if q.Get("v") == img.SourceHash {
		rep.cacheControl = headerImmutable
	}
	w.Header()["Vary"] = headerVaryAccept // rep has no other encodings, so write keeps it
	rep.write(w, r)
	return nil
}

// headerVaryAccept is the Vary of every resized image.
var headerVaryAccept = []string{"Accept"}

// imageFormats are the formats /_img offers beyond JPEG and PNG, best
// first, by the media type a client must name in Accept. AVIF is not among
// them: its encoder took 2–8 times as long as WebP's and, from 1280
// pixels, more memory than one resize may use (docs/performance.md, "Image
// formats").
var imageFormats = []struct {
	mediaType string
	format    images.Format
}{
	{"image/webp", images.WebP},
}

// imageFormat returns the best of imageFormats that r's Accept names with a
// quality above zero, or images.Universal. Only a type named exactly
// counts: image/* and */* are sent by clients that read no WebP too.
func imageFormat(r *http.Request) images.Format {
	for _, f := range imageFormats {
		if acceptsMediaType(r, f.mediaType) {
			return f.format
		}
	}
	return images.Universal
}

// acceptsMediaType reports whether r's Accept header lists mediaType
// (case-insensitive) with a quality above zero (RFC 9110 §12.5.1).
func acceptsMediaType(r *http.Request, mediaType string) bool {
	for _, v := range r.Header.Values("Accept") {
		for v != "" {
			var part string
			part, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(name), mediaType) {
				continue
			}
			return acceptQuality(params) > 0
		}
	}
	return false
}

// acceptQuality returns the q parameter among an Accept element's parameters
// ("q=0.8; level=1"), 1 when there is none and 0 when it is malformed.
func acceptQuality(params string) float64 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || q < 0 || q > 1 {
				return 0
			}
			return q
		}
	}
	return 1
}

// headerImageShort is the caching of a resized image whose URL does not
// name its source's version: it may change when the file does.
var headerImageShort = []string{"public, max-age=3600"}

func widthList() string {
	parts := make([]string, len(images.Widths))
	for i, w := range images.Widths {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, ", ")
}
