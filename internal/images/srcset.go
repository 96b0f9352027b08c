package images

import (
	"slices"
	"strconv"
	"strings"
)

// Srcset returns the value of an <img srcset> attribute for an image
// sourceWidth pixels wide, with url giving the address of the image resized
// to an allowed width.
//
// It lists every width of [Widths] up to sourceWidth. When the source is
// narrower than the largest allowed width and is not itself one of them, it
// also lists the next allowed width up, described by the source's own
// width: [Resizer.Resize] never enlarges, so that address serves the source
// at full size, and the browser knows what it will get. For example, a
// 1000-pixel-wide source gives "u320 320w, u640 640w, u960 960w, u1280 1000w",
// and a 200-pixel one "u320 200w". It returns "" for a width that is not
// positive (an SVG without a size, say).
func Srcset(url func(width int) string, sourceWidth int) string {
	if sourceWidth <= 0 {
		return ""
	}
	var b strings.Builder
	add := func(w, described int) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(url(w))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(described))
		b.WriteByte('w')
	}
	for _, w := range Widths {
		if w <= sourceWidth {
			add(w, w)
			continue
		}
		if !slices.Contains(Widths, sourceWidth) {
			add(w, sourceWidth)
		}
		break
	}
	return b.String()
}
