package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
)

// Widths are the output widths, in pixels, that [Resizer.Resize] accepts,
// in increasing order. A fixed list keeps the number of variants per image,
// and so the cache and the work an attacker can ask for, small.
var Widths = []int{320, 640, 960, 1280, 1920}

// Qualities are the JPEG qualities, on image/jpeg's 1–100 scale, that
// [Resizer.Resize] accepts: a handful, so that the variants of one image are
// few and known (widths × qualities), whatever URLs a client makes up.
var Qualities = []int{50, 75, 90}

// DefaultQuality is the quality of a URL that names none.
const DefaultQuality = 75

// Format is the encoding [Resizer.Resize] is asked for.
type Format uint8

// The output formats. Every resized image exists in at most these two, so
// the variants of one image are at most len(Widths) × len(Qualities) × 2.
const (
	// Universal is what every browser reads: JPEG for an opaque image, PNG
	// for one with any transparent pixel.
	Universal Format = iota
	// WebP is lossy WebP, with alpha when the image has any; Resize falls
	// back to Universal when the WebP encoder would need more memory than
	// one resize may take.
	WebP
)

// String returns "universal" or "webp".
func (f Format) String() string {
	if f == WebP {
		return "webp"
	}
	return "universal"
}

// Default limits, used by [NewResizer] for zero fields of [Config] and by
// [Inspect] and [Placeholder].
const (
	DefaultMaxPixels    = 40_000_000 // 40 MP, e.g. 8000×5000
	DefaultMaxFileBytes = 20 << 20   // 20 MiB
	DefaultCacheBytes   = 64 << 20   // 64 MiB
	// DefaultMaxDecodeBytes bounds the memory one resize may need
	// ([decodeCost]): a 32 MP 8-bit photo, or a 16 MP 16-bit PNG.
	DefaultMaxDecodeBytes = 128 << 20
	// DefaultMemoryBytes is the memory all resizes in flight share.
	DefaultMemoryBytes = 256 << 20
)

// Errors that callers map to responses. Every error returned by this package
// for one of these situations wraps the matching value, so test with
// [errors.Is].
var (
	// ErrBadRequest reports a width, quality or name that is not allowed:
	// the request is wrong whatever the files are (HTTP 400).
	ErrBadRequest = errors.New("bad image request")
	// ErrNotFound reports a missing file, a directory, or a path through a
	// symbolic link (HTTP 404).
	ErrNotFound = errors.New("image not found")
	// ErrTooLarge reports a file over the byte limit or an image over the
	// pixel limit (HTTP 413 or 422).
	ErrTooLarge = errors.New("image too large")
	// ErrNotRaster reports an SVG image, which is never rasterized: callers
	// serve the file as it is.
	ErrNotRaster = errors.New("not a raster image")
	// ErrBusy reports that the memory shared by resizes stayed spent for
	// longer than a request should wait: try again shortly (HTTP 503).
	ErrBusy = errors.New("image resizing busy")
	// ErrUnsupported reports a file that is not a PNG, JPEG, GIF or SVG
	// image, or whose header or pixels are malformed (HTTP 415 or 422).
	ErrUnsupported = errors.New("unsupported or malformed image")
)

// Source formats, as reported in [Source.Format].
const (
	formatPNG  = "png"
	formatJPEG = "jpeg"
	formatGIF  = "gif"
	formatSVG  = "svg"
)

// Source describes an image file without decoding its pixels.
type Source struct {
	// Width and Height are the size in pixels as the image is displayed:
	// for a JPEG whose EXIF orientation turns it by 90°, they are swapped
	// from the stored size. For an SVG they come from the width and height
	// attributes or the viewBox, and are 0 when it has neither.
	Width, Height int
	// Format is "png", "jpeg", "gif" or "svg".
	Format string
	// Hash is the first 16 hex digits of the SHA-256 of the file's bytes.
	Hash string
}

