package ogimage

import (
	"fmt"
	"image"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// subpixels is how many horizontal positions inside a pixel each glyph is
// rasterized at. Text is set with fractional advances, so a glyph rarely
// starts on a whole pixel; rounding the pen to the nearest quarter pixel
// (an eighth at most off) keeps the spacing even, where whole pixels would
// not, and four masks per glyph are cheap to keep.
const subpixels = 4

// A face is one of the Go fonts at one size. It rasterizes each glyph once,
// at each subpixel position, and keeps the masks and the advance for every
// later call, so drawing text is copying bytes. It is safe for concurrent
// use: the opentype face, which rasterizes into a buffer of its own, is only
// used under mu.
type face struct {
	// capHeight is the height of a capital letter, in pixels.
	capHeight int
	// descent is how far the lowest glyphs reach below the baseline, in
	// pixels.
	descent int

	// glyphs maps a rune to its *glyph. Entries are written once and then
	// only read, the case sync.Map is built for.
	glyphs sync.Map

	mu sync.Mutex
	ot font.Face
}

// A glyph is what drawing and measuring a rune needs.
type glyph struct {
	advance fixed.Int26_6
	// masks holds the glyph rasterized with the pen i/subpixels of a pixel
	// right of a whole pixel.
	masks [subpixels]mask
}

// A mask is a rasterized glyph as coverage levels (0 to inkLevels, see
// palette.go), placed relative to the whole pixel the pen is in and the
// baseline.
type mask struct {
	rect  image.Rectangle
	level []uint8 // row by row, rect.Dx() per row
}

// fontSet is every face Render uses.
type fontSet struct {
	site   *face
	titles []*face // one per titleSizes entry, in the same order
	kicker *face
	tag    *face
}

// fonts parses the embedded Go fonts and makes the faces once. The faces
// fill their glyph caches as text needs them and keep them for the life of
// the process: a few hundred kilobytes for English titles, and about 23 MB
// at most, were every glyph of both fonts drawn at every size.
var fonts = sync.OnceValues(func() (*fontSet, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Bold: %w", err)
	}
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Regular: %w", err)
	}
	fs := &fontSet{}
	if fs.site, err = newFace(bold, siteSize); err != nil {
		return nil, err
	}
	for _, size := range titleSizes {
		f, err := newFace(bold, size)
		if err != nil {
			return nil, err
		}
		fs.titles = append(fs.titles, f)
	}
	if fs.kicker, err = newFace(regular, kickerSize); err != nil {
		return nil, err
	}
	if fs.tag, err = newFace(bold, tagSize); err != nil {
		return nil, err
	}
	return fs, nil
})

// newFace makes a face for f at size pixels.
func newFace(f *opentype.Font, size float64) (*face, error) {
	ot, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("font face at %gpx: %w", size, err)
	}
	m := ot.Metrics()
	capHeight := m.CapHeight.Ceil()
	if capHeight <= 0 {
		capHeight = m.Ascent.Ceil()
	}
	return &face{capHeight: capHeight, descent: m.Descent.Ceil(), ot: ot}, nil
}

// glyph returns r's glyph, rasterizing it on first use.
func (f *face) glyph(r rune) *glyph {
	if g, ok := f.glyphs.Load(r); ok {
		return g.(*glyph)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.load(r)
}

// missingRune is a rune no font has, which stands for all the runes a font
// lacks.
const missingRune = unicode.MaxRune

// load returns r's glyph, from the cache or rasterized; f.mu is held. A
// rune the font lacks gets the font's missing-glyph box, as font.Drawer
// would draw it, shared with every other such rune: a title in a script
// the Go fonts do not cover costs a map entry per rune, not a box.
func (f *face) load(r rune) *glyph {
	if g, ok := f.glyphs.Load(r); ok {
		return g.(*glyph)
	}
	var g *glyph
	if _, ok := f.ot.GlyphAdvance(r); ok || r == missingRune {
		g = f.rasterize(r)
	} else {
		g = f.load(missingRune)
	}
	f.glyphs.Store(r, g)
	return g
}

// rasterize draws r at each subpixel position; f.mu is held.
func (f *face) rasterize(r rune) *glyph {
	g := &glyph{}
	for i := range g.masks {
		dot := fixed.Point26_6{X: fixed.Int26_6(i * 64 / subpixels)}
		dr, src, sp, advance, _ := f.ot.Glyph(dot, r)
		g.advance = advance
		m := mask{rect: dr, level: make([]uint8, dr.Dx()*dr.Dy())}
		if a, ok := src.(*image.Alpha); ok && !dr.Empty() {
			// src is the face's own buffer, overwritten by the next call.
			for y := range dr.Dy() {
				row := a.Pix[a.PixOffset(sp.X, sp.Y+y):]
				for x := range dr.Dx() {
					m.level[y*dr.Dx()+x] = coverageLevel[row[x]]
				}
			}
		}
		g.masks[i] = m
	}
	return g
}

// advance returns the unrounded advance width of s.
func (f *face) advance(s string) fixed.Int26_6 {
	var w fixed.Int26_6
	for _, r := range s {
		w += f.glyph(r).advance
	}
	return w
}

// measure returns the advance width of s in whole pixels, rounded up, as
// font.MeasureString does. The Go fonts have no kerning pairs, so the width
// of a string is the sum of its glyphs' advances.
func measure(f *face, s string) int {
	return f.advance(s).Ceil()
}
