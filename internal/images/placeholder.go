package images

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"io/fs"
)

// placeholderSide is the longest side of a placeholder, in pixels.
const placeholderSide = 16

// Placeholder returns a tiny, blurred copy of the image name in fsys as a
// "data:image/png;base64,…" URL of at most a few hundred bytes, to inline as
// the background of an <img> until the real image arrives.
//
// Its longest side is 16 pixels and the browser stretches it; it is PNG
// even for photos because the smallest JPEG that image/jpeg writes carries
// about 600 bytes of tables before any pixel. Its colours are quantised to
// 32 levels a channel, which a blur hides and which keeps the PNG small.
//
// Placeholder is bounded like [Resizer.Resize] with the default limits
// ([DefaultMaxFileBytes], [DefaultMaxPixels]) and the same name rules, and
// refuses SVG with [ErrNotRaster]. It neither caches nor limits
// concurrency: it is meant for build time, once per image, by a caller
// that bounds its own parallelism.
func Placeholder(fsys fs.FS, name string) (string, error) {
	data, err := readFile(fsys, name, DefaultMaxFileBytes)
	if err != nil {
		return "", err
	}
	src, hd, err := decode(name, data, DefaultMaxPixels)
	if err != nil {
		return "", err
	}
	w, h := placeholderSide, scaledHeight(hd.Width, hd.Height, placeholderSide)
	if hd.Height > hd.Width {
		w, h = scaledHeight(hd.Height, hd.Width, placeholderSide), placeholderSide
	}
	w, h = min(w, hd.Width), min(h, hd.Height)
	m := quantize(blur(scale(src, hd.orientation, w, h)))
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return "", fmt.Errorf("images: encode placeholder of %s: %w", name, err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// blur returns m convolved with a 3×3 binomial kernel (1 2 1 in each
// direction), edges clamped, so the placeholder reads as a soft wash of
// colour rather than as a mosaic once stretched.
func blur(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	d := image.NewRGBA(m.Rect)
	wt := [3]int{1, 2, 1}
	for y := range h {
		for x := range w {
			var sum [4]int
			total := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					sx, sy := min(max(x+dx, 0), w-1), min(max(y+dy, 0), h-1)
					k := wt[dx+1] * wt[dy+1]
					p := m.Pix[sy*m.Stride+4*sx:]
					for c := range sum {
						sum[c] += k * int(p[c])
					}
					total += k
				}
			}
			p := d.Pix[y*d.Stride+4*x:]
			for c := range sum {
				p[c] = uint8((sum[c] + total/2) / total)
			}
		}
	}
	return d
}

// quantize returns m un-premultiplied, with every channel rounded to one
// of 32 levels spread evenly over 0–255 (so black, white and opaque stay
// exact). Fewer distinct values make a smaller PNG; the stretched, blurred
// placeholder shows no banding. Rounding after un-premultiplying keeps the
// levels exact in the file, where the encoder would otherwise divide them
// by alpha again.
func quantize(m *image.RGBA) *image.NRGBA {
	level := func(v int) uint8 { return uint8(((v*31+127)/255*255 + 15) / 31) }
	d := image.NewNRGBA(m.Rect)
	for i := 0; i < len(m.Pix); i += 4 {
		a := int(m.Pix[i+3])
		d.Pix[i+3] = level(a)
		if a == 0 {
			continue
		}
		for c := range 3 {
			d.Pix[i+c] = level(min((int(m.Pix[i+c])*255+a/2)/a, 255))
		}
	}
	return d
}
