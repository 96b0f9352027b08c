package ogimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/math/fixed"
)

// The image is the size Open Graph and X (Twitter) large cards expect.
const (
	// Width is the width of every image, in pixels.
	Width = 1200
	// Height is the height of every image, in pixels.
	Height = 630
)

const (
	// margin is the empty border around all text.
	margin = 80
	// stripeHeight is the height of the accent stripe along the bottom
	// edge, the only drawing outside the margins.
	stripeHeight = 12

	// contentWidth is the width text may use.
	contentWidth = Width - 2*margin

	siteSize    = 30 // site name, px
	markSize    = 22 // accent square before the site name, px
	kickerSize  = 30
	tagSize     = 28
	footerGap   = 46   // baseline to baseline between kicker and tags
	titleTop    = 180  // top of the title's first line (cap height), px
	titleBottom = 462  // lowest pixel the title's last line may reach, px
	lineSpacing = 1.16 // title line height as a multiple of the size
)

// titleSizes are the title font sizes tried in order, largest first; the
// first one at which the wrapped title fits between titleTop and titleBottom
// wins. If none does, the smallest is used and the title is cut with an
// ellipsis.
var titleSizes = []float64{76, 68, 60, 52, 44}

// Colours: Tailwind's slate for the background and text, sky and teal for the
// accent. The contrast of title on background is about 17:1.
var (
	background  = color.RGBA{0x0f, 0x17, 0x2a, 0xff} // slate-900
	titleColor  = color.RGBA{0xf8, 0xfa, 0xfc, 0xff} // slate-50
	siteColor   = color.RGBA{0xe2, 0xe8, 0xf0, 0xff} // slate-200
	kickerColor = color.RGBA{0xcb, 0xd5, 0xe1, 0xff} // slate-300
	accent      = color.RGBA{0x38, 0xbd, 0xf8, 0xff} // sky-400
	accentEnd   = color.RGBA{0x2d, 0xd4, 0xbf, 0xff} // teal-400
)

// ellipsis ends text that had to be cut.
const ellipsis = "…"

// Card is what a preview shows.
type Card struct {
	// Site is the site name, drawn small at the top left.
	Site string
	// Title is the page title, drawn large.
	Title string
	// Kicker is a short line above the tags, such as the series and part
	// ("The course · part 3"); empty draws nothing.
	Kicker string
	// Tags are drawn as "#tag" in order, as many as fit on one line.
	Tags []string
}

// Render draws c as a Width×Height PNG. The same Card always gives the same
// bytes. Text is never drawn outside the margins: a title too long for the
// smallest size is cut with an ellipsis, and tags that do not fit are left
// out. It is safe to call from several goroutines at once.
func Render(c Card) ([]byte, error) {
	fs, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("og image: %w", err)
	}
	cv := canvases.Get().(*canvas)
	defer canvases.Put(cv)
	paint(cv.img, fs, c)
	cv.out, cv.tokens = appendPNG(cv.out[:0], cv.rows, cv.tokens)
	return bytes.Clone(cv.out), nil
}

// A canvas is an image and the buffers for encoding it. A build renders
// thousands of images, so canvases are pooled: a render allocates little
// more than the bytes it returns.
type canvas struct {
	// rows holds the pixels as the PNG stores them, each row after a
	// filter byte of 0, so they are encoded without a copy.
	rows []byte
	// img draws into rows: its row y starts just after the filter byte of
	// row y, and its stride steps over the next one. Nothing draws outside
	// img's bounds, so the filter bytes stay 0.
	img    *image.Paletted
	tokens []token
	out    []byte
}

var canvases = sync.Pool{New: func() any { return newCanvas() }}

func newCanvas() *canvas {
	rows := make([]byte, rowLen*Height)
	return &canvas{
		rows: rows,
		img:  &image.Paletted{Pix: rows[1:], Stride: rowLen, Rect: image.Rect(0, 0, Width, Height), Palette: palette},
	}
}

