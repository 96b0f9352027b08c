package images

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	"golang.org/x/image/draw"
)

// BenchmarkResize measures Resize of a 2400×1600 JPEG: cold (no cache:
// header pass, read, decode, resample, encode) to 640 and 1920 pixels in
// each format, and as a cache hit (header pass and hash only).
func BenchmarkResize(b *testing.B) {
	fsys := mapFS("photo.jpg", bigJPEG())
	ctx := context.Background()
	for _, w := range []int{640, 1920} {
		for _, f := range []Format{Universal, WebP} {
			b.Run("cold/"+strconv.Itoa(w)+"/"+f.String(), func(b *testing.B) {
				r := NewResizer(Config{CacheBytes: -1})
				if _, err := r.Resize(ctx, fsys, "photo.jpg", w, DefaultQuality, f); err != nil {
					b.Fatal(err) // and WebP's module compiled before timing
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.Resize(ctx, fsys, "photo.jpg", w, DefaultQuality, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("cached", func(b *testing.B) {
		r := NewResizer(Config{})
		if _, err := r.Resize(ctx, fsys, "photo.jpg", 640, DefaultQuality, Universal); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Resize(ctx, fsys, "photo.jpg", 640, DefaultQuality, Universal); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkResizeBomb measures refusing a 50,000×50,000 PNG header.
func BenchmarkResizeBomb(b *testing.B) {
	fsys := mapFS("bomb.png", bombPNG(50_000, 50_000))
	r := NewResizer(Config{})
	b.ReportAllocs()
	for b.Loop() {
		r.Resize(context.Background(), fsys, "bomb.png", 640, DefaultQuality, Universal)
	}
}

// BenchmarkSteps splits a cold resize of the 2400×1600 JPEG into its steps,
// and compares this package's resampler with x/image/draw's scalers.
func BenchmarkSteps(b *testing.B) {
	data := bigJPEG()
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jpeg.Decode(bytes.NewReader(data))
		}
	})
	for _, w := range []int{640, 1920} {
		h := scaledHeight(2400, 1600, w)
		b.Run("resample/"+itoa(w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resample(src, w, h)
			}
		})
		for _, s := range []struct {
			name   string
			scaler draw.Scaler
		}{{"xdraw-catmullrom", draw.CatmullRom}, {"xdraw-approxbilinear", draw.ApproxBiLinear}} {
			b.Run(s.name+"/"+itoa(w), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					dst := image.NewRGBA(image.Rect(0, 0, w, h))
					s.scaler.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
				}
			})
		}
	}
	m := resample(src, 640, scaledHeight(2400, 1600, 640))
	b.Run("encode-jpeg/640", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jpeg.Encode(new(bytes.Buffer), m, &jpeg.Options{Quality: DefaultQuality})
		}
	})
	b.Run("hash", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hashBytes(data)
		}
	})
}

