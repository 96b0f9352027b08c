package images

import (
	"bytes"
	"errors"
	"image"
	"testing"
	"testing/fstest"
)

// FuzzInspect feeds arbitrary bytes to the header parsers (PNG, JPEG, GIF,
// EXIF, SVG): they must never panic, fail only with ErrUnsupported, and
// report a sane, repeatable result. Seeds are in testdata/fuzz/FuzzInspect.
func FuzzInspect(f *testing.F) {
	f.Add([]byte(`<svg viewBox="0 0 3 2"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"f": {Data: data}}
		src, err := Inspect(fsys, "f")
		if err != nil {
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("got %v, want nil or ErrUnsupported", err)
			}
			return
		}
		switch src.Format {
		case "png", "jpeg", "gif":
			if src.Width <= 0 || src.Height <= 0 {
				t.Errorf("got a %s of %dx%d, want a positive size", src.Format, src.Width, src.Height)
			}
		case "svg":
			if src.Width < 0 || src.Height < 0 || src.Width > maxSVGSide || src.Height > maxSVGSide {
				t.Errorf("got an svg of %dx%d, want within [0, %d]", src.Width, src.Height, maxSVGSide)
			}
		default:
			t.Errorf("got format %q", src.Format)
		}
		if want := hashBytes(data); src.Hash != want {
			t.Errorf("got hash %s, want %s", src.Hash, want)
		}
		if again, err := Inspect(fsys, "f"); err != nil || again != src {
			t.Errorf("second Inspect: got %+v, %v, want %+v", again, err, src)
		}
	})
}

// FuzzResize feeds arbitrary bytes through decoding, resampling and
// encoding, with a small pixel limit: no panic, only the package's errors,
// and output that decodes to the size it claims. Seeds are in
// testdata/fuzz/FuzzResize.
func FuzzResize(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := transform("f", data, 1<<16, 320, DefaultQuality, Universal)
		if err != nil {
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrNotRaster) {
				t.Fatalf("got %v, want ErrUnsupported, ErrTooLarge or ErrNotRaster", err)
			}
			return
		}
		m, _, err := image.Decode(bytes.NewReader(img.Body))
		if err != nil {
			t.Fatalf("output does not decode: %v", err)
		}
		if got := m.Bounds().Size(); got != image.Pt(img.Width, img.Height) || img.Width > 320 || img.Width < 1 || img.Height < 1 {
			t.Errorf("got %v of claimed %dx%d, want 1 to 320 wide and as claimed", got, img.Width, img.Height)
		}
	})
}
