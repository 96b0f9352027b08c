package images

import (
	"bytes"
	"encoding/binary"
	"image"
)

// jpegOrientation returns the EXIF orientation (1–8) of the JPEG whose
// first bytes are b, or 1 when it has none that can be read.
//
// Cameras and phones store pixels as the sensor saw them and record how to
// turn them in this tag; browsers honour it when they show the original, so
// a resized copy that drops the tag must apply it instead, or portraits
// come out on their side. image/jpeg ignores the tag.
func jpegOrientation(b []byte) int {
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return 1
		}
		m := b[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0x01 || m >= 0xd0 && m <= 0xd8: // markers without a length
			i += 2
			continue
		case m == 0xda || m == 0xd9: // start of scan, end of image: no more headers
			return 1
		}
		end := i + 2 + int(binary.BigEndian.Uint16(b[i+2:]))
		if end < i+4 {
			return 1
		}
		if m == 0xe1 { // APP1
			if o, ok := exifOrientation(b[i+4 : min(end, len(b))]); ok {
				return o
			}
		}
		i = end
	}
	return 1
}

// exifOrientation reads tag 0x0112 from IFD0 of an APP1 payload.
func exifOrientation(p []byte) (int, bool) {
	t, ok := bytes.CutPrefix(p, []byte("Exif\x00\x00"))
	if !ok || len(t) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0, false
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 0, false
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := int(off) + 2 + 12*k
		if e+12 > len(t) {
			return 0, false
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// The tag is one SHORT, stored in the first two bytes of the value.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 0, false
		}
		v := int(bo.Uint16(t[e+8:]))
		if v < 1 || v > 8 {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

// orient returns m turned as EXIF orientation o says, so that it shows
// upright. Orientations 5–8 swap width and height.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return m
	}
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	d := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// src returns the stored pixel that shows at (x, y).
	var src func(x, y int) (int, int)
	switch o {
	case 2: // mirrored
		src = func(x, y int) (int, int) { return sw - 1 - x, y }
	case 3: // turned 180°
		src = func(x, y int) (int, int) { return sw - 1 - x, sh - 1 - y }
	case 4: // flipped
		src = func(x, y int) (int, int) { return x, sh - 1 - y }
	case 5: // transposed
		src = func(x, y int) (int, int) { return y, x }
	case 6: // stored 90° anticlockwise: turn clockwise
		src = func(x, y int) (int, int) { return y, sh - 1 - x }
	case 7: // transversed
		src = func(x, y int) (int, int) { return sw - 1 - y, sh - 1 - x }
	case 8: // stored 90° clockwise: turn anticlockwise
		src = func(x, y int) (int, int) { return sw - 1 - y, x }
	}
	for y := range dh {
		for x := range dw {
			sx, sy := src(x, y)
			i, j := d.PixOffset(x, y), m.PixOffset(m.Rect.Min.X+sx, m.Rect.Min.Y+sy)
			copy(d.Pix[i:i+4], m.Pix[j:j+4])
		}
	}
	return d
}
