package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// photo returns an opaque w×h image that compresses like a photograph:
// smooth gradients, a few shapes and some noise, the same for the same size.
func photo(w, h int) *image.RGBA {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r := 255 * x / w
			g := 255 * y / h
			b := 128 + (x*y)%64
			if (x/(w/8+1)+y/(h/6+1))%3 == 0 {
				r, b = b, r
			}
			n := rng.IntN(24) - 12
			m.SetRGBA(x, y, color.RGBA{clampByte(r + n), clampByte(g + n), clampByte(b + n), 255})
		}
	}
	return m
}

// withAlpha returns a w×h image whose left half is opaque and whose right
// half fades out to fully transparent.
func withAlpha(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := 255
			if x >= w/2 {
				a = 255 - 255*(x-w/2)/max(1, w-w/2-1)
			}
			m.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 200, uint8(a)})
		}
	}
	return m
}

func clampByte(v int) uint8 { return uint8(min(max(v, 0), 255)) }

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeGIF writes a two-colour w×h GIF; with transparent, its second
// colour is transparent.
func encodeGIF(t testing.TB, w, h int, transparent bool) []byte {
	t.Helper()
	second := color.Color(color.RGBA{0, 0, 255, 255})
	if transparent {
		second = color.Transparent
	}
	m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.RGBA{255, 0, 0, 255}, second})
	for y := range h {
		for x := range w {
			m.SetColorIndex(x, y, uint8((x/8+y/8)%2))
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bigJPEG is the 2400×1600 test photo, made once.
var bigJPEG = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo(2400, 1600), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// bombPNG returns a valid PNG signature and IHDR chunk claiming a w×h RGBA
// image, then one tiny IDAT and IEND: a decompression bomb's header.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace
	writeChunk(&b, "IHDR", ihdr)
	writeChunk(&b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	writeChunk(&b, "IEND", nil)
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	b.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}

// bombJPEG returns a JPEG start and baseline frame header claiming w×h
// grey pixels.
func bombJPEG(w, h uint16) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xc0, 0, 11, 8}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	return append(b, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8)
}

// bombGIF returns a GIF header whose logical screen is w×h.
func bombGIF(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0x3b)
}

// exifSegment returns an APP1 segment holding only an orientation tag, in
// big-endian ("MM") or little-endian ("II") byte order.
func exifSegment(order string, orientation uint16) []byte {
	var bo binary.AppendByteOrder = binary.BigEndian
	if order == "II" {
		bo = binary.LittleEndian
	}
	p := []byte("Exif\x00\x00" + order)
	p = bo.AppendUint16(p, 42)
	p = bo.AppendUint32(p, 8) // IFD0 right after the TIFF header
	p = bo.AppendUint16(p, 1) // one entry
	p = bo.AppendUint16(p, 0x0112)
	p = bo.AppendUint16(p, 3) // SHORT
	p = bo.AppendUint32(p, 1)
	p = bo.AppendUint16(p, orientation)
	p = bo.AppendUint16(p, 0)
	p = bo.AppendUint32(p, 0) // no next IFD
	seg := []byte{0xff, 0xe1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(p)+2))
	return append(seg, p...)
}

// withOrientation inserts an EXIF orientation right after a JPEG's SOI.
func withOrientation(jpg []byte, orientation uint16) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifSegment("MM", orientation)...)
	return append(out, jpg[2:]...)
}

// mapFS returns an FS holding the given name, data pairs.
func mapFS(pairs ...any) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(pairs); i += 2 {
		fsys[pairs[i].(string)] = &fstest.MapFile{Data: pairs[i+1].([]byte)}
	}
	return fsys
}

// decodeBody decodes a resized image, failing the test when it is not in
// the format its content type says.
func decodeBody(t testing.TB, img *Image) image.Image {
	t.Helper()
	m, format, err := image.Decode(bytes.NewReader(img.Body))
	if err != nil {
		t.Fatalf("decode resized image: %v", err)
	}
	if want := "image/" + format; img.ContentType != want {
		t.Fatalf("got content type %q, want %q from the bytes", img.ContentType, want)
	}
	return m
}

// peakHeap runs f and returns by how much the heap's live objects grew at
// most while it ran. The collector is set to run at 1 % growth meanwhile,
// so that garbage hardly counts, and the heap is sampled every 50 µs.
func peakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	base := read()
	old := debug.SetGCPercent(1)
	defer debug.SetGCPercent(old)
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	<-stopped
	return max(peak.Load(), base) - base
}
