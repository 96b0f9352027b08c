package images

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestInspectRasterImages(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"a.png": encodePNG(t, withAlpha(300, 120)),
		"b.jpg": encodeJPEG(t, photo(200, 150)),
		"c.gif": encodeGIF(t, 64, 48, true),
		// A header at the start of a file far larger than what Inspect
		// keeps in memory, so that hashing has to stream the rest.
		"big.jpg": encodeJPEG(t, photo(600, 400)),
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	if n := len(files["big.jpg"]); n <= headLen {
		t.Fatalf("big.jpg has %d bytes, want more than the %d read at once", n, headLen)
	}
	for _, tc := range []struct {
		name, format string
		w, h         int
	}{
		{"a.png", "png", 300, 120},
		{"b.jpg", "jpeg", 200, 150},
		{"c.gif", "gif", 64, 48},
		{"big.jpg", "jpeg", 600, 400},
	} {
		got, err := Inspect(fsys, tc.name)
		if err != nil {
			t.Errorf("Inspect(%s): %v", tc.name, err)
			continue
		}
		sum := sha256.Sum256(files[tc.name])
		want := Source{Width: tc.w, Height: tc.h, Format: tc.format, Hash: hex.EncodeToString(sum[:8])}
		if got != want {
			t.Errorf("Inspect(%s): got %+v, want %+v", tc.name, got, want)
		}
	}
}

func TestInspectSVG(t *testing.T) {
	t.Parallel()
	const ns = `xmlns="http://www.w3.org/2000/svg"`
	for _, tc := range []struct {
		name, svg string
		w, h      int
	}{
		{"viewBox only", `<svg ` + ns + ` viewBox="0 0 120 60"></svg>`, 120, 60},
		{"viewBox with commas and decimals", `<svg viewBox="-5,-5, 100.4,50.6"/>`, 100, 51},
		{"width and height", `<svg width="300" height="150" viewBox="0 0 10 10"/>`, 300, 150},
		{"width and height in px", `<svg width="300px" height="150px"/>`, 300, 150},
		{"width in inches", `<svg width="2in" height="1in"/>`, 192, 96},
		{"width in millimetres", `<svg width="25.4mm" height="12.7mm"/>`, 96, 48},
		{"width and the viewBox's ratio", `<svg width="200" viewBox="0 0 100 50"/>`, 200, 100},
		{"height and the viewBox's ratio", `<svg height="200" viewBox="0 0 100 50"/>`, 400, 200},
		{"percentages fall back to the viewBox", `<svg width="100%" height="100%" viewBox="0 0 640 480"/>`, 640, 480},
		{"ems fall back to the viewBox", `<svg width="10em" height="5em" viewBox="0 0 64 32"/>`, 64, 32},
		{"no size at all", `<svg ` + ns + `><circle r="4"/></svg>`, 0, 0},
		{"negative viewBox", `<svg viewBox="0 0 -10 10"/>`, 0, 0},
		{"absurd width", `<svg width="1e300" height="10"/>`, 0, 10},
		{"not a number", `<svg width="NaN" height="Infinity" viewBox="0 0 1 1"/>`, 1, 1},
		{"xml declaration, comment and doctype", `<?xml version="1.0" encoding="UTF-8"?>
<!-- drawn by hand -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg ` + ns + ` viewBox="0 0 24 24"/>`, 24, 24},
		{"latin-1 declaration", `<?xml version="1.0" encoding="ISO-8859-1"?><svg width="7" height="8"/>`, 7, 8},
		{"byte order mark and a blank line", "\ufeff\n<svg viewBox='0 0 5 6'/>", 5, 6},
		{"entity from an internal subset", `<!DOCTYPE svg [<!ENTITY ns "http://www.w3.org/2000/svg">]><svg xmlns="&ns;" viewBox="0 0 9 3"/>`, 9, 3},
		{"prefixed root", `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="4" height="2"/>`, 4, 2},
		{"a namespaced width is not the width", `<svg xmlns:x="urn:x" x:width="999" viewBox="0 0 3 2"/>`, 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Inspect(mapFS("a.svg", []byte(tc.svg)), "a.svg")
			if err != nil {
				t.Fatalf("Inspect(%q): %v", tc.svg, err)
			}
			if got.Format != "svg" || got.Width != tc.w || got.Height != tc.h {
				t.Errorf("Inspect(%q): got %s %dx%d, want svg %dx%d", tc.svg, got.Format, got.Width, got.Height, tc.w, tc.h)
			}
		})
	}
}

func TestInspectRefusesWhatIsNotAnImage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, data string }{
		{"html", `<!doctype html><html><body>hi</body></html>`},
		{"text before the root", `hello <svg/>`},
		{"xml that is not svg", `<?xml version="1.0"?><feed/>`},
		{"broken xml", `<svg width="3`},
		{"root past 64 KiB", "<!--" + strings.Repeat("x", svgHeadLimit) + "--><svg/>"},
		{"plain text", "just words"},
		{"empty", ""},
		{"png signature only", "\x89PNG\r\n\x1a\n"},
		{"gif with no screen", "GIF89a\x00\x00\x00\x00\x00\x00\x00;"},
		{"webp", "RIFF\x24\x00\x00\x00WEBPVP8 "},
	} {
		if _, err := Inspect(mapFS("f", []byte(tc.data)), "f"); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", tc.name, err)
		}
	}
}
