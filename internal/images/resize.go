package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"
)

// Config holds the limits of a [Resizer]. A zero field takes its default.
type Config struct {
	// MaxPixels is the largest width×height decoded; larger images are
	// refused with [ErrTooLarge] from their header alone. Default
	// [DefaultMaxPixels].
	MaxPixels int64
	// MaxFileBytes is the largest file read. Default [DefaultMaxFileBytes].
	MaxFileBytes int64
	// Concurrency is how many images are decoded and resized at once; more
	// requests wait their turn or their context. Default GOMAXPROCS.
	Concurrency int
	// CacheBytes bounds the memory held by cached results. Default
	// [DefaultCacheBytes]; a negative value disables the cache.
	CacheBytes int64
	// MaxDecodeBytes is the most memory one resize may need, counted from
	// the header before any pixel is decoded ([decodeCost]); larger images
	// are refused with [ErrTooLarge]. Default [DefaultMaxDecodeBytes].
	MaxDecodeBytes int64
	// MemoryBytes is the memory that all resizes in flight share; a resize
	// waits until twice its cost is free (the garbage collector's
	// headroom). Default [DefaultMemoryBytes], and never less than
	// MaxDecodeBytes.
	MemoryBytes int64
	// MemoryWait is how long a resize waits for memory before it gives up
	// with [ErrBusy]. Default one second.
	MemoryWait time.Duration
}

// Image is a resized, encoded image. Images are shared between callers and
// with the cache: never modify one.
type Image struct {
	// Body is the encoded image.
	Body []byte
	// ContentType is "image/jpeg", "image/png" or "image/webp".
	ContentType string
	// Width and Height are the size of Body in pixels.
	Width, Height int
	// ETag is a strong entity tag for Body, quoted: the same bytes always
	// get the same tag.
	ETag string
	// SourceHash is [Source.Hash] of the file Body was made from.
	SourceHash string
}

// Stats are counters of a [Resizer], for metrics and tests.
type Stats struct {
	// Resizes counts images decoded, resized and encoded.
	Resizes int64
	// Hits counts calls answered from the cache; Misses counts the others
	// that got as far as looking.
	Hits, Misses int64
	// CacheEntries and CacheBytes are the cache's current size.
	CacheEntries int
	CacheBytes   int64
}

// Resizer makes resized copies of images, bounded in size, in concurrency
// and in cached memory. It is safe for concurrent use.
type Resizer struct {
	cfg    Config
	sem    *semaphore.Weighted // decodes at once
	memory *semaphore.Weighted // bytes of decodes in flight
	flight singleflight.Group
	cache  *lru

	resizes, hits, misses atomic.Int64
	// webpStarted is set once a WebP encode has finished: the first one in
	// a process also compiles libwebp's wasm module ([webpStartBytes]).
	webpStarted atomic.Bool
}

// NewResizer returns a Resizer with the limits of cfg.
func NewResizer(cfg Config) *Resizer {
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = DefaultMaxFileBytes
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.GOMAXPROCS(0)
	}
	if cfg.MaxDecodeBytes <= 0 {
		cfg.MaxDecodeBytes = DefaultMaxDecodeBytes
	}
	if cfg.MemoryBytes <= 0 {
		cfg.MemoryBytes = DefaultMemoryBytes
	}
	cfg.MemoryBytes = max(cfg.MemoryBytes, cfg.MaxDecodeBytes)
	if cfg.MemoryWait <= 0 {
		cfg.MemoryWait = time.Second
	}
	switch {
	case cfg.CacheBytes == 0:
		cfg.CacheBytes = DefaultCacheBytes
	case cfg.CacheBytes < 0:
		cfg.CacheBytes = 0
	}
	return &Resizer{
		cfg:    cfg,
		sem:    semaphore.NewWeighted(int64(cfg.Concurrency)),
		memory: semaphore.NewWeighted(cfg.MemoryBytes),
		cache:  newLRU(cfg.CacheBytes),
	}
}

// Stats returns the counters of r.
func (r *Resizer) Stats() Stats {
	n, size := r.cache.size()
	return Stats{
		Resizes:      r.resizes.Load(),
		Hits:         r.hits.Load(),
		Misses:       r.misses.Load(),
		CacheEntries: n,
		CacheBytes:   size,
	}
}