// headLen is how much of a file is read into memory to parse its header;
// the rest is streamed through the hash. 64 KiB holds any JPEG APP1 (EXIF)
// segment that starts near the top of the file.
const headLen = 64 << 10

// header is what scan learns from a file.
type header struct {
	Source
	orientation int   // EXIF orientation, 1–8; 1 for everything but some JPEGs
	depth       int   // bytes per pixel of the decoded image
	alpha       bool  // whether the pixels may hold transparency (mayBeTransparent)
	size        int64 // bytes in the file
}

// Inspect reads the image name in fsys and reports its size, format and
// content hash. It parses only the header (no pixels are decoded, and an
// SVG is never rasterized) and streams the rest of the file through the
// hash, so it is cheap even for large images. It refuses files over
// [DefaultMaxFileBytes] with [ErrTooLarge], but does not apply a pixel
// limit: it only reports the size.
//
// The name rules are those of [Resizer.Resize].
func Inspect(fsys fs.FS, name string) (Source, error) {
	h, err := scan(fsys, name, DefaultMaxFileBytes)
	return h.Source, err
}

// scan implements [Inspect] with a byte limit.
func scan(fsys fs.FS, name string, maxBytes int64) (header, error) {
	f, size, err := open(fsys, name, maxBytes)
	if err != nil {
		return header{}, err
	}
	defer f.Close()

	// The size from Stat only sizes the first buffer; the limit is enforced
	// on the bytes actually read, in case the file grows or the FS lies.
	n := int64(headLen)
	if size > 0 && size < n {
		n = size
	}
	lr := &io.LimitedReader{R: f, N: maxBytes + 1}
	buf := make([]byte, n)
	k, err := io.ReadFull(lr, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return header{}, fmt.Errorf("images: read %s: %w", name, err)
	}
	head := buf[:k]
	sum := sha256.New()
	sum.Write(head)
	// Whatever the header parser reads past head goes through the hash too,
	// so that hashing the rest can carry on from where the parser stopped.
	r := io.MultiReader(bytes.NewReader(head), io.TeeReader(lr, sum))

	hd, err := parseHeader(name, head, r)
	if err != nil {
		return header{}, err
	}
	if _, err := io.Copy(sum, lr); err != nil {
		return header{}, fmt.Errorf("images: read %s: %w", name, err)
	}
	if lr.N <= 0 {
		return header{}, tooManyBytes(name, maxBytes)
	}
	hd.Hash = shortHash(sum)
	hd.size = maxBytes + 1 - lr.N
	return hd, nil
}

// parseHeader reads the format and size of an image from r, whose first
// bytes are head.
func parseHeader(name string, head []byte, r io.Reader) (header, error) {
	hd := header{orientation: 1}
	hd.Format = sniff(head)
	switch hd.Format {
	case formatSVG:
		if bytes.HasPrefix(head, []byte(utf8BOM)) { // which encoding/xml does not skip
			io.CopyN(io.Discard, r, int64(len(utf8BOM)))
		}
		w, h, err := svgSize(io.LimitReader(r, svgHeadLimit))
		if err != nil {
			return header{}, fmt.Errorf("images: %s: %w: %w", name, ErrUnsupported, err)
		}
		hd.Width, hd.Height = w, h
		return hd, nil
	case "":
		return header{}, fmt.Errorf("images: %s: %w: not a png, jpeg, gif or svg file", name, ErrUnsupported)
	}
	cfg, err := decodeConfig(hd.Format, r)
	if err != nil {
		return header{}, fmt.Errorf("images: %s: %w: %w", name, ErrUnsupported, err)
	}
	hd.Width, hd.Height = cfg.Width, cfg.Height
	hd.depth = bytesPerPixel(hd.Format, cfg.ColorModel)
	hd.alpha = mayBeTransparent(hd.Format, cfg.ColorModel)
	if hd.Format == formatJPEG {
		hd.orientation = jpegOrientation(head)
		if hd.orientation >= 5 {
			hd.Width, hd.Height = hd.Height, hd.Width
		}
	}
	return hd, nil
}

