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
// Opaque images are encoded as JPEG at the requested quality; images with
// any transparent pixel as PNG at best compression. WebP and AVIF were
// considered and left out (November 2026): golang.org/x/image/webp only
// decodes, and no encoder in the module proxy is both pure Go and well
// kept.
//
//   - github.com/gen2brain/webp and github.com/gen2brain/avif run libwebp
//     and libavif compiled to WebAssembly inside the wazero runtime (or a
//     shared library through purego): not Go code, a large dependency,
//     slower than native, and at least one project has replaced it for its
//     CPU and memory cost.
//   - github.com/HugoSmits86/nativewebp is pure Go but lossless only, which
//     gains nothing over JPEG for photos; the proxy here lists only v0.9.3.
//   - The pure-Go lossy encoders found (deepteams/webp, linzeyan/webp-go,
//     knoweather/simple-webp) are 2026 releases by single authors with no
//     recorded importers, and the proxy refuses deepteams/webp. A VP8
//     encoder is a lot of young code to run on every image.
//
// Every browser reads JPEG and PNG, so no Accept negotiation (and no Vary)
// is needed either. To revisit when one of them has a track record.
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
