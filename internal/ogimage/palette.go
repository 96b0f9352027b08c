package ogimage

import (
	"image"
	"image/color"
)

// The image is drawn in full colour and then written as a paletted PNG. Every
// pixel is either the background, a colour of the accent stripe, or an ink
// blended over the background by a glyph's coverage, so 256 colours hold it
// with no visible loss. A paletted PNG skips the per-row filter search that
// dominates encoding a truecolour one, and comes out a third of the size.

// inkLevels is how many coverage levels each ink keeps, from the faintest to
// fully opaque; the background stands for zero coverage.
const inkLevels = 40

// inks are the colours text and marks are drawn in, in palette order.
var inks = []color.RGBA{titleInk, siteInk, kickerInk, accent}

// palette is the background, then inkLevels shades of each ink, then the
// distinct colours of the stripe from left to right.
var palette, stripeIndex = buildPalette()

func buildPalette() (color.Palette, [Width]uint8) {
	p := color.Palette{background}
	for _, ink := range inks {
		for l := 1; l <= inkLevels; l++ {
			p = append(p, blend(ink, l*255/inkLevels))
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

// blend returns ink drawn over the background at coverage a (0–255), the way
// image/draw composites an opaque colour through a glyph mask.
func blend(ink color.RGBA, a int) color.RGBA {
	mix := func(bg, fg uint8) uint8 { return uint8((int(fg)*a + int(bg)*(255-a) + 127) / 255) }
	return color.RGBA{mix(background.R, ink.R), mix(background.G, ink.G), mix(background.B, ink.B), 0xff}
}

// stripeColor is the stripe's colour in column x: a left-to-right blend from
// accent to accentEnd, in integers so every platform gets the same bytes.
func stripeColor(x int) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8((int(a)*(Width-1-x) + int(b)*x) / (Width - 1)) }
	return color.RGBA{mix(accent.R, accentEnd.R), mix(accent.G, accentEnd.G), mix(accent.B, accentEnd.B), 0xff}
}

// toPaletted maps src, drawn by Render, onto palette. Stripe pixels map by
// column; any other pixel maps to the nearest shade of the ink whose blend
// line from the background passes closest to it.
func toPaletted(src *image.RGBA) *image.Paletted {
	dst := image.NewPaletted(src.Bounds(), palette)
	bg := [3]int{int(background.R), int(background.G), int(background.B)}
	for y := range Height {
		row := src.Pix[y*src.Stride : y*src.Stride+Width*4]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+Width]
		if y >= Height-stripeHeight {
			copy(out, stripeIndex[:])
			continue
		}
		for x := range Width {
			r, g, b := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
			if r == bg[0] && g == bg[1] && b == bg[2] {
				continue // index 0, the background
			}
			out[x] = nearestShade(r-bg[0], g-bg[1], b-bg[2])
		}
	}
	return dst
}

// nearestShade returns the palette index of the ink shade closest to the
// colour that differs from the background by (dr, dg, db).
func nearestShade(dr, dg, db int) uint8 {
	best, bestErr := uint8(0), -1
	for i, ink := range inks {
		ir, ig, ib := int(ink.R)-int(background.R), int(ink.G)-int(background.G), int(ink.B)-int(background.B)
		// Coverage t along the line from the background to the ink, as a
		// level from 0 to inkLevels, rounded to nearest.
		num, den := dr*ir+dg*ig+db*ib, ir*ir+ig*ig+ib*ib
		level := (2*num*inkLevels + den) / (2 * den)
		level = min(max(level, 1), inkLevels)
		c := palette[1+i*inkLevels+level-1].(color.RGBA)
		er := dr - (int(c.R) - int(background.R))
		eg := dg - (int(c.G) - int(background.G))
		eb := db - (int(c.B) - int(background.B))
		if err := er*er + eg*eg + eb*eb; bestErr < 0 || err < bestErr {
			best, bestErr = uint8(1+i*inkLevels+level-1), err
		}
	}
	return best
}
