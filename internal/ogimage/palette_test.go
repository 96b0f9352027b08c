package ogimage

import (
	"image/color"
	"testing"
)

func TestPaletteFitsInABytePerPixel(t *testing.T) {
	t.Parallel()
	if got := len(palette); got > 256 {
		t.Errorf("palette has %d colours, want at most 256", got)
	}
}

func TestToPalettedKeepsEveryPixelClose(t *testing.T) {
	t.Parallel()
	// 255 / inkLevels / 2 is the largest step the rounding can make on the
	// ink with the widest range; allow one more for integer rounding.
	const tolerance = 255/inkLevels/2 + 1
	for _, c := range []Card{sample, {Site: "Renderwise", Title: longTitle, Tags: []string{"a", "b"}}} {
		img, err := paint(c)
		if err != nil {
			t.Fatalf("paint(%q): %v", c.Title, err)
		}
		p := toPaletted(img)
		worst := 0
		for y := range Height {
			for x := range Width {
				want := img.RGBAAt(x, y)
				got := p.At(x, y).(color.RGBA)
				for _, d := range []int{
					int(got.R) - int(want.R), int(got.G) - int(want.G), int(got.B) - int(want.B),
				} {
					worst = max(worst, d, -d)
				}
			}
		}
		if worst > tolerance {
			t.Errorf("title %q: paletted pixels differ by up to %d per channel, want at most %d", c.Title, worst, tolerance)
		}
	}
}
