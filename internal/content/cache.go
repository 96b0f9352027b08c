package content

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/renderwise/renderwise/internal/markdown"
)

// Cache keeps parsed articles between loads, as bytes under keys that this
// package makes and reads; to the cache both are opaque. It must be safe for
// concurrent use: a load asks for many files at once.
type Cache interface {
	// Get returns the bytes put under key, if the cache has them. The
	// caller keeps them (an article's HTML shares their memory) and never
	// modifies them.
	Get(key string) ([]byte, bool)
	// Put stores b under key. The caller keeps b too and never modifies it;
	// the cache must not either.
	Put(key string, b []byte)
}

// LoadCached is [Load] with a cache of parsed articles: an article whose
// file has the same name and bytes as one in c is taken from c instead of
// being rendered again, and every article rendered is put in c. Everything
// that spans files — duplicate aliases, series order, links — is checked on
// every load, as by Load, and the Site is the same as Load's, field for field.
//
// # Keys
//
// An entry's key is a hash of the file's name and bytes, of [cacheFormat]
// and of the Go version and the versions of the modules that shape the
// rendered HTML (goldmark, its highlighting extension, chroma, yaml). An
// article also depends on the images it shows: their size and content hash
// go into its srcset. Those are not in the key — which images an article
// shows is only known once it is parsed — but in the entry: on a hit each
// image is inspected again, and if any differs the article is rendered again
// (and replaces the entry). Files shown by code components are the same: an
// entry lists each with a hash of its bytes, and on a hit each is read and
// hashed again. Files with errors are never cached; a file's own warnings
// (an unknown key, a stray shortcode) are kept in its entry and reported
// again on a hit.
//
// The key does not cover this module's own code (this package, the markdown
// package): bump [cacheFormat] when a change to either changes what an
// article holds, or key the cache itself by the code, as `renderwise build`
// does with internal/rendercode's hash of the rendering source.
func LoadCached(fsys fs.FS, c Cache) (*Site, error) { return LoadWith(fsys, Options{Cache: c}) }

// cacheFormat names the layout of an entry and what this module's code makes
// of a file; change it when either changes.
const cacheFormat = "renderwise-content-cache-5"

// rendererModules are the modules whose code decides an article's HTML and
// front matter, so whose versions are part of every key.
var rendererModules = []string{
	"github.com/yuin/goldmark",
	"github.com/yuin/goldmark-highlighting/v2",
	"github.com/alecthomas/chroma/v2",
	"github.com/dlclark/regexp2/v2",
	"github.com/microcosm-cc/bluemonday",
	"go.yaml.in/yaml/v3",
}

// rendererVersion is the Go version and the versions of [rendererModules]
// this binary was built with.
var rendererVersion = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var b strings.Builder
	b.WriteString(bi.GoVersion)
	for _, m := range bi.Deps {
		if !slices.Contains(rendererModules, m.Path) {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		b.WriteString(" " + m.Path + "@" + m.Version + "/" + m.Sum)
	}
	return b.String()
})

// cacheKey is the key of an entry: see [LoadCached]. The settings that
// change what a file renders to are part of it.
func cacheKey(file string, src []byte, opts parseOptions) string {
	var e encoder
	e.str(cacheFormat)
	e.str(rendererVersion())
	e.bool(opts.unsafeHTML)
	if opts.imageURL != nil { // the scheme of the URLs it writes into srcsets
		e.str(opts.imageURL("/", 1, "v"))
	}
	e.str(file)
	e.uint(uint64(len(src)))
	h := sha256.New()
	h.Write(e.b)
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))
}

// imageUse is what rendering an article learned of one image it shows.
type imageUse struct {
	dest string
	ok   bool
	img  markdown.Image
}

