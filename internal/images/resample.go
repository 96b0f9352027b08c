package images

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
)

// kernel is the resampling filter: x/image/draw's Catmull-Rom cubic, the
// sharpest of its kernels without ringing that shows, which keeps text in
// screenshots readable.
var kernel = draw.CatmullRom

// resample scales the whole of src to a new w×h image with [kernel],
// widening the kernel by the scale factor when shrinking so that every
// source pixel counts (no aliasing), like draw.Kernel.Scale.
//
// It exists because draw.Kernel.Scale keeps a float64 RGBA buffer of
// (output width × source height) — 98 MB to make a 1920-pixel-wide copy of
// a 2400×1600 photo, 307 MB for an 8000×5000 one — whereas this filters one
// source row at a time into a ring of as many rows as the vertical kernel
// is tall, in float32. Memory beyond the output is a few rows; the result
// matches draw.CatmullRom.Scale to within rounding (see the tests).
func resample(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	hx, vy := newTaps(sw, w), newTaps(sh, h)
	read := rowReader(src)

	in := make([]float32, 4*sw)
	ring := make([][]float32, vy.n)
	for i := range ring {
		ring[i] = make([]float32, 4*w)
	}
	acc := make([]float32, 4*w)
	next := 0 // next source row to filter horizontally into the ring
	for y := range h {
		start, ws := vy.at(y)
		for ; next < start+len(ws); next++ {
			read(next, in)
			hx.apply(ring[next%vy.n], in)
		}
		clear(acc)
		for k, wt := range ws {
			row := ring[(start+k)%vy.n]
			for i, v := range row {
				acc[i] += wt * v
			}
		}
		pix := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i := 0; i < len(acc); i += 4 {
			// Overshoot of the kernel is clamped, and colour to alpha, so
			// that the premultiplied result stays valid.
			a := clamp8(acc[i+3], 255)
			pix[i+0] = clamp8(acc[i+0], a)
			pix[i+1] = clamp8(acc[i+1], a)
			pix[i+2] = clamp8(acc[i+2], a)
			pix[i+3] = a
		}
	}
	return dst
}

// clamp8 rounds v to the nearest integer in [0, hi].
func clamp8(v float32, hi uint8) uint8 {
	v += 0.5
	switch {
	case !(v > 0): // also NaN
		return 0
	case v >= float32(hi):
		return hi
	}
	return uint8(v)
}

// taps are the weights of one axis: destination index i takes n weights
// w[i*n:] (zero-padded), applied to source indexes start[i], start[i]+1…
type taps struct {
	n     int
	start []int
	count []int
	w     []float32
}

func (t *taps) at(i int) (start int, w []float32) {
	return t.start[i], t.w[i*t.n : i*t.n+t.count[i]]
}

// newTaps computes the kernel weights for scaling src samples to dst ones,
// with the same sample centres as draw.Kernel.
func newTaps(src, dst int) *taps {
	scale := float64(src) / float64(dst)
	support, argScale := kernel.Support, 1.0
	if scale > 1 {
		support *= scale
		argScale = 1 / scale
	}
	n := int(math.Ceil(2*support)) + 1
	t := &taps{n: n, start: make([]int, dst), count: make([]int, dst), w: make([]float32, dst*n)}
	ws := make([]float64, n)
	for i := range dst {
		center := (float64(i)+0.5)*scale - 0.5
		lo := max(0, int(math.Floor(center-support)))
		hi := min(src, int(math.Ceil(center+support))+1)
		ws = ws[:0]
		total, first := 0.0, -1
		for j := lo; j < hi && len(ws) < n; j++ {
			d := math.Abs(center-float64(j)) * argScale
			wt := 0.0
			if d < kernel.Support {
				wt = kernel.At(d)
			}
			if wt == 0 && first < 0 {
				continue // trim leading zeros
			}
			if first < 0 {
				first = j
			}
			ws = append(ws, wt)
			total += wt
		}
		for len(ws) > 0 && ws[len(ws)-1] == 0 { // and trailing ones
			ws = ws[:len(ws)-1]
		}
		if first < 0 || total == 0 {
			// Cannot happen for Catmull-Rom, whose weight at the nearest
			// sample is never 0; fall back to that sample.
			first, ws, total = min(max(0, int(math.Round(center))), src-1), append(ws[:0], 1), 1
		}
		t.start[i], t.count[i] = first, len(ws)
		for k, wt := range ws {
			t.w[i*n+k] = float32(wt / total)
		}
	}
	return t
}

// apply filters one row of 4-channel samples horizontally.
func (t *taps) apply(dst, src []float32) {
	for i := range t.start {
		start, ws := t.at(i)
		p := src[4*start : 4*(start+len(ws))]
		var r, g, b, a float32
		for k, wt := range ws {
			q := p[4*k : 4*k+4 : 4*k+4]
			r += wt * q[0]
			g += wt * q[1]
			b += wt * q[2]
			a += wt * q[3]
		}
		o := dst[4*i : 4*i+4 : 4*i+4]
		o[0], o[1], o[2], o[3] = r, g, b, a
	}
}

// rowReader returns a function that writes row y (counted from the top of
// the bounds) of m into row as premultiplied RGBA samples in [0, 255], with
// fast paths for what the PNG, JPEG and GIF decoders return.
func rowReader(m image.Image) func(y int, row []float32) {
	b := m.Bounds()
	switch m := m.(type) {
	case *image.YCbCr:
		return func(y int, row []float32) {
			y += b.Min.Y
			for x := range b.Dx() {
				yi, ci := m.YOffset(b.Min.X+x, y), m.COffset(b.Min.X+x, y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = float32(r), float32(g), float32(bl), 255
			}
		}
	case *image.RGBA:
		return func(y int, row []float32) {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for i := range row {
				row[i] = float32(pix[i])
			}
		}
	case *image.NRGBA:
		return func(y int, row []float32) {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for i := 0; i < len(row); i += 4 {
				a := float32(pix[i+3])
				row[i] = float32(pix[i]) * a / 255
				row[i+1] = float32(pix[i+1]) * a / 255
				row[i+2] = float32(pix[i+2]) * a / 255
				row[i+3] = a
			}
		}
	case *image.Gray:
		return func(y int, row []float32) {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range b.Dx() {
				v := float32(pix[x])
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 255
			}
		}
	case *image.Paletted:
		var pal [256][4]float32
		for i, c := range m.Palette {
			r, g, bl, a := c.RGBA()
			pal[i] = [4]float32{float32(r) / 257, float32(g) / 257, float32(bl) / 257, float32(a) / 257}
		}
		return func(y int, row []float32) {
			pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range b.Dx() {
				copy(row[4*x:4*x+4], pal[pix[x]][:])
			}
		}
	}
	return func(y int, row []float32) {
		for x := range b.Dx() {
			r, g, bl, a := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = float32(r)/257, float32(g)/257, float32(bl)/257, float32(a)/257
		}
	}
}
