// Package images owns decoding, bounding and resizing local images to the
// allowed widths, for the /_img/{site path}?w=&q= route (DESIGN §5).
//
// What goes in is an [fs.FS] and a slash-separated name in it, plus plain
// numbers that the HTTP layer has parsed; what comes out is an [Image]
// (bytes, content type, size, strong ETag) or an error wrapping one of
// [ErrBadRequest], [ErrNotFound], [ErrTooLarge], [ErrNotRaster] and
// [ErrUnsupported], which the caller maps to a status. The package knows
// nothing of HTTP, and imports nothing else from this repository.
//
//   - [Inspect] reads a file's header and hash: size, format, no pixels.
//   - [Resizer.Resize] makes a resized copy, bounded and cached.
//   - [Placeholder] makes a tiny blurred data: URL to inline.
//   - [Srcset] writes the srcset attribute over [Widths].
//
// # Rules
//
// Only local files are read: a name is a clean relative path (no "..", no
// leading slash, no backslash, no colon, so never a URL), looked up in the
// FS given. Callers pass os.DirFS(dir) or an embed.FS; where the FS can
// report symbolic links ([fs.ReadLinkFS], which os.DirFS implements), a
// name through one is refused, since os.DirFS would follow it anywhere on
// the machine. The FS of an [os.Root] also closes the race between that
// check and the open.
//
// Limits come before work. A file over MaxFileBytes is refused from its
// size; an image whose header declares more than MaxPixels pixels (or a
// side over 65,536) is refused from its header, before any pixel memory is
// allocated, so a 50,000×50,000 PNG bomb costs about 8 µs and 35 KB.
// Decoding and resizing run under a semaphore of Concurrency slots; callers
// wait for a slot or for their context.
//
// SVG is never rasterized: [Inspect] reads its size from the root element
// (width and height, or the viewBox), and [Resizer.Resize] answers
// [ErrNotRaster] so that the caller serves the file as it is.
//
// Output never enlarges, keeps the aspect ratio, shows a JPEG upright as
// its EXIF orientation says (browsers do so for the original, and the tag
// does not survive re-encoding), and takes the first frame of a GIF. It is
// byte-for-byte the same for the same input, so its ETag, a hash of the
// bytes, is strong.
//
// # Formats
//
// [Resizer.Resize] is asked for a [Format]. [Universal] is what every
// browser reads: JPEG at the requested quality for an opaque image, PNG at
// best compression for one with any transparent pixel. [WebP] is lossy WebP
// at the same quality number, with alpha kept losslessly; the HTTP layer
// asks for it when the client's Accept names image/webp. The variants of
// one image are at most widths × qualities × 2 formats: 5 × 3 × 2 = 30.
//
// The encoder is libwebp compiled to WebAssembly and run by wazero
// (github.com/gen2brain/webp), so CGO_ENABLED=0 builds keep working. It was
// chosen by measurement (December 2026, BenchmarkEncode and
// BenchmarkEncoderStart; figures in docs/performance.md, "Image formats"):
//
//   - WebP at libwebp's method 2 made 36–75 % smaller files than JPEG q75
//     and 74–89 % smaller than PNG, taking 5–10 times JPEG's encode time
//     (a cold resize to 640 pixels 1.3 times as long, to 1920 2.7 times)
//     but less than PNG's. Results are cached, and a versioned URL is
//     cached downstream for a year, so each variant is made about once.
//   - Its memory is the wasm module's, a Go slice that grows by appending:
//     up to 28 bytes a pixel opaque and 96 with alpha ([webpCost]), counted
//     in the resize budget like decoded pixels. A WebP that would take a
//     resize over MaxDecodeBytes (an image with alpha of more than about
//     1.2 million pixels at the width asked for) is made as JPEG or PNG
//     instead, so no image that resizes today is refused for a WebP client.
//   - The first WebP encode of a process compiles the module: 0.3 s, 37 MB
//     allocated once ([webpStartBytes] in the budget), 6–7 MB resident
//     afterwards. The binary grows by 4.0 MB (13.6 %).
//   - AVIF (github.com/gen2brain/avif, libavif and aom in wazero) was left
//     out: at its fastest speed it took 2–8 times as long as WebP, needed
//     146 MB of heap at 1280 pixels and 338 MB at 1920, over the 128 MiB
//     one resize may take, and at quality 75 made larger files than WebP on
//     every image measured. Its first call compiles for 1.6 s, allocates
//     104 MB and leaves 17 MB resident; it would add 1.2 MB more to the
//     binary. The benchmark keeps it measured, for when that changes.
//
// gen2brain/webp would use a system libwebp.so through purego in a
// dynamically linked binary that finds one; the Makefile and the container
// build with CGO_ENABLED=0, a static binary, where it always runs the wasm
// module. Either way the output of one build is the same for the same
// input, so the ETag stays strong.
//
// # Resampling
//
// The filter is x/image/draw's Catmull-Rom kernel, widened when shrinking
// so that no source pixel is skipped, which keeps text in screenshots
// sharp and free of aliasing. It is not applied through draw.Kernel.Scale,
// whose float64 buffer of output width × source height costs 34 MB for a
// 640-pixel copy of a 2400×1600 photo and 98 MB for a 1920-pixel one, but
// by a streaming resampler here that keeps a few rows in float32 and, for
// JPEG, filters the Y, Cb and Cr planes as they are stored. Its output is
// within one level of draw.CatmullRom (three at chroma edges). Figures for
// the 2400×1600 JPEG of the benchmarks (go test -bench . ./internal/images)
// on the 2-core AMD EPYC dev machine, which was shared with other builds:
// the ratios held from run to run, the times varied by up to half.
//
//	step                              time      allocated
//	jpeg.Decode                       71 ms     5.8 MB
//	resample to 640 (this package)    25 ms     1.4 MB
//	draw.CatmullRom.Scale to 640      119 ms    34 MB
//	draw.ApproxBiLinear.Scale to 640  7.6 ms    1.1 MB    aliases: 4 samples a pixel
//	resample to 1920                  63 ms     10 MB     9.8 MB of it the output
//	draw.CatmullRom.Scale to 1920     220 ms    109 MB
//	jpeg.Encode of the 640, q75       5.2 ms    66 KB
//	Resize to 640, cold               115 ms    8.7 MB
//	Resize to 640, cache hit          0.8 ms    112 KB
//	Resize of a 50,000² PNG header    8 µs      35 KB     refused
//
// Decoding dominates; ApproxBiLinear would save under a fifth of a cold
// resize and alias fine detail such as text. A cache hit still reads and
// hashes the file (the header pass), so that an edited image is never
// served stale; the HTTP layer's ETag and Cache-Control spare most of them.
//
// # Cache
//
// Results live in an LRU bounded by CacheBytes (bodies plus a fixed
// overhead per entry), keyed by name, content hash, width and quality.
// Concurrent requests for the same key share one resize
// (golang.org/x/sync/singleflight); if the caller doing the work gives up,
// a caller still waiting takes over.
package images
