package images

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/webp"
)

func TestResizeToWebP(t *testing.T) {
	t.Parallel()
	fsys := mapFS(
		"photo.jpg", encodeJPEG(t, photo(1200, 800)),
		"alpha.png", encodePNG(t, withAlpha(1000, 500)),
		"card.gif", encodeGIF(t, 400, 200, false),
	)
	for _, tc := range []struct {
		name         string
		width        int
		wantW, wantH int
	}{
		{"photo.jpg", 640, 640, 427},
		{"alpha.png", 320, 320, 160},
		{"card.gif", 960, 400, 200}, // never enlarged
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := NewResizer(Config{})
			img, err := r.Resize(context.Background(), fsys, tc.name, tc.width, DefaultQuality, WebP)
			if err != nil {
				t.Fatal(err)
			}
			if img.ContentType != "image/webp" || img.Width != tc.wantW || img.Height != tc.wantH {
				t.Fatalf("got %s %dx%d, want image/webp %dx%d", img.ContentType, img.Width, img.Height, tc.wantW, tc.wantH)
			}
			m, err := webp.Decode(bytes.NewReader(img.Body))
			if err != nil {
				t.Fatalf("x/image/webp cannot decode the output: %v", err)
			}
			if b := m.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
				t.Errorf("decoded %dx%d, want %dx%d", b.Dx(), b.Dy(), tc.wantW, tc.wantH)
			}
			universal, err := r.Resize(context.Background(), fsys, tc.name, tc.width, DefaultQuality, Universal)
			if err != nil {
				t.Fatal(err)
			}
			// libwebp keeps alpha losslessly: the same as in the PNG.
			if u := decodeBody(t, universal); !isOpaque(u) {
				if x, y, ok := sameAlpha(u, m); !ok {
					t.Errorf("alpha at (%d, %d) differs from the PNG's", x, y)
				}
			}
			if universal.ContentType == "image/webp" || universal.ETag == img.ETag {
				t.Errorf("Universal gave %s with ETag %s, WebP %s: want another format and tag", universal.ContentType, universal.ETag, img.ETag)
			}
			again, err := NewResizer(Config{}).Resize(context.Background(), fsys, tc.name, tc.width, DefaultQuality, WebP)
			if err != nil || !bytes.Equal(again.Body, img.Body) {
				t.Errorf("a second resizer gave other bytes (%v): the ETag would not be strong", err)
			}
			if s := r.Stats(); s.CacheEntries != 2 || s.Resizes != 2 {
				t.Errorf("stats %+v, want two entries from two resizes, one per format", s)
			}
		})
	}
}

func TestResizeToWebPFallsBackWhenItsMemoryDoesNotFit(t *testing.T) {
	t.Parallel()
	// At its own 600 pixels, this image with alpha needs about 4 MB as PNG
	// and about 40 MB as WebP; 16 MiB allows only the first.
	fsys := mapFS("alpha.png", encodePNG(t, withAlpha(600, 600)))
	r := NewResizer(Config{MaxDecodeBytes: 16 << 20})
	img, err := r.Resize(context.Background(), fsys, "alpha.png", 640, DefaultQuality, WebP)
	if err != nil {
		t.Fatal(err)
	}
	if img.ContentType != "image/png" {
		t.Errorf("got %s, want image/png", img.ContentType)
	}
	if img, err := r.Resize(context.Background(), fsys, "alpha.png", 320, DefaultQuality, WebP); err != nil || img.ContentType != "image/webp" {
		t.Errorf("at 320 pixels (about 15 MB as WebP): got %v, %v; want image/webp", img, err)
	}
}

func TestMayBeTransparent(t *testing.T) {
	t.Parallel()
	opaque := color.Palette{color.RGBA{1, 2, 3, 255}, color.Black}
	clear := color.Palette{color.RGBA{1, 2, 3, 255}, color.Transparent}
	for _, tc := range []struct {
		name   string
		format string
		model  color.Model
		want   bool
	}{
		{"a JPEG", formatJPEG, color.YCbCrModel, false},
		{"a grey PNG", formatPNG, color.GrayModel, false},
		{"a 16-bit grey PNG", formatPNG, color.Gray16Model, false},
		{"a truecolour PNG", formatPNG, color.RGBAModel, false},
		{"a 16-bit truecolour PNG", formatPNG, color.RGBA64Model, false},
		{"a PNG with alpha", formatPNG, color.NRGBAModel, true},
		{"a 16-bit PNG with alpha", formatPNG, color.NRGBA64Model, true},
		{"a paletted PNG without transparent entries", formatPNG, opaque, false},
		{"a paletted PNG with a transparent entry", formatPNG, clear, true},
		{"a GIF, whose transparency is in its frames", formatGIF, opaque, true},
	} {
		if got := mayBeTransparent(tc.format, tc.model); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWebPCostCoversTheEncoder checks webpCost against the heap growth of
// real encodes, opaque and with alpha, at the smallest and a large width.
func TestWebPCostCoversTheEncoder(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes large images")
	}
	for _, tc := range []struct {
		name  string
		m     image.Image
		alpha bool
	}{
		{"opaque", photo(1920, 1280), false},
		{"alpha", withAlpha(1920, 1280), true},
	} {
		for _, w := range []int{320, 1280} {
			h := scaledHeight(1920, 1280, w)
			m := resample(tc.m, w, h)
			encodeWebP(new(bytes.Buffer), m, !tc.alpha, DefaultQuality) // compiles the module once
			peak := peakHeap(func() { encodeWebP(new(bytes.Buffer), m, !tc.alpha, DefaultQuality) })
			if c := webpCost(w, h, tc.alpha); int64(peak) > c {
				t.Errorf("%s at %d: heap grew by %d bytes, webpCost says %d", tc.name, w, peak, c)
			}
		}
	}
}

// sameAlpha reports whether a and b have the same alpha at every pixel, or
// the first pixel where they differ.
func sameAlpha(a, b image.Image) (x, y int, ok bool) {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			_, _, _, aa := a.At(x, y).RGBA()
			_, _, _, ba := b.At(x, y).RGBA()
			if aa>>8 != ba>>8 {
				return x, y, false
			}
		}
	}
	return 0, 0, true
}