// Resize returns the image name in fsys scaled to width pixels wide,
// keeping its aspect ratio, and encoded in format at quality. It never
// enlarges: a source narrower than width comes back at its own width,
// re-encoded.
//
// The rules, in the order they are checked:
//   - width must be one of [Widths] and quality one of [Qualities], else
//     [ErrBadRequest];
//   - name must be a clean slash-separated path relative to fsys, without
//     "..", backslash or colon, so never a URL, else [ErrBadRequest];
//   - no element of name may be a symbolic link (checked where fsys
//     implements [fs.ReadLinkFS], as os.DirFS does), and the file must
//     exist and be a regular file, else [ErrNotFound];
//   - the file must hold at most MaxFileBytes bytes and its header declare
//     at most MaxPixels pixels and 65,536 a side, else [ErrTooLarge], before
//     any pixel memory is allocated;
//   - an SVG gives [ErrNotRaster]; anything but PNG, JPEG and GIF
//     [ErrUnsupported];
//   - the memory the resize needs, from the header ([decodeCost]), must
//     be at most MaxDecodeBytes, else [ErrTooLarge]; it is taken from the
//     MemoryBytes all resizes share, and if that stays spent for MemoryWait
//     the call gives up with [ErrBusy]. A WebP whose encoder would take the
//     resize over MaxDecodeBytes is made in the Universal format instead.
//
// In the Universal format an opaque image is encoded as JPEG, one with any
// transparent pixel as PNG; in WebP both are lossy WebP, the second with
// alpha. A GIF gives its first frame; a JPEG is turned upright as its EXIF
// orientation says. The same file and arguments always give the same bytes.
//
// Results are cached by name, content hash, width, quality and format, so
// an edited file is resized anew. Concurrent calls for the same result share one
// resize. Waiting for a free slot ends when ctx is done.
func (r *Resizer) Resize(ctx context.Context, fsys fs.FS, name string, width, quality int, format Format) (*Image, error) {
	if !slices.Contains(Widths, width) {
		return nil, fmt.Errorf("images: %w: width %d is not one of %v", ErrBadRequest, width, Widths)
	}
	if !slices.Contains(Qualities, quality) {
		return nil, fmt.Errorf("images: %w: quality %d is not one of %v", ErrBadRequest, quality, Qualities)
	}
	// The header pass hashes the file for the cache key and refuses bombs
	// and SVG before any slot is taken or pixel memory allocated.
	hd, err := scan(fsys, name, r.cfg.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	if hd.Format == formatSVG {
		return nil, fmt.Errorf("images: %s: %w", name, ErrNotRaster)
	}
	if err := checkPixels(name, hd.Width, hd.Height, r.cfg.MaxPixels); err != nil {
		return nil, err
	}
	if format == WebP && decodeCost(hd, width, WebP) > r.cfg.MaxDecodeBytes {
		format = Universal
	}
	cost := decodeCost(hd, width, format)
	if cost > r.cfg.MaxDecodeBytes {
		return nil, fmt.Errorf("images: %s: %w: decoding %dx%d pixels at %d bytes each needs %d MiB, limit %d MiB",
			name, ErrTooLarge, hd.Width, hd.Height, hd.depth, cost>>20, r.cfg.MaxDecodeBytes>>20)
	}
	key := cacheKey(name, hd.Hash, width, quality, format)
	if img, ok := r.cache.get(key); ok {
		r.hits.Add(1)
		return img, nil
	}
	r.misses.Add(1)
	for {
		ch := r.flight.DoChan(key, func() (any, error) {
			// A call that looked at the cache just before another stored
			// the result must not resize again.
			if img, ok := r.cache.get(key); ok {
				return img, nil
			}
			return r.render(ctx, fsys, name, width, quality, format, cost)
		})
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("images: resize %s: %w", name, context.Cause(ctx))
		case res := <-ch:
			if res.Err != nil {
				// The call that did the work was cancelled by its own
				// caller: while this caller still waits, try again.
				if isContextError(res.Err) && ctx.Err() == nil {
					continue
				}
				return nil, res.Err
			}
			return res.Val.(*Image), nil
		}
	}
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// cacheKey joins the parts of a key with a byte that cannot appear in a
// valid name.
func cacheKey(name, hash string, width, quality int, format Format) string {
	return name + "\x00" + hash + "\x00" + strconv.Itoa(width) + "\x00" + strconv.Itoa(quality) + "\x00" + format.String()
}

// decodeCost is the memory a resize of the image hd describes to width in
// format needs, from its header alone: the file, the decoded pixels at
// their own depth, the RGBA output and, for WebP, the encoder's memory
// ([webpCost]).
func decodeCost(hd header, width int, format Format) int64 {
	w := min(width, hd.Width)
	h := scaledHeight(hd.Width, hd.Height, w)
	c := hd.size + int64(hd.Width)*int64(hd.Height)*int64(hd.depth) + int64(w)*int64(h)*4
	if format == WebP {
		c += webpCost(w, h, hd.alpha)
	}
	return c
}

// render does the work of one Resize while holding a slot and its share of
// the memory.
func (r *Resizer) render(ctx context.Context, fsys fs.FS, name string, width, quality int, format Format, cost int64) (*Image, error) {
	// What a decode takes from the shared budget is twice its cost: the
	// collector lets the heap grow to twice what it last saw live
	// (GOGC=100), so the pixels of a finished decode still occupy memory
	// while the next one fills its own. Measured with
	// scripts/image-flood.sh (twenty requests for a 122 MB decode, budget
	// 256 MiB): peak RSS 484–500 MB counting the cost once, 308 MB
	// counting it twice (docs/reliability.md).
	held := 2 * cost
	if format == WebP && !r.webpStarted.Load() {
		held += webpStartBytes // once per process; concurrent first calls each count it
	}
	held = min(held, r.cfg.MemoryBytes)
	mctx, cancel := context.WithTimeout(ctx, r.cfg.MemoryWait)
	err := r.memory.Acquire(mctx, held)
	cancel()
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("images: resize %s: %w", name, context.Cause(ctx))
	case err != nil:
		return nil, fmt.Errorf("images: resize %s: %w: %d MiB of decoding memory in use", name, ErrBusy, r.cfg.MemoryBytes>>20)
	}
	defer r.memory.Release(held)
	if cost >= 32<<20 {
		// Collect a large decode's garbage before its share is released
		// (defers run last first), so the next one starts on a clean heap:
		// peak RSS 308 → 261 MB in the measurement above, for one full
		// collection per large resize (results are cached, so this is rare).
		defer debug.FreeOSMemory()
	}
	if err := r.sem.Acquire(ctx, 1); err != nil {
		return nil, fmt.Errorf("images: resize %s: wait for a free slot: %w", name, err)
	}
	defer r.sem.Release(1)
	// The file is read again rather than kept from the header pass, so
	// that waiting calls hold no file in memory; should it have changed in
	// between, the new content is decoded, bounded and cached under its own
	// hash.
	data, err := readFile(fsys, name, r.cfg.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	img, err := transform(name, data, r.cfg.MaxPixels, width, quality, format)
	if err != nil {
		return nil, err
	}
	if img.ContentType == "image/webp" {
		r.webpStarted.Store(true)
	}
	r.resizes.Add(1)
	r.cache.add(cacheKey(name, img.SourceHash, width, quality, format), img)
	return img, nil
}

// transform decodes data, scales it to at most width pixels wide and
// encodes it in format.
func transform(name string, data []byte, maxPixels int64, width, quality int, format Format) (*Image, error) {
	src, hd, err := decode(name, data, maxPixels)
	if err != nil {
		return nil, err
	}
	w := min(width, hd.Width)
	h := scaledHeight(hd.Width, hd.Height, w)
	m := scale(src, hd.orientation, w, h)

	var buf bytes.Buffer
	img := &Image{Width: w, Height: h, SourceHash: hashBytes(data)}
	opaque := isOpaque(src)
	switch {
	case format == WebP && (opaque || hd.alpha):
		// A transparent image whose header promised none (a tRNS chunk
		// after what DecodeConfig reads) was budgeted as an opaque WebP,
		// which costs a quarter of one with alpha: it gets PNG.
		img.ContentType = "image/webp"
		err = encodeWebP(&buf, m, opaque, quality)
	case opaque:
		img.ContentType = "image/jpeg"
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality})
	default:
		img.ContentType = "image/png"
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&buf, m)
	}
	if err != nil {
		return nil, fmt.Errorf("images: encode %s: %w", name, err)
	}
	img.Body = buf.Bytes()
	img.ETag = `"` + hashBytes(img.Body) + `"`
	return img, nil
}

