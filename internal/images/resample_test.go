package images

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// TestResampleMatchesXImageCatmullRom holds the streaming resampler to the
// reference: x/image/draw's Catmull-Rom scaler, on every image type the
// decoders return and on awkward sizes.
func TestResampleMatchesXImageCatmullRom(t *testing.T) {
	t.Parallel()
	// JPEG sources are smooth: at a sharp colour edge, filtering the
	// subsampled chroma plane (here) and repeating each chroma sample
	// (x/image/draw) rightly differ, and so do filtering before and after
	// clamping colours that lie outside RGB.
	jpeg420 := decodeJPEG(t, smooth(301, 203), 90)
	gray := image.NewGray(image.Rect(0, 0, 150, 100))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7)
	}
	paletted := image.NewPaletted(image.Rect(0, 0, 120, 90), color.Palette{
		color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 0, 0}, color.RGBA{0, 60, 0, 128},
	})
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i / 7 % 3)
	}
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 90, 60))
	draw.Draw(rgba64, rgba64.Rect, withAlpha(90, 60), image.Point{}, draw.Src)
	offset := photo(200, 150).SubImage(image.Rect(20, 10, 180, 140))

	for _, tc := range []struct {
		name string
		src  image.Image
		w, h int
		tol  int // largest difference allowed in one channel; 1 if 0
	}{
		// Chroma planes are interpolated here and repeated by x/image/draw.
		{"jpeg 4:2:0 to a quarter", jpeg420, 75, 51, 3},
		{"jpeg 4:2:0 to 3/4", jpeg420, 226, 152, 3},
		{"jpeg 4:2:0 to its own size", jpeg420, 301, 203, 3},
		{"jpeg 4:4:4", decodeJPEG(t, smooth(160, 120), 100), 50, 37, 0},
		{"rgba to a third", photo(300, 200), 100, 67, 0},
		{"rgba to its own size", photo(64, 48), 64, 48, 0},
		{"nrgba with alpha", withAlpha(240, 160), 80, 53, 0},
		{"gray", gray, 61, 41, 0},
		{"paletted with transparency", paletted, 40, 30, 0},
		{"rgba64 through At", rgba64, 30, 20, 0},
		{"sub-image with an offset", offset, 53, 43, 0},
		{"one pixel", photo(1, 1), 1, 1, 0},
		{"one column", photo(1, 50), 1, 7, 0},
		{"one row to one pixel", photo(50, 1), 1, 1, 0},
		{"huge ratio", photo(1000, 20), 3, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := resample(tc.src, tc.w, tc.h)
			want := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
			xdraw.CatmullRom.Scale(want, want.Rect, tc.src, tc.src.Bounds(), xdraw.Src, nil)
			if got.Rect != want.Rect {
				t.Fatalf("got %v, want %v", got.Rect, want.Rect)
			}
			tol := max(tc.tol, 1)
			if d, at := maxDiff(got, want); d > tol {
				t.Errorf("%v to %dx%d: got a channel %d off x/image/draw at pixel %v, want at most %d", tc.src.Bounds(), tc.w, tc.h, d, at, tol)
			}
		})
	}
}

func TestResampleToTheSameSizeIsExact(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA(image.Rect(0, 0, 33, 17))
	draw.Draw(src, src.Rect, withAlpha(33, 17), image.Point{}, draw.Src)
	if d, at := maxDiff(resample(src, 33, 17), src); d != 0 {
		t.Errorf("got a channel %d off at %v, want the source unchanged", d, at)
	}
}

// smooth returns an opaque image of gentle gradients, well inside the RGB
// gamut.
func smooth(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			m.SetRGBA(x, y, color.RGBA{
				uint8(60 + 120*fx), uint8(60 + 100*fy), uint8(80 + 60*math.Sin(6*fx+3*fy)), 255,
			})
		}
	}
	return m
}

func decodeJPEG(t *testing.T, m image.Image, quality int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.(*image.YCbCr); !ok {
		t.Fatalf("got %T from image/jpeg, want *image.YCbCr", out)
	}
	return out
}

// maxDiff returns the largest difference of one channel between two images
// of the same bounds, and where it is.
func maxDiff(a, b *image.RGBA) (int, image.Point) {
	d, at := 0, image.Point{}
	for i := range a.Pix {
		v := int(a.Pix[i]) - int(b.Pix[i])
		if v < 0 {
			v = -v
		}
		if v > d {
			d, at = v, image.Pt(i%a.Stride/4, i/a.Stride)
		}
	}
	return d, at
}