// bytesPerPixel is what one pixel of an image costs in memory while it is
// decoded, by the image type the standard decoders return for its colour
// model. A 16-bit PNG costs twice an 8-bit one; a JPEG is counted at 9
// bytes, since a progressive one keeps 16-bit coefficients for every sample
// beside its YCbCr planes; a GIF frame may be drawn onto an RGBA canvas.
func bytesPerPixel(format string, m color.Model) int {
	switch {
	case format == formatGIF:
		return 1 + 4
	case format == formatJPEG && m == color.GrayModel:
		return 1 + 2
	case format == formatJPEG:
		return 9
	}
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	default: // RGBA, NRGBA, paletted (converted for the resampler)
		return 4
	}
}

// mayBeTransparent reports whether an image whose header gives the colour
// model m may have transparent pixels: a JPEG never, a PNG without an alpha
// channel or transparent palette entry not from its header (a tRNS chunk
// on a truecolour or grey PNG comes after what DecodeConfig reads; see
// transform), a GIF always, since its transparent index is in the frame.
func mayBeTransparent(format string, m color.Model) bool {
	switch {
	case format == formatJPEG:
		return false
	case format == formatGIF:
		return true
	}
	switch m := m.(type) {
	case color.Palette:
		for _, c := range m {
			if _, _, _, a := c.RGBA(); a != 0xffff {
				return true
			}
		}
		return false
	}
	switch m {
	case color.GrayModel, color.Gray16Model, color.RGBAModel, color.RGBA64Model:
		return false
	}
	return true
}

// decodeConfig calls the header decoder of format directly rather than
// through image.DecodeConfig, so that formats registered by other packages
// (WebP, BMP…) are never accepted by accident.
func decodeConfig(format string, r io.Reader) (image.Config, error) {
	var cfg image.Config
	var err error
	switch format {
	case formatPNG:
		cfg, err = png.DecodeConfig(r)
	case formatJPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case formatGIF:
		cfg, err = gif.DecodeConfig(r)
	default:
		return cfg, fmt.Errorf("no raster decoder for %q", format)
	}
	if err == nil && (cfg.Width <= 0 || cfg.Height <= 0) {
		err = fmt.Errorf("empty image %dx%d", cfg.Width, cfg.Height)
	}
	return cfg, err
}

// sniff names the format of a file from its first bytes, or returns "".
// An "svg" answer is only a candidate: svgSize confirms it by finding an
// <svg> root element.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return formatJPEG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return formatGIF
	}
	t := bytes.TrimPrefix(head, []byte(utf8BOM))
	t = bytes.TrimLeft(t, " \t\r\n")
	if len(t) > 0 && t[0] == '<' {
		return formatSVG
	}
	return ""
}

const utf8BOM = "\xef\xbb\xbf"

// maxSide bounds each side of an image that is decoded, whatever its area:
// the resampler keeps 16 bytes of weights per source column and row, so a
// 40,000,000×1 strip, within the pixel limit, would cost 640 MB. Every
// JPEG and GIF is within it; a PNG panorama of 65,536 pixels is too.
const maxSide = 1 << 16

// checkPixels refuses an image whose header claims more than maxPixels
// pixels, or a side over maxSide, before anything is allocated for them.
func checkPixels(name string, w, h int, maxPixels int64) error {
	if int64(w)*int64(h) > maxPixels || w > maxSide || h > maxSide {
		return fmt.Errorf("images: %s: %w: %dx%d pixels, limit %d and %d a side", name, ErrTooLarge, w, h, maxPixels, maxSide)
	}
	return nil
}

func tooManyBytes(name string, maxBytes int64) error {
	return fmt.Errorf("images: %s: %w: over %d bytes", name, ErrTooLarge, maxBytes)
}

// shortHash returns the first 16 hex digits of h's sum.
func shortHash(h hash.Hash) string {
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// hashBytes is shortHash over b.
func hashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}