// paint draws c onto img, whatever img held before. Pixels outside img's
// bounds that share its Pix, such as a canvas's filter bytes, are set to 0.
func paint(img *image.Paletted, fs *fontSet, c Card) {
	clear(img.Pix) // index 0 is the background
	for y := Height - stripeHeight; y < Height; y++ {
		copy(img.Pix[img.PixOffset(0, y):][:Width], stripeIndex[:])
	}
	r := renderer{fonts: fs, img: img}
	r.drawHeader(clean(c.Site))
	r.drawTitle(clean(c.Title))
	r.drawFooter(clean(c.Kicker), c.Tags)
}

// renderer draws one image.
type renderer struct {
	fonts *fontSet
	img   *image.Paletted
}

// drawHeader draws a small accent square and the site name at the top left.
func (r *renderer) drawHeader(site string) {
	if site == "" {
		return
	}
	f := r.fonts.site
	baseline := margin + f.capHeight
	// The square is centred on the capital letters of the name.
	markTop := margin + (f.capHeight-markSize)/2
	r.fill(image.Rect(margin, markTop, margin+markSize, markTop+markSize), shade(accentInk, inkLevels))
	x := margin + markSize + 16
	r.text(f, siteInk, x, baseline, fitWidth(f, site, Width-margin-x))
}

// drawTitle draws the title in the largest size that fits.
func (r *renderer) drawTitle(title string) {
	if title == "" {
		return
	}
	var (
		f     *face
		lines []string
		lh    int
	)
	for i, size := range titleSizes {
		f, lh = r.fonts.titles[i], int(size*lineSpacing+0.5)
		lines = wrap(f, title, contentWidth)
		maxLines := maxTitleLines(f, lh)
		if len(lines) <= maxLines {
			break
		}
		if i == len(titleSizes)-1 {
			// Last resort: keep what fits and end with an ellipsis.
			last := strings.Join(lines[maxLines-1:], " ")
			lines = append(lines[:maxLines-1], cut(f, last, contentWidth))
		}
	}
	baseline := titleTop + f.capHeight
	for _, line := range lines {
		r.text(f, titleInk, margin, baseline, line)
		baseline += lh
	}
}

// maxTitleLines is how many lines of height lh fit between titleTop and
// titleBottom, counting the descent of the last line.
func maxTitleLines(f *face, lh int) int {
	first := f.capHeight + f.descent // height of a single line
	return max(1, 1+(titleBottom-titleTop-first)/lh)
}

// drawFooter draws the kicker and the tags, bottom-aligned on the margin.
func (r *renderer) drawFooter(kicker string, tags []string) {
	baseline := Height - margin
	if line := tagLine(tags); line != "" {
		f := r.fonts.tag
		r.text(f, accentInk, margin, baseline, fitTags(f, line, contentWidth))
		baseline -= footerGap
	}
	if kicker != "" {
		f := r.fonts.kicker
		r.text(f, kickerInk, margin, baseline, fitWidth(f, kicker, contentWidth))
	}
}

// fill paints rect with palette index idx.
func (r *renderer) fill(rect image.Rectangle, idx uint8) {
	rect = rect.Intersect(r.img.Rect)
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		row := r.img.Pix[r.img.PixOffset(rect.Min.X, y):][:rect.Dx()]
		for x := range row {
			row[x] = idx
		}
	}
}

// text draws s in ink i with its baseline at y, starting at x. The pen
// advances by the unrounded glyph widths, as font.Drawer's does, and each
// glyph is drawn from the mask for the nearest subpixel position.
func (r *renderer) text(f *face, i ink, x, y int, s string) {
	pen := fixed.I(x)
	for _, ch := range s {
		g := f.glyph(ch)
		q := (int(pen)*subpixels + 32) >> 6 // pen in 1/subpixels of a pixel, rounded
		r.drawMask(&g.masks[q%subpixels], image.Pt(q/subpixels, y), i)
		pen += g.advance
	}
}