func TestOrientTurnsLikeEXIFSays(t *testing.T) {
	t.Parallel()
	// Reference turns, built by composing three simple ones.
	rot90 := func(m *image.RGBA) *image.RGBA { // clockwise
		w, h := m.Rect.Dx(), m.Rect.Dy()
		d := image.NewRGBA(image.Rect(0, 0, h, w))
		for y := range h {
			for x := range w {
				d.Set(h-1-y, x, m.At(x, y))
			}
		}
		return d
	}
	flipH := func(m *image.RGBA) *image.RGBA {
		w, h := m.Rect.Dx(), m.Rect.Dy()
		d := image.NewRGBA(m.Rect)
		for y := range h {
			for x := range w {
				d.Set(w-1-x, y, m.At(x, y))
			}
		}
		return d
	}
	flipV := func(m *image.RGBA) *image.RGBA { return rot90(rot90(flipH(m))) }
	want := map[int]func(*image.RGBA) *image.RGBA{
		1: func(m *image.RGBA) *image.RGBA { return m },
		2: flipH,
		3: func(m *image.RGBA) *image.RGBA { return rot90(rot90(m)) },
		4: flipV,
		5: func(m *image.RGBA) *image.RGBA { return flipH(rot90(m)) },
		6: rot90,
		7: func(m *image.RGBA) *image.RGBA { return flipV(rot90(m)) },
		8: func(m *image.RGBA) *image.RGBA { return rot90(rot90(rot90(m))) },
	}
	src := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	for o := 1; o <= 8; o++ {
		got, w := orient(src, o), want[o](src)
		if got.Rect != w.Rect || !bytes.Equal(got.Pix, w.Pix) {
			t.Errorf("orientation %d: got %v %v, want %v %v", o, got.Rect, got.Pix[:8], w.Rect, w.Pix[:8])
		}
	}
}

func TestJPEGOrientation(t *testing.T) {
	t.Parallel()
	plain := encodeJPEG(t, photo(8, 8))
	soi := plain[:2]
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	jfif := []byte{0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	wrongType := exifSegment("MM", 6)
	wrongType[2+2+6+8+2+2+1] = 4 // LONG instead of SHORT
	tests := []struct {
		name string
		b    []byte
		want int
	}{
		{"no exif", plain, 1},
		{"big-endian 6", withOrientation(plain, 6), 6},
		{"little-endian 8", cat(soi, exifSegment("II", 8), plain[2:]), 8},
		{"after a JFIF segment and fill bytes", cat(soi, jfif, []byte{0xff}, exifSegment("MM", 3), plain[2:]), 3},
		{"every value", withOrientation(plain, 5), 5},
		{"value out of range", withOrientation(plain, 9), 1},
		{"value 0", withOrientation(plain, 0), 1},
		{"wrong type", cat(soi, wrongType, plain[2:]), 1},
		{"truncated segment", withOrientation(plain, 6)[:20], 1},
		{"not a jpeg", []byte("GIF89a"), 1},
		{"empty", nil, 1},
		{"exif after the scan is ignored", cat(plain[:len(plain)-2], exifSegment("MM", 6)), 1},
	}
	for _, tc := range tests {
		if got := jpegOrientation(tc.b); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestResizeTurnsJPEGsUpright(t *testing.T) {
	t.Parallel()
	// A stored 800×400 image, red on its left half and blue on its right.
	stored := image.NewRGBA(image.Rect(0, 0, 800, 400))
	draw.Draw(stored, image.Rect(0, 0, 400, 400), image.NewUniform(color.RGBA{255, 0, 0, 255}), image.Point{}, draw.Src)
	draw.Draw(stored, image.Rect(400, 0, 800, 400), image.NewUniform(color.RGBA{0, 0, 255, 255}), image.Point{}, draw.Src)
	plain := encodeJPEG(t, stored)
	r := NewResizer(Config{})
	for _, tc := range []struct {
		orientation   uint16
		wantW, wantH  int
		top, bottom   string // colour of the top-left and bottom-right corners
		inspectW, inH int
	}{
		{1, 320, 160, "red", "blue", 800, 400},
		{3, 320, 160, "blue", "red", 800, 400},
		{6, 320, 640, "red", "blue", 400, 800}, // turned clockwise: left half goes on top
		{8, 320, 640, "blue", "red", 400, 800}, // anticlockwise: right half goes on top
		{5, 320, 640, "red", "blue", 400, 800}, // transposed
		{7, 320, 640, "blue", "red", 400, 800}, // transversed
	} {
		t.Run(fmt.Sprint("orientation ", tc.orientation), func(t *testing.T) {
			fsys := mapFS("p.jpg", withOrientation(plain, tc.orientation))
			src, err := Inspect(fsys, "p.jpg")
			if err != nil || src.Width != tc.inspectW || src.Height != tc.inH {
				t.Errorf("Inspect: got %+v, %v, want %dx%d", src, err, tc.inspectW, tc.inH)
			}
			img, err := r.Resize(t.Context(), fsys, "p.jpg", 320, 90, Universal)
			if err != nil {
				t.Fatal(err)
			}
			m := decodeBody(t, img)
			if got := m.Bounds().Size(); got != image.Pt(tc.wantW, tc.wantH) {
				t.Fatalf("got %v, want %dx%d", got, tc.wantW, tc.wantH)
			}
			b := m.Bounds()
			if got := colourName(m.At(b.Min.X+4, b.Min.Y+4)); got != tc.top {
				t.Errorf("top-left corner: got %s, want %s", got, tc.top)
			}
			if got := colourName(m.At(b.Max.X-5, b.Max.Y-5)); got != tc.bottom {
				t.Errorf("bottom-right corner: got %s, want %s", got, tc.bottom)
			}
		})
	}
}

func colourName(c color.Color) string {
	r, _, b, _ := c.RGBA()
	switch {
	case r > 0xc000 && b < 0x4000:
		return "red"
	case b > 0xc000 && r < 0x4000:
		return "blue"
	}
	return fmt.Sprint(c)
}
