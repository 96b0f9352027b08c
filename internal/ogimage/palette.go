package ogimage

import (
	"image/color"
)

// The image is drawn straight onto a palette and written as a paletted PNG.
// Every pixel is either the background, a colour of the accent stripe, or an
// ink blended over the background by a glyph's coverage, so 256 colours hold
// it with no visible loss. A paletted PNG skips the per-row filter search that
// dominates encoding a truecolour one, comes out a third of the size, and
// drawing one byte per pixel is four times less memory to touch.

// inkLevels is how many coverage levels each ink keeps, from the faintest to
// fully opaque; the background stands for zero coverage.
const inkLevels = 40

// An ink is a colour text and marks are drawn in; its value is its place in
// inks and so in the palette.
type ink int

const (
	titleInk ink = iota
	siteInk
	kickerInk
	accentInk
)

// inks are the colours of the inks, in palette order.
var inks = [...]color.RGBA{titleInk: titleColor, siteInk: siteColor, kickerInk: kickerColor, accentInk: accent}

// palette is the background, then inkLevels shades of each ink, then the
// distinct colours of the stripe from left to right.
var palette, stripeIndex = buildPalette()

// coverageLevel maps a glyph mask's coverage (0–255) to the nearest of the
// inkLevels levels; level 0 is no ink at all.
var coverageLevel = buildCoverageLevels()

func buildPalette() (color.Palette, [Width]uint8) {
	p := color.Palette{background}
	for _, c := range inks {
		for l := 1; l <= inkLevels; l++ {
			p = append(p, blend(c, levelCoverage(l)))
		}
	}
	var idx [Width]uint8
	for x := range Width {
		c := stripeColor(x)
		if last := p[len(p)-1]; last != c {
			p = append(p, c)
		}
		idx[x] = uint8(len(p) - 1)
	}
	if len(p) > 256 {
		panic("ogimage: palette has more than 256 colours")
	}
	return p, idx
}

func buildCoverageLevels() [256]uint8 {
	var t [256]uint8
	for a := range t {
		t[a] = uint8((a*inkLevels + 127) / 255)
	}
	return t
}

// levelCoverage is the coverage (0–255) a level stands for.
func levelCoverage(level int) int { return level * 255 / inkLevels }

// shade returns the palette index of ink i at level (1 to inkLevels).
func shade(i ink, level int) uint8 { return uint8(1 + int(i)*inkLevels + level - 1) }

// inkOf returns the ink and level a palette index stands for; ok is false
// for the background and the stripe.
func inkOf(idx uint8) (i ink, level int, ok bool) {
	if idx == 0 || int(idx) > len(inks)*inkLevels {
		return 0, 0, false
	}
	return ink((int(idx) - 1) / inkLevels), (int(idx)-1)%inkLevels + 1, true
}

// blend returns c drawn over the background at coverage a (0–255), the way
// image/draw composites an opaque colour through a glyph mask.
func blend(c color.RGBA, a int) color.RGBA {
	mix := func(bg, fg uint8) uint8 { return uint8((int(fg)*a + int(bg)*(255-a) + 127) / 255) }
	return color.RGBA{mix(background.R, c.R), mix(background.G, c.G), mix(background.B, c.B), 0xff}
}

// stripeColor is the stripe's colour in column x: a left-to-right blend from
// accent to accentEnd, in integers so every platform gets the same bytes.
func stripeColor(x int) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8((int(a)*(Width-1-x) + int(b)*x) / (Width - 1)) }
	return color.RGBA{mix(accent.R, accentEnd.R), mix(accent.G, accentEnd.G), mix(accent.B, accentEnd.B), 0xff}
}
