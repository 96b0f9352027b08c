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
// (output width × source height): 34 MB to make a 640-pixel-wide copy of a
// 2400×1600 photo, 98 MB for a 1920-pixel one, 307 MB from 8000×5000. A
// [scaler] instead streams: it filters one source row at a time into a ring
// of as many rows as the vertical kernel is tall, in float32, so memory
// beyond the output is a few rows. The result matches draw.CatmullRom to
// within rounding (see the tests).
//
// A JPEG's Y, Cb and Cr planes are resampled as they are (Cb and Cr at
// their subsampled size) and converted to RGB only at the output size:
// filtering is linear, so this gives the same pixels in less than half the
// time (25 instead of 55 ms from 2400×1600 to 640).
func resample(src image.Image, w, h int) *image.RGBA {
	if m, ok := src.(*image.YCbCr); ok && m.Rect.Min == (image.Point{}) {
		if fx, fy, ok := chromaRatio(m); ok {
			return resampleYCbCr(m, fx, fy, w, h)
		}
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sx, sy := float64(b.Dx())/float64(w), float64(b.Dy())/float64(h)
	s := newScaler(rowReader(src), 4, b.Dx(), b.Dy(), w, h, sx, sy)
	for y := range h {
		row := s.row(y)
		pix := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			// Overshoot of the kernel is clamped, and colour to alpha, so
			// that the premultiplied result stays valid.
			a := clamp8(row[i+3], 255)
			pix[i+0] = clamp8(row[i+0], a)
			pix[i+1] = clamp8(row[i+1], a)
			pix[i+2] = clamp8(row[i+2], a)
			pix[i+3] = a
		}
	}
	return dst
}

// chromaRatio returns how many luma samples one chroma sample of m spans
// across and down.
func chromaRatio(m *image.YCbCr) (fx, fy int, ok bool) {
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// resampleYCbCr resamples the planes of m, whose chroma samples span
// fx×fy luma samples, to w×h and converts the result to RGB with the JFIF
// equations that color.YCbCrToRGB approximates in fixed point.
func resampleYCbCr(m *image.YCbCr, fx, fy, w, h int) *image.RGBA {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	sx, sy := float64(sw)/float64(w), float64(sh)/float64(h)
	luma := newScaler(func(y int, row []float32) {
		for x, v := range m.Y[y*m.YStride : y*m.YStride+len(row)] {
			row[x] = float32(v)
		}
	}, 1, sw, sh, w, h, sx, sy)
	chroma := newScaler(func(y int, row []float32) {
		cb, cr := m.Cb[y*m.CStride:], m.Cr[y*m.CStride:]
		for x := range len(row) / 2 {
			row[2*x], row[2*x+1] = float32(cb[x])-128, float32(cr[x])-128
		}
	}, 2, (sw+fx-1)/fx, (sh+fy-1)/fy, w, h, sx/float64(fx), sy/float64(fy))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		ys, cs := luma.row(y), chroma.row(y)
		pix := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, yy := range ys {
			cb, cr := cs[2*x], cs[2*x+1]
			p := pix[4*x : 4*x+4 : 4*x+4]
			p[0] = clamp8(yy+1.402*cr, 255)
			p[1] = clamp8(yy-0.344136*cb-0.714136*cr, 255)
			p[2] = clamp8(yy+1.772*cb, 255)
			p[3] = 255
		}
	}
	return dst
}

// scaler streams the rows of an image of c interleaved channels, read one
// source row at a time, resampled to another size.
type scaler struct {
	c      int
	hx, vy *taps
	read   func(y int, row []float32)
	in     []float32   // one source row
	ring   [][]float32 // source rows filtered horizontally; row j in ring[j%len]
	out    []float32   // the current output row
	next   int         // next source row to read into the ring
}

// newScaler returns a scaler from sw×sh samples to dw×dh, sx and sy being
// how many source samples one output pixel spans across and down.
func newScaler(read func(y int, row []float32), c, sw, sh, dw, dh int, sx, sy float64) *scaler {
	s := &scaler{c: c, hx: newTaps(sw, dw, sx), vy: newTaps(sh, dh, sy), read: read,
		in: make([]float32, c*sw), out: make([]float32, c*dw)}
	s.ring = make([][]float32, s.vy.n)
	for i := range s.ring {
		s.ring[i] = make([]float32, c*dw)
	}
	return s
}

// row returns output row y, valid until the next call. Rows must be asked
// for in increasing order.
//
// The ring is large enough: the first source row used by output row y
// never decreases with y, and no output row uses more than len(ring) rows,
// so a row is only overwritten once no later output row needs it.
func (s *scaler) row(y int) []float32 {
	start, ws := s.vy.at(y)
	for ; s.next < start+len(ws); s.next++ {
		s.read(s.next, s.in)
		s.hx.apply(s.ring[s.next%len(s.ring)], s.in, s.c)
	}
	clear(s.out)
	for k, wt := range ws {
		for i, v := range s.ring[(start+k)%len(s.ring)] {
			s.out[i] += wt * v
		}
	}
	return s.out
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

// newTaps computes the kernel weights for resampling src samples to dst
// ones, destination sample i being centred on source coordinate
// (i+0.5)×scale−0.5 as in draw.Kernel. The scale is src/dst but for
// subsampled chroma planes, whose last sample may stick out past the
// image's edge.
func newTaps(src, dst int, scale float64) *taps {
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

// apply filters one row of samples of c interleaved channels
// horizontally; the common channel counts have their own loops.
func (t *taps) apply(dst, src []float32, c int) {
	switch c {
	case 1:
		for i := range t.start {
			start, ws := t.at(i)
			p := src[start : start+len(ws)]
			var v float32
			for k, wt := range ws {
				v += wt * p[k]
			}
			dst[i] = v
		}
	case 2:
		for i := range t.start {
			start, ws := t.at(i)
			p := src[2*start : 2*(start+len(ws))]
			var u, v float32
			for k, wt := range ws {
				q := p[2*k : 2*k+2 : 2*k+2]
				u += wt * q[0]
				v += wt * q[1]
			}
			dst[2*i], dst[2*i+1] = u, v
		}
	case 4:
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
	default:
		panic("images: unsupported channel count")
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
