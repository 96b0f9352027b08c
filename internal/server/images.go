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
	img, err := s.images.Resize(r.Context(), s.content.FS(), name, width, quality, images.Universal)
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
	rep.write(w, r)
	return nil
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
