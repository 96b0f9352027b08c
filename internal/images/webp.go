package images

import (
	"image"
	"image/draw"
	"io"

	"github.com/gen2brain/webp"
)

// webpMethod is libwebp's speed/size trade-off (0 fastest, 6 smallest).
// In BenchmarkEncode its default, 4, took 1.1–6.2 times as long as 2 for at
// most 6 % fewer bytes; 0 took a quarter to three quarters of the time of 2
// but made the site's own image 23–40 % larger (docs/performance.md,
// "Image formats").
const webpMethod = 2

// encodeWebP writes m as a lossy WebP at quality, on libwebp's 0–100
// scale. Alpha is kept: libwebp stores it losslessly beside the lossy
// colour.
//
// libwebp runs as WebAssembly inside wazero (github.com/gen2brain/webp), so
// a build with CGO_ENABLED=0 keeps working; the first call in a process
// compiles the module (0.3 s and 37 MB allocated, once). Every call
// instantiates the module afresh, so its memory, a Go byte slice that grows
// as libwebp allocates, is garbage when the call returns ([webpCost]).
func encodeWebP(w io.Writer, m *image.RGBA, opaque bool, quality int) error {
	var src image.Image = m
	if !opaque {
		// libwebp imports straight alpha; m is premultiplied.
		n := image.NewNRGBA(m.Rect)
		draw.Draw(n, n.Rect, m, m.Rect.Min, draw.Src)
		src = n
	}
	return webp.Encode(w, src, webp.Options{Quality: quality, Method: webpMethod})
}

// webpCost is the memory, beyond its input, that encoding a w×h image as
// WebP takes, with or without alpha: the wasm module's memory, which holds
// a copy of the pixels, libwebp's planes, work buffers and output, and
// which grows by appending (the old and the new buffer live at once while
// it grows), plus the straight-alpha copy. The peak growth of the heap
// measured in BenchmarkEncode (peak-B) was 14–32 bytes a pixel for opaque
// images (the most for small ones, whose module memory is mostly its
// start-up size; up to 26 at 1920 pixels when a collection came late) and
// 55–95 with alpha, whose plane libwebp compresses losslessly; 2 MiB and
// 28 or 96 bytes a pixel cover both (TestWebPCostCoversTheEncoder).
func webpCost(w, h int, alpha bool) int64 {
	perPixel := int64(28)
	if alpha {
		perPixel = 96
	}
	return 2<<20 + perPixel*int64(w)*int64(h)
}

// webpStartBytes is what the first WebP encode of a process allocates to
// compile the module, 37 MB measured (BenchmarkEncoderStart), of which
// about 6 MB stay resident.
const webpStartBytes = 40 << 20
