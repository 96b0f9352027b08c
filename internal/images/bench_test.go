package images

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"

	"golang.org/x/image/draw"
)

// BenchmarkResize measures Resize of a 2400×1600 JPEG to 640 pixels: cold
// (no cache: header pass, read, decode, resample, encode) and as a cache hit
// (header pass and hash only).
func BenchmarkResize(b *testing.B) {
	fsys := mapFS("photo.jpg", bigJPEG())
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		r := NewResizer(Config{CacheBytes: -1})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Resize(ctx, fsys, "photo.jpg", 640, DefaultQuality); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		r := NewResizer(Config{})
		if _, err := r.Resize(ctx, fsys, "photo.jpg", 640, DefaultQuality); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Resize(ctx, fsys, "photo.jpg", 640, DefaultQuality); err != nil {
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
		r.Resize(context.Background(), fsys, "bomb.png", 640, DefaultQuality)
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
