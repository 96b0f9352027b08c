package ogimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
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
	background = color.RGBA{0x0f, 0x17, 0x2a, 0xff} // slate-900
	titleInk   = color.RGBA{0xf8, 0xfa, 0xfc, 0xff} // slate-50
	siteInk    = color.RGBA{0xe2, 0xe8, 0xf0, 0xff} // slate-200
	kickerInk  = color.RGBA{0xcb, 0xd5, 0xe1, 0xff} // slate-300
	accent     = color.RGBA{0x38, 0xbd, 0xf8, 0xff} // sky-400
	accentEnd  = color.RGBA{0x2d, 0xd4, 0xbf, 0xff} // teal-400
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

type fontSet struct {
	bold, regular *opentype.Font
}

// fonts parses the embedded Go fonts once. A parsed *opentype.Font is safe
// for concurrent use; the faces made from it are not, so Render makes its
// own faces on every call.
var fonts = sync.OnceValues(func() (fontSet, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return fontSet{}, fmt.Errorf("parse Go Bold: %w", err)
	}
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return fontSet{}, fmt.Errorf("parse Go Regular: %w", err)
	}
	return fontSet{bold: bold, regular: regular}, nil
})

// Render draws c as a Width×Height PNG. The same Card always gives the same
// bytes. Text is never drawn outside the margins: a title too long for the
// smallest size is cut with an ellipsis, and tags that do not fit are left
// out. It is safe to call from several goroutines at once.
func Render(c Card) ([]byte, error) {
	img, err := paint(c)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	// A fixed compression level keeps the bytes stable for a given Go
	// version. BestSpeed: the flat colours compress almost as well as at the
	// default level (about 25 KB either way) and Render runs a fifth faster.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, toPaletted(img)); err != nil {
		return nil, fmt.Errorf("og image: encode png: %w", err)
	}
	return b.Bytes(), nil
}

// paint draws c in full colour.
func paint(c Card) (*image.RGBA, error) {
	fs, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("og image: %w", err)
	}
	r := renderer{fonts: fs, img: image.NewRGBA(image.Rect(0, 0, Width, Height))}
	defer r.close()

	draw.Draw(r.img, r.img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	r.drawStripe()
	if err := r.drawHeader(clean(c.Site)); err != nil {
		return nil, err
	}
	if err := r.drawTitle(clean(c.Title)); err != nil {
		return nil, err
	}
	if err := r.drawFooter(clean(c.Kicker), c.Tags); err != nil {
		return nil, err
	}
	return r.img, nil
}

// renderer draws one image. Its faces belong to this call only.
type renderer struct {
	fonts fontSet
	img   *image.RGBA
	faces []font.Face
}

func (r *renderer) close() {
	for _, f := range r.faces {
		f.Close()
	}
}

func (r *renderer) face(f *opentype.Font, size float64) (font.Face, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("og image: font face at %gpx: %w", size, err)
	}
	r.faces = append(r.faces, face)
	return face, nil
}

// drawStripe fills the accent stripe along the bottom edge.
func (r *renderer) drawStripe() {
	for x := range Width {
		c := stripeColor(x)
		for y := Height - stripeHeight; y < Height; y++ {
			r.img.SetRGBA(x, y, c)
		}
	}
}

// drawHeader draws a small accent square and the site name at the top left.
func (r *renderer) drawHeader(site string) error {
	if site == "" {
		return nil
	}
	face, err := r.face(r.fonts.bold, siteSize)
	if err != nil {
		return err
	}
	capHeight := capHeightOf(face)
	baseline := margin + capHeight
	// The square is centred on the capital letters of the name.
	markTop := margin + (capHeight-markSize)/2
	draw.Draw(r.img, image.Rect(margin, markTop, margin+markSize, markTop+markSize),
		image.NewUniform(accent), image.Point{}, draw.Src)
	x := margin + markSize + 16
	r.text(face, siteInk, x, baseline, fitWidth(face, site, Width-margin-x))
	return nil
}

