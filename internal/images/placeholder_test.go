package images

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strings"
	"testing"
)

func TestPlaceholderIsATinyPNG(t *testing.T) {
	t.Parallel()
	fsys := mapFS(
		"photo.jpg", encodeJPEG(t, photo(1200, 800)),
		"noise.png", encodePNG(t, photo(640, 480)),
		"alpha.png", encodePNG(t, withAlpha(400, 300)),
		"tall.png", encodePNG(t, photo(90, 600)),
		"tiny.png", encodePNG(t, photo(3, 2)),
		"anim.gif", encodeGIF(t, 64, 64, true),
		"turned.jpg", withOrientation(encodeJPEG(t, photo(320, 160)), 6),
	)
	const prefix = "data:image/png;base64,"
	for _, tc := range []struct {
		name string
		w, h int
	}{
		{"photo.jpg", 16, 11},
		{"noise.png", 16, 12},
		{"alpha.png", 16, 12},
		{"tall.png", 2, 16},
		{"tiny.png", 3, 2},
		{"anim.gif", 16, 16},
		{"turned.jpg", 8, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url, err := Placeholder(fsys, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if len(url) > 600 {
				t.Errorf("got a data URL of %d bytes, want at most 600", len(url))
			}
			data, ok := strings.CutPrefix(url, prefix)
			if !ok {
				t.Fatalf("got %.40q…, want it to start with %q", url, prefix)
			}
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil {
				t.Fatal(err)
			}
			m, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Bounds().Size(); got != image.Pt(tc.w, tc.h) {
				t.Errorf("got %v, want %dx%d", got, tc.w, tc.h)
			}
			again, _ := Placeholder(fsys, tc.name)
			if again != url {
				t.Error("two calls gave different URLs, want the same")
			}
		})
	}
}