func itoa(n int) string {
	return string(rune('0'+n/1000%10)) + string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

// BenchmarkEncode compares the encoders for the resized image, from the
// same resampled pixels: today's (JPEG at quality 75 for opaque images, PNG
// at best compression for transparent ones) against WebP and AVIF at
// quality 75, at each of [Widths] up to the source's own width. Sources:
// the 2400×1600 test photo, a 1600×1000 image with transparency, and every
// PNG and JPEG under articles/. Besides time and allocation per encode it
// reports out-B, the bytes written, and peak-B, the most the heap grew
// during one encode (peakHeap).
//
// Run it on its own, one core, few rounds (the slow cases take seconds):
//
//	go test -run '^$' -bench Encode -benchtime 5x -cpu 1 -benchmem ./internal/images
func BenchmarkEncode(b *testing.B) {
	for _, src := range benchSources(b) {
		sb := src.m.Bounds()
		opaque := isOpaque(src.m)
		for _, w := range benchWidths(sb.Dx()) {
			m := resample(src.m, w, scaledHeight(sb.Dx(), sb.Dy(), w))
			for _, e := range benchEncoders(opaque) {
				b.Run(src.name+"/"+strconv.Itoa(w)+"/"+e.name, func(b *testing.B) {
					var buf bytes.Buffer
					encode := func() {
						buf.Reset()
						if err := e.encode(&buf, m); err != nil {
							b.Fatal(err)
						}
					}
					encode() // the first encode of a process compiles the module
					b.ReportAllocs()
					for b.Loop() {
						encode()
					}
					b.StopTimer()
					b.ReportMetric(float64(buf.Len()), "out-B")
					b.ReportMetric(float64(peakHeap(encode)), "peak-B")
				})
			}
		}
	}
}

// BenchmarkEncoderStart measures the first WebP and AVIF encode of a
// process, which compiles the wasm module (wazero) before it encodes: the
// time, the bytes allocated and the growth of resident memory (VmRSS) for
// a 64×64 image, then what stays resident after a collection that returns
// free memory to the system (kept-rss-B), and a second encode of the same
// image. The first call can only be measured once per process, so run each
// on its own:
//
//	go test -run '^$' -bench 'EncoderStart/^webp$' -benchtime 1x ./internal/images
//	go test -run '^$' -bench 'EncoderStart/^avif$' -benchtime 1x ./internal/images
func BenchmarkEncoderStart(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	draw.Draw(m, m.Rect, photo(64, 64), image.Point{}, draw.Src)
	for _, e := range []benchEncoder{
		{"webp", func(w io.Writer, m *image.RGBA) error { return encodeWebP(w, m, true, DefaultQuality) }},
		{"avif", func(w io.Writer, m *image.RGBA) error { return encodeAVIF(w, m) }},
	} {
		b.Run(e.name, func(b *testing.B) {
			debug.FreeOSMemory()
			rss0 := vmRSS()
			first := measureOnce(func() { e.encode(io.Discard, m) })
			debug.FreeOSMemory()
			kept := max(vmRSS(), rss0) - rss0
			second := measureOnce(func() { e.encode(io.Discard, m) })
			for b.Loop() {
			}
			b.ReportMetric(float64(first.time.Milliseconds()), "first-ms")
			b.ReportMetric(float64(first.alloc), "first-alloc-B")
			b.ReportMetric(float64(first.rss), "first-rss-B")
			b.ReportMetric(float64(kept), "kept-rss-B")
			b.ReportMetric(float64(second.time.Microseconds()), "second-µs")
			b.ReportMetric(float64(second.alloc), "second-alloc-B")
		})
	}
}

type benchSource struct {
	name string
	m    image.Image
}

// benchSources returns the test photo, a transparent image and the site's
// own raster images, decoded as Resize decodes them.
func benchSources(b *testing.B) []benchSource {
	b.Helper()
	photoJPEG, err := jpeg.Decode(bytes.NewReader(bigJPEG()))
	if err != nil {
		b.Fatal(err)
	}
	out := []benchSource{{"photo", photoJPEG}, {"alpha", withAlpha(1600, 1000)}}
	articles := os.DirFS("../../articles")
	err = fs.WalkDir(articles, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".png", ".jpg", ".jpeg":
		default:
			return nil
		}
		data, err := fs.ReadFile(articles, p)
		if err != nil {
			return err
		}
		m, _, err := decode(p, data, DefaultMaxPixels)
		if err != nil {
			return err
		}
		out = append(out, benchSource{strings.ReplaceAll(p, "/", "_"), m})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// benchWidths returns the widths a source of width sw is served at: each of
// Widths, the larger ones capped at the source's own width.
func benchWidths(sw int) []int {
	var ws []int
	for _, w := range Widths {
		w = min(w, sw)
		if !slices.Contains(ws, w) {
			ws = append(ws, w)
		}
	}
	return ws
}

type benchEncoder struct {
	name   string
	encode func(io.Writer, *image.RGBA) error
}

// benchEncoders returns today's encoder for an opaque or transparent image
// first, then WebP at libwebp's methods 0, 2 (this package's) and 4 (its
// default), then AVIF at libavif's fastest speed, 10.
func benchEncoders(opaque bool) []benchEncoder {
	today := benchEncoder{"jpeg", func(w io.Writer, m *image.RGBA) error {
		return jpeg.Encode(w, m, &jpeg.Options{Quality: DefaultQuality})
	}}
	if !opaque {
		today = benchEncoder{"png", func(w io.Writer, m *image.RGBA) error {
			enc := png.Encoder{CompressionLevel: png.BestCompression}
			return enc.Encode(w, m)
		}}
	}
	webpAt := func(method int) benchEncoder {
		return benchEncoder{"webp-m" + strconv.Itoa(method), func(w io.Writer, m *image.RGBA) error {
			var src image.Image = m
			if !opaque {
				n := image.NewNRGBA(m.Rect)
				draw.Draw(n, n.Rect, m, image.Point{}, draw.Src)
				src = n
			}
			return webp.Encode(w, src, webp.Options{Quality: DefaultQuality, Method: method})
		}}
	}
	return []benchEncoder{
		today,
		{"webp", func(w io.Writer, m *image.RGBA) error { return encodeWebP(w, m, opaque, DefaultQuality) }},
		webpAt(0),
		webpAt(4),
		{"avif-s10", encodeAVIF},
	}
}

// encodeAVIF encodes m as AVIF at quality 75 and libavif's fastest speed.
func encodeAVIF(w io.Writer, m *image.RGBA) error {
	return avif.Encode(w, m, avif.Options{Quality: DefaultQuality, QualityAlpha: DefaultQuality, Speed: 10})
}

type once struct {
	time       time.Duration
	alloc, rss uint64
}

// measureOnce runs f and reports its time, the bytes it allocated and how
// much resident memory grew.
func measureOnce(f func()) once {
	var before, after runtime.MemStats
	rss0 := vmRSS()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	f()
	d := time.Since(t0)
	runtime.ReadMemStats(&after)
	return once{time: d, alloc: after.TotalAlloc - before.TotalAlloc, rss: max(vmRSS(), rss0) - rss0}
}

// vmRSS returns the process's resident memory in bytes from
// /proc/self/status, or 0 where there is none.
func vmRSS() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