// drawTitle draws the title in the largest size that fits.
func (r *renderer) drawTitle(title string) error {
	if title == "" {
		return nil
	}
	var (
		face  font.Face
		lines []string
		lh    int
	)
	for i, size := range titleSizes {
		f, err := r.face(r.fonts.bold, size)
		if err != nil {
			return err
		}
		face, lh = f, int(size*lineSpacing+0.5)
		lines = wrap(face, title, contentWidth)
		maxLines := r.maxTitleLines(face, lh)
		if len(lines) <= maxLines {
			break
		}
		if i == len(titleSizes)-1 {
			// Last resort: keep what fits and end with an ellipsis.
			last := strings.Join(lines[maxLines-1:], " ")
			lines = append(lines[:maxLines-1], cut(face, last, contentWidth))
		}
	}
	baseline := titleTop + capHeightOf(face)
	for _, line := range lines {
		r.text(face, titleInk, margin, baseline, line)
		baseline += lh
	}
	return nil
}

// maxTitleLines is how many lines of height lh fit between titleTop and
// titleBottom, counting the descent of the last line.
func (r *renderer) maxTitleLines(face font.Face, lh int) int {
	m := face.Metrics()
	first := capHeightOf(face) + m.Descent.Ceil() // height of a single line
	return max(1, 1+(titleBottom-titleTop-first)/lh)
}

// drawFooter draws the kicker and the tags, bottom-aligned on the margin.
func (r *renderer) drawFooter(kicker string, tags []string) error {
	baseline := Height - margin
	if line := tagLine(tags); line != "" {
		face, err := r.face(r.fonts.bold, tagSize)
		if err != nil {
			return err
		}
		r.text(face, accent, margin, baseline, fitTags(face, line, contentWidth))
		baseline -= footerGap
	}
	if kicker != "" {
		face, err := r.face(r.fonts.regular, kickerSize)
		if err != nil {
			return err
		}
		r.text(face, kickerInk, margin, baseline, fitWidth(face, kicker, contentWidth))
	}
	return nil
}

// text draws s with its baseline at y, starting at x.
func (r *renderer) text(face font.Face, ink color.Color, x, y int, s string) {
	d := font.Drawer{Dst: r.img, Src: image.NewUniform(ink), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// capHeightOf returns the height of a capital letter in face, in pixels.
func capHeightOf(face font.Face) int {
	if h := face.Metrics().CapHeight.Ceil(); h > 0 {
		return h
	}
	return face.Metrics().Ascent.Ceil()
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
func fitTags(face font.Face, line string, width int) string {
	if measure(face, line) <= width {
		return line
	}
	tags := strings.Split(line, tagSep)
	for n := len(tags) - 1; n > 0; n-- {
		if s := strings.Join(tags[:n], tagSep); measure(face, s) <= width {
			return s
		}
	}
	return cut(face, tags[0], width)
}

// fitWidth returns s if it fits in width, or s cut with an ellipsis.
func fitWidth(face font.Face, s string, width int) string {
	if measure(face, s) <= width {
		return s
	}
	return cut(face, s, width)
}

// cut returns s shortened to fit in width with an ellipsis after it. It
// cuts at a space when that keeps at least half the width filled, inside a
// word otherwise, and drops spaces and punctuation before the ellipsis.
func cut(face font.Face, s string, width int) string {
	runes := []rune(s)
	fits := func(n int) (string, bool) {
		prefix := strings.TrimRightFunc(string(runes[:n]), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r)
		})
		out := prefix + ellipsis
		return out, prefix != "" && measure(face, out) <= width
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
			if out, ok := fits(i); ok && measure(face, out) >= width/2 {
				return out
			}
			break
		}
	}
	return best
}

// wrap breaks s into lines no wider than width, at spaces when it can and
// inside a word only when the word alone is wider than a line.
func wrap(face font.Face, s string, width int) []string {
	var (
		lines []string
		line  string
	)
	for _, word := range strings.Fields(s) {
		if line != "" {
			if try := line + " " + word; measure(face, try) <= width {
				line = try
				continue
			}
			lines = append(lines, line)
			line = ""
		}
		for measure(face, word) > width {
			head, rest := splitWord(face, word, width)
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
func splitWord(face font.Face, word string, width int) (head, rest string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && measure(face, string(runes[:n+1])) <= width {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// measure returns the advance width of s in whole pixels, rounded up.
func measure(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}