// includeUse is a file a code component of an article shows: its name in
// the content FS, a hash of its bytes, and its stamp when it was read (for
// [Article.includesUnchanged]; not stored in an entry).
type includeUse struct {
	name, sum string
	stamp     stamp
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// parseCached is parse, through c when c is not nil, giving the article its
// digest.
func parseCached(fsys fs.FS, file string, src []byte, c Cache, opts parseOptions) (*Article, []Problem) {
	info := imageInfo(fsys, opts.imageURL)
	key := cacheKey(file, src, opts)
	if c != nil {
		if b, ok := c.Get(key); ok {
			if a, uses, incs, err := decodeEntry(b, file); err == nil && imagesUnchanged(uses, info) {
				if a.includes, ok = includesUnchanged(fsys, incs); ok {
					a.digest = digestOf(key, uses, a.includes)
					return a, a.warnings
				}
			}
		}
	}
	var uses []imageUse
	var incs []includeUse
	a, probs := parseWith(file, src, func(dest string) (markdown.Image, bool) {
		img, ok := info(dest)
		if !slices.ContainsFunc(uses, func(u imageUse) bool { return u.dest == dest }) {
			uses = append(uses, imageUse{dest: dest, ok: ok, img: img})
		}
		return img, ok
	}, includer(fsys, file, &incs), opts)
	if a == nil {
		return nil, probs
	}
	a.includes = incs
	a.digest = digestOf(key, uses, incs)
	if c == nil || len(errorsOnly(probs)) > 0 {
		return a, probs
	}
	b, ok := encodeEntry(a, uses)
	if !ok {
		return a, probs
	}
	// The HTML is the entry's tail: share it rather than keep two copies
	// while the cache holds the entry (the full slice expression keeps an
	// append to one from writing into the other).
	a.HTML = b[len(b)-len(a.HTML) : len(b) : len(b)]
	c.Put(key, b)
	return a, probs
}

// Digest identifies what the article was made from: its file's name and
// bytes, what the images it shows were like (size, content hash), and the
// versions of the Markdown and YAML modules. Two articles with the same
// digest, made by the same build of the program, hold the same values in
// every field, so a digest stands for the whole article at the cost of a
// string compare. It does not cover this module's own code: whoever keeps
// digests across builds must also key them by the program, as
// `renderwise build` does with internal/rendercode's hash of its source.
func (a *Article) Digest() string { return a.digest }

// digestOf is the digest of an article with the given cache key that looked
// at the given images and included the given files.
func digestOf(key string, uses []imageUse, incs []includeUse) string {
	e := encoder{b: make([]byte, 0, 128)}
	e.str(key)
	encodeUses(&e, uses)
	encodeIncludes(&e, incs)
	sum := sha256.Sum256(e.b)
	return hex.EncodeToString(sum[:16])
}

// includesUnchanged reads the files a cached entry included again and
// reports whether each still has the bytes it had; it returns them with their
// stamps now.
func includesUnchanged(fsys fs.FS, incs []includeUse) ([]includeUse, bool) {
	if len(incs) == 0 {
		return nil, true
	}
	now := make([]includeUse, len(incs))
	for i, u := range incs {
		b, info, err := readInclude(fsys, u.name)
		if err != nil || sumOf(b) != u.sum {
			return nil, false
		}
		now[i] = includeUse{name: u.name, sum: u.sum, stamp: stamp{info.ModTime(), info.Size()}}
	}
	return now, true
}

// imagesUnchanged reports whether every image of a cached entry is still
// described as it was when the article was rendered.
func imagesUnchanged(uses []imageUse, info func(dest string) (markdown.Image, bool)) bool {
	for _, u := range uses {
		if img, ok := info(u.dest); ok != u.ok || img != u.img {
			return false
		}
	}
	return true
}

// encodeEntry lays out everything parse makes of a file — exported fields and
// unexported ones (key lines, links) — and the images it looked at, in a
// fixed order, the HTML last. A hand-written layout rather than encoding/gob:
// its bytes are the same in every process (the entries are part of an export,
// which is byte-identical between builds), and decoding one costs no type
// descriptions (gob sends and compiles them once per stream, so once per
// entry here). Path, File, stamp and digest are not stored: they follow from
// the file and the key. TestCacheEntryCoversEveryField fails when Article
// gains a field.
// encodeEntry reports false for an article it cannot lay out.
func encodeEntry(a *Article, uses []imageUse) ([]byte, bool) {
	e := encoder{b: make([]byte, 0, len(a.HTML)+1024)}
	fm := &a.FrontMatter
	e.str(fm.Title)
	e.str(fm.Description)
	e.time(fm.Date)
	e.time(fm.Updated)
	e.strs(fm.Tags)
	e.strs(fm.TagNames)
	e.strs(fm.Authors)
	e.str(fm.Series)
	e.int(int64(fm.Order))
	e.str(string(fm.Render))
	e.int(int64(fm.Revalidate))
	e.bool(fm.Draft)
	e.strs(fm.Aliases)
	e.str(fm.Image)
	e.strs(fm.CacheTags)
	e.count(len(fm.lines), fm.lines == nil)
	for _, k := range slices.Sorted(maps.Keys(fm.lines)) {
		e.str(k)
		e.int(int64(fm.lines[k]))
	}
	e.count(len(a.Headings), a.Headings == nil)
	for _, h := range a.Headings {
		e.int(int64(h.Level))
		e.str(h.ID)
		e.str(h.Text)
	}
	e.int(int64(a.Words))
	e.int(int64(a.ReadingMinutes))
	e.bool(a.HasCode)
	e.count(len(a.links), a.links == nil)
	for _, l := range a.links {
		e.str(l.Dest)
		e.int(int64(l.Line))
		e.bool(l.Image)
		e.str(l.Alt)
	}
	encodeUses(&e, uses)
	encodeIncludes(&e, a.includes)
	// Warnings (an unknown key, a stray shortcode) are the file's own, so
	// they are kept with it: content written elsewhere warns in every file,
	// and is still cached.
	e.uint(uint64(len(a.warnings)))
	for _, w := range a.warnings {
		e.int(int64(w.Line))
		e.str(w.Msg)
		e.bool(w.strict)
	}
	e.bytes(a.HTML)
	return e.b, !e.failed
}

func encodeUses(e *encoder, uses []imageUse) {
	e.uint(uint64(len(uses)))
	for _, u := range uses {
		e.str(u.dest)
		e.bool(u.ok)
		e.int(int64(u.img.Width))
		e.int(int64(u.img.Height))
		e.str(u.img.Srcset)
	}
}

func encodeIncludes(e *encoder, incs []includeUse) {
	e.uint(uint64(len(incs)))
	for _, u := range incs {
		e.str(u.name)
		e.str(u.sum)
	}
}

var errEntry = errors.New("malformed cache entry")

// decodeEntry reads an entry made by encodeEntry for file. The article's HTML
// shares b's memory.
func decodeEntry(b []byte, file string) (*Article, []imageUse, []includeUse, error) {
	d := decoder{b: b}
	a := &Article{Path: PathOf(file), File: file}
	fm := &a.FrontMatter
	fm.Title = d.str()
	fm.Description = d.str()
	fm.Date = d.time()
	fm.Updated = d.time()
	fm.Tags = d.strs()
	fm.TagNames = d.strs()
	fm.Authors = d.strs()
	fm.Series = d.str()
	fm.Order = int(d.int())
	fm.Render = Mode(d.str())
	fm.Revalidate = time.Duration(d.int())
	fm.Draft = d.bool()
	fm.Aliases = d.strs()
	fm.Image = d.str()
	fm.CacheTags = d.strs()
	if n, ok := d.count(); ok {
		fm.lines = make(map[string]int, n)
		for range n {
			k := d.str()
			fm.lines[k] = int(d.int())
		}
	}
	if n, ok := d.count(); ok {
		a.Headings = make([]markdown.Heading, n)
		for i := range a.Headings {
			a.Headings[i] = markdown.Heading{Level: int(d.int()), ID: d.str(), Text: d.str()}
		}
	}
	a.Words = int(d.int())
	a.ReadingMinutes = int(d.int())
	a.HasCode = d.bool()
	if n, ok := d.count(); ok {
		a.links = make([]markdown.Link, n)
		for i := range a.links {
			a.links[i] = markdown.Link{Dest: d.str(), Line: int(d.int()), Image: d.bool(), Alt: d.str()}
		}
	}
	uses := make([]imageUse, d.length())
	for i := range uses {
		uses[i] = imageUse{dest: d.str(), ok: d.bool()}
		uses[i].img = markdown.Image{Width: int(d.int()), Height: int(d.int()), Srcset: d.str()}
	}
	incs := make([]includeUse, d.length())
	for i := range incs {
		incs[i] = includeUse{name: d.str(), sum: d.str()}
	}
	if n := d.length(); n > 0 {
		a.warnings = make([]Problem, n)
		for i := range a.warnings {
			a.warnings[i] = Problem{File: file, Line: int(d.int()), Msg: d.str(), Warning: true, strict: d.bool()}
		}
	}
	a.HTML = d.bytes()
	if d.failed || len(d.b) != 0 {
		return nil, nil, nil, errEntry
	}
	return a, uses, incs, nil
}

// encoder appends values: varints, and bytes and strings after their length.
// failed is set if a value could not be written.
type encoder struct {
	b      []byte
	failed bool
}

func (e *encoder) uint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) int(n int64)   { e.b = binary.AppendVarint(e.b, n) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bytes(b []byte) {
	e.uint(uint64(len(b)))
	e.b = append(e.b, b...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

// count writes a length that keeps nil apart from empty: pages marshal a nil
// slice and an empty one differently (null and [] in JSON).
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
}

func (e *encoder) strs(list []string) {
	e.count(len(list), list == nil)
	for _, s := range list {
		e.str(s)
	}
}

func (e *encoder) time(t time.Time) {
	b, err := t.MarshalBinary()
	if err != nil {
		e.failed = true // a zone offset MarshalBinary cannot hold; dates have none
	}
	e.bytes(b)
}

// decoder reads what encoder wrote. After the first error every read returns
// a zero value and failed is set.
type decoder struct {
	b      []byte
	failed bool
}

func (d *decoder) uint() uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.failed = true
		d.b = nil
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *decoder) int() int64 {
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.failed = true
		d.b = nil
		return 0
	}
	d.b = d.b[k:]
	return n
}

// length reads a count of things that take at least a byte each, so that a
// corrupt entry cannot ask for a huge allocation.
func (d *decoder) length() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.failed = true
		d.b = nil
		return 0
	}
	return int(n)
}

// count reads what encoder.count wrote: the length, and false for nil.
func (d *decoder) count() (int, bool) {
	n := d.uint()
	if n == 0 {
		return 0, false
	}
	if n-1 > uint64(len(d.b)) {
		d.failed = true
		d.b = nil
		return 0, false
	}
	return int(n - 1), true
}

func (d *decoder) bytes() []byte {
	n := d.length()
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) bool() bool { return d.uint() == 1 }

func (d *decoder) strs() []string {
	n, ok := d.count()
	if !ok {
		return nil
	}
	list := make([]string, n)
	for i := range list {
		list[i] = d.str()
	}
	return list
}

func (d *decoder) time() time.Time {
	var t time.Time
	if err := t.UnmarshalBinary(d.bytes()); err != nil {
		d.failed = true
		d.b = nil
	}
	return t
}
