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

func TestShadesStayCloseToTheBlendedColour(t *testing.T) {
	t.Parallel()
	// 255 / inkLevels / 2 is the largest step the rounding can make on the
	// ink with the widest range; allow one more for integer rounding.
	const tolerance = 255/inkLevels/2 + 1
	for i, c := range inks {
		for a := range 256 {
			want := blend(c, a)
			got := background
			if l := int(coverageLevel[a]); l > 0 {
				got = palette[shade(ink(i), l)].(color.RGBA)
			}
			worst := 0
			for _, d := range []int{
				int(got.R) - int(want.R), int(got.G) - int(want.G), int(got.B) - int(want.B),
			} {
				worst = max(worst, d, -d)
			}
			if worst > tolerance {
				t.Errorf("ink %d at coverage %d: shade %v differs from %v by %d per channel, want at most %d", i, a, got, want, worst, tolerance)
			}
		}
	}
}

func TestOverAddsCoverageOfOneInk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		dst       uint8
		level     int
		wantInk   ink
		wantLevel int
	}{
		{"ink over the background is the ink", 0, 10, titleInk, 10},
		{"two half coverages make three quarters", shade(titleInk, inkLevels/2), inkLevels / 2, titleInk, 3 * inkLevels / 4},
		{"anything over full coverage stays full", shade(titleInk, inkLevels), 1, titleInk, inkLevels},
		{"ink over another ink replaces it", shade(accentInk, 30), 5, titleInk, 5},
		{"ink over the stripe replaces it", stripeIndex[0], 7, titleInk, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := over(tt.dst, titleInk, tt.level)
			if want := shade(tt.wantInk, tt.wantLevel); got != want {
				gi, gl, _ := inkOf(got)
				t.Errorf("over(%d, titleInk, %d) = ink %d level %d, want ink %d level %d", tt.dst, tt.level, gi, gl, tt.wantInk, tt.wantLevel)
			}
		})
	}
}