// decode checks data's header against maxPixels and only then decodes its
// pixels. The returned header has the displayed (oriented) size.
func decode(name string, data []byte, maxPixels int64) (image.Image, header, error) {
	hd, err := parseHeader(name, data, bytes.NewReader(data))
	if err != nil {
		return nil, header{}, err
	}
	if hd.Format == formatSVG {
		return nil, header{}, fmt.Errorf("images: %s: %w", name, ErrNotRaster)
	}
	if err := checkPixels(name, hd.Width, hd.Height, maxPixels); err != nil {
		return nil, header{}, err
	}
	var m image.Image
	switch hd.Format {
	case formatPNG:
		m, err = png.Decode(bytes.NewReader(data))
	case formatJPEG:
		m, err = jpeg.Decode(bytes.NewReader(data))
	case formatGIF:
		m, err = decodeGIF(data)
	}
	if err != nil {
		return nil, header{}, fmt.Errorf("images: %s: %w: %w", name, ErrUnsupported, err)
	}
	return m, hd, nil
}

// decodeGIF returns the first frame of a GIF on its full logical screen:
// a first frame may cover only part of it, the rest being transparent.
func decodeGIF(data []byte) (image.Image, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	m, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if m.Bounds() == screen {
		return m, nil
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, m.Bounds(), m, m.Bounds().Min, draw.Src)
	return canvas, nil
}

// scaledHeight keeps the aspect ratio of a w0×h0 image at width w,
// rounding to the nearest pixel and never below one.
func scaledHeight(w0, h0, w int) int {
	return max(1, int((int64(h0)*int64(w)+int64(w0)/2)/int64(w0)))
}

// scale resamples src, stored in orientation o, to a w×h upright image.
func scale(src image.Image, o, w, h int) *image.RGBA {
	if o >= 5 {
		return orient(resample(src, h, w), o)
	}
	return orient(resample(src, w, h), o)
}

// isOpaque reports whether every pixel of m is opaque. Every image type the
// decoders return has an Opaque method, which looks only at the pixels (or
// palette entries) in use.
func isOpaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