// drawMask draws m in ink i with its origin at p, over what is there.
func (r *renderer) drawMask(m *mask, p image.Point, i ink) {
	at := m.rect.Add(p)
	clip := at.Intersect(r.img.Rect)
	w := m.rect.Dx()
	base := shade(i, 1) - 1 // shade(i, l) is base+l
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		src := m.level[(y-at.Min.Y)*w+clip.Min.X-at.Min.X:][:clip.Dx()]
		dst := r.img.Pix[r.img.PixOffset(clip.Min.X, y):][:clip.Dx()]
		for x, l := range src {
			switch {
			case l == 0:
			case dst[x] == 0: // the background, as most pixels are
				dst[x] = base + l
			default:
				dst[x] = over(dst[x], i, int(l))
			}
		}
	}
}

// over returns the palette index of ink i at level drawn over the colour
// at palette index dst. Where two glyphs of one ink overlap, the coverages
// add up as image/draw's Over would combine them; over anything else, the
// newer ink wins (the layout never puts two inks on one pixel).
func over(dst uint8, i ink, level int) uint8 {
	if di, dl, ok := inkOf(dst); ok && di == i {
		level = min(inkLevels, level+dl-(level*dl+inkLevels/2)/inkLevels)
	}
	return shade(i, level)
}

// clean turns control characters and runs of white space into single spaces
// and trims the ends, so a title with a newline or a tab draws on one line.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// tagLine joins the tags as "#a  #b  #c", skipping empty ones.
func tagLine(tags []string) string {
	var parts []string
	for _, t := range tags {
		t = strings.TrimLeft(clean(t), "#")
		if t == "" {
			continue
		}
		parts = append(parts, "#"+strings.ReplaceAll(t, " ", "-"))
	}
	return strings.Join(parts, tagSep)
}

// tagSep separates tags on the tag line.
const tagSep = "   "

// fitTags returns the longest prefix of whole tags in line that fits in
// width. A single tag too wide on its own is cut with an ellipsis.
func fitTags(f *face, line string, width int) string {
	if measure(f, line) <= width {
		return line
	}
	tags := strings.Split(line, tagSep)
	for n := len(tags) - 1; n > 0; n-- {
		if s := strings.Join(tags[:n], tagSep); measure(f, s) <= width {
			return s
		}
	}
	return cut(f, tags[0], width)
}

// fitWidth returns s if it fits in width, or s cut with an ellipsis.
func fitWidth(f *face, s string, width int) string {
	if measure(f, s) <= width {
		return s
	}
	return cut(f, s, width)
}

// cut returns s shortened to fit in width with an ellipsis after it. It
// cuts at a space when that keeps at least half the width filled, inside a
// word otherwise, and drops spaces and punctuation before the ellipsis.
func cut(f *face, s string, width int) string {
	runes := []rune(s)
	fits := func(n int) (string, bool) {
		prefix := strings.TrimRightFunc(string(runes[:n]), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r)
		})
		out := prefix + ellipsis
		return out, prefix != "" && measure(f, out) <= width
	}
	n := len(runes)
	for ; n > 0; n-- {
		if _, ok := fits(n); ok {
			break
		}
	}
	if n == 0 {
		return ellipsis
	}
	best, _ := fits(n)
	if n < len(runes) && !unicode.IsSpace(runes[n]) {
		// The cut falls inside a word: end at the last space instead.
		for i := n - 1; i > 0; i-- {
			if !unicode.IsSpace(runes[i]) {
				continue
			}
			if out, ok := fits(i); ok && measure(f, out) >= width/2 {
				return out
			}
			break
		}
	}
	return best
}

// wrap breaks s into lines no wider than width, at spaces when it can and
// inside a word only when the word alone is wider than a line.
func wrap(f *face, s string, width int) []string {
	var (
		lines []string
		line  string
	)
	for _, word := range strings.Fields(s) {
		if line != "" {
			if try := line + " " + word; measure(f, try) <= width {
				line = try
				continue
			}
			lines = append(lines, line)
			line = ""
		}
		for measure(f, word) > width {
			head, rest := splitWord(f, word, width)
			lines = append(lines, head)
			word = rest
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// splitWord splits a word wider than width into the longest prefix that
// fits (at least one rune) and the rest.
func splitWord(f *face, word string, width int) (head, rest string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && measure(f, string(runes[:n+1])) <= width {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}
