package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/renderwise/renderwise/internal/images"
	"github.com/renderwise/renderwise/internal/markdown"
)

// Article is one parsed, rendered Markdown file.
type Article struct {
	FrontMatter
	Path           string // site path, e.g. "/articles/node/event-loop"
	File           string // path in the content FS, e.g. "node/event-loop.md"
	HTML           []byte // rendered body; raw HTML in the source was dropped
	Headings       []markdown.Heading
	Words          int
	ReadingMinutes int
	HasCode        bool

	links    []markdown.Link // with lines counted in the file
	warnings []Problem       // from rendering the body: kept so a cached article reports them too
	includes []includeUse    // files its code components show, see [includer]
	stamp    stamp
	digest   string // see [Article.Digest]
}

// Modified is the article's last content date: updated if set, else date.
func (a *Article) Modified() time.Time {
	if !a.Updated.IsZero() {
		return a.Updated
	}
	return a.Date
}

// stamp identifies a version of a file cheaply, so a reload re-renders only
// the files that changed. Embedded files have a zero stamp and never change.
type stamp struct {
	mod  time.Time
	size int64
}

// PathOf returns the site path of a content file: "node/loop.md" →
// "/articles/node/loop". A segment that is not a slug is slugified
// ([Slugify]): "notes/go1.21.md" → "/articles/notes/go1-21".
func PathOf(file string) string {
	if p, ok := slugPath(file); ok {
		return "/articles/" + p
	}
	return "/articles/" + strings.TrimSuffix(file, ".md")
}

// FileOf returns the slug-clean content file of an article path
// ("/articles/node/loop" → "node/loop.md"), or "" if the path cannot name an
// article. A file whose name is not a slug ("go1.21.md") has another path;
// only the [Site] knows which file an article came from ([Article.File]).
func FileOf(sitePath string) string {
	rest, ok := strings.CutPrefix(sitePath, "/articles/")
	if !ok || !validFile(rest+".md") {
		return ""
	}
	return rest + ".md"
}

// validFile reports whether every segment of a content file name is a slug.
func validFile(file string) bool {
	name, ok := strings.CutSuffix(file, ".md")
	if !ok || name == "" {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if !slugRE.MatchString(seg) {
			return false
		}
	}
	return true
}

// parseFile reads and renders one article, or takes it from c when c is not
// nil and holds it. A missing file gives an error wrapping fs.ErrNotExist;
// anything wrong with the file gives problems.
func parseFile(fsys fs.FS, file string, c Cache, opts parseOptions) (*Article, []Problem, error) {
	info, err := regularFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	a, probs := parseCached(fsys, file, src, c, opts)
	if a != nil {
		a.stamp = stamp{info.ModTime(), info.Size()}
	}
	return a, probs, nil
}

// ImageURL is the URL of a resized copy of an image: the image at site path
// path, width pixels wide, version naming its bytes (a hash of the file, so
// the URL may be cached for ever). The routes that serve images are not the
// content's to know; the caller passes this in [Options].
type ImageURL func(path string, width int, version string) string

// imageInfo describes an image beside the articles for responsive markup:
// its size, and for raster images, when url is not nil, a srcset over the
// allowed widths.
func imageInfo(fsys fs.FS, url ImageURL) func(dest string) (markdown.Image, bool) {
	return func(dest string) (markdown.Image, bool) {
		name, ok := strings.CutPrefix(dest, "/articles/")
		if !ok {
			return markdown.Image{}, false
		}
		src, err := images.Inspect(fsys, name)
		if err != nil {
			return markdown.Image{}, false
		}
		img := markdown.Image{Width: src.Width, Height: src.Height}
		if src.Format != "svg" && url != nil {
			img.Srcset = images.Srcset(func(w int) string { return url(dest, w, src.Hash) }, src.Width)
		}
		return img, true
	}
}

// parse decodes and renders one article's source. fsys is only read for
// the images the article shows and the files it includes.
func parse(fsys fs.FS, file string, src []byte) (*Article, []Problem) {
	return parseWith(file, src, imageInfo(fsys, nil), includer(fsys, file, nil), parseOptions{})
}

// parseOptions are the site's settings that change what a file renders to.
type parseOptions struct {
	unsafeHTML bool     // site.yaml's unsafe_html
	imageURL   ImageURL // Options.ImageURL
}

// parseWith is parse with the images described by image and the files of
// code components read by include.
func parseWith(file string, src []byte, image func(dest string) (markdown.Image, bool), include func(name string) ([]byte, error), opts parseOptions) (*Article, []Problem) {
	var probs, warnings []Problem
	problem := func(line int, msg string) { probs = append(probs, Problem{File: file, Line: line, Msg: msg}) }
	if _, ok := slugPath(file); !ok {
		problem(1, "file name has a folder or name with no letters or digits to make a URL of")
	}
	header, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		problem(1, err.Error())
		return nil, probs
	}
	fm, lms := decodeFrontMatter(header, 2)
	for _, lm := range lms {
		if lm.warning || lm.unknown {
			warnings = append(warnings, Problem{File: file, Line: lm.line, Msg: lm.msg, Warning: true, strict: lm.unknown})
		} else {
			problem(lm.line, lm.msg)
		}
	}
	if old, ok := oldPath(file); ok {
		fm.Aliases = append(fm.Aliases, old)
	}
	// Links and images are relative to the folder as it is on disk, where
	// the files beside the article are.
	dir := path.Dir("/articles/" + file)
	res, err := markdown.Render(body, markdown.Options{Dir: dir, Image: image, Include: include, UnsafeHTML: opts.unsafeHTML})
	if err != nil {
		problem(bodyLine, err.Error())
		return nil, probs
	}
	for _, p := range res.Problems {
		pr := Problem{File: file, Line: p.Line + bodyLine - 1, Msg: p.Msg, Warning: p.Warning}
		if pr.Warning {
			warnings = append(warnings, pr)
		} else {
			probs = append(probs, pr)
		}
	}
	if len(probs) > 0 {
		return nil, append(probs, warnings...)
	}
	a := &Article{
		FrontMatter:    fm,
		Path:           PathOf(file),
		File:           file,
		HTML:           res.HTML,
		Headings:       res.Headings,
		Words:          res.Words,
		ReadingMinutes: res.ReadingMinutes(),
		HasCode:        res.HasCode(),
		links:          res.Links,
		warnings:       warnings,
	}
	for i := range a.links {
		a.links[i].Line += bodyLine - 1
	}
	return a, warnings
}

// maxInclude bounds a file shown by a code component: source to read, not a
// data set.
const maxInclude = 1 << 20

// includer reads the files of an article's code components: named relative
// to the article's folder, inside the content folder, under the same rule as
// an article (a regular file reached without a symbolic link), never hidden
// and at most [maxInclude] bytes. Each file read is added to uses, if uses is
// not nil, so the cache can tell when it changes. Errors name the file as
// the content folder has it, for the author.
func includer(fsys fs.FS, file string, uses *[]includeUse) func(name string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if strings.HasPrefix(name, "/") {
			return nil, fmt.Errorf("%s must be relative to the article's folder", name)
		}
		p := path.Join(path.Dir(file), name)
		if !fs.ValidPath(p) || p == "." {
			return nil, fmt.Errorf("%s is outside the content folder", name)
		}
		b, info, err := readInclude(fsys, p)
		if err != nil {
			return nil, err
		}
		if uses != nil && !slices.ContainsFunc(*uses, func(u includeUse) bool { return u.name == p }) {
			*uses = append(*uses, includeUse{name: p, sum: sumOf(b), stamp: stamp{info.ModTime(), info.Size()}})
		}
		return b, nil
	}
}

// readInclude reads a file to include by its path in the content folder.
func readInclude(fsys fs.FS, p string) ([]byte, fs.FileInfo, error) {
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return nil, nil, fmt.Errorf("%s is hidden", p)
		}
	}
	info, err := regularFile(fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s does not exist", p)
	case err != nil:
		return nil, nil, err
	case info.Size() > maxInclude:
		return nil, nil, fmt.Errorf("%s is larger than %d KB", p, maxInclude>>10)
	}
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxInclude {
		return nil, nil, fmt.Errorf("%s is larger than %d KB", p, maxInclude>>10)
	}
	return b, info, nil
}

// includesUnchanged reports, with one stat per file, whether the files the
// article includes look as they did when it was read; a store re-reads an
// article whose file or included files changed.
func (a *Article) includesUnchanged(fsys fs.FS) bool {
	for _, u := range a.includes {
		info, err := regularFile(fsys, u.name)
		if err != nil || !info.ModTime().Equal(u.stamp.mod) || info.Size() != u.stamp.size {
			return false
		}
	}
	return true
}

// withoutIncluded drops the "not published" warnings of files that articles
// include: a source file shown by a code component is meant to stay out of
// the published files.
func withoutIncluded(probs []Problem, articles map[string]*Article) []Problem {
	included := map[string]bool{}
	for _, a := range articles {
		for _, u := range a.includes {
			included[u.name] = true
		}
	}
	if len(included) == 0 {
		return probs
	}
	return slices.DeleteFunc(probs, func(p Problem) bool {
		return p.Warning && included[p.File] && strings.HasPrefix(p.Msg, "not published: ")
	})
}

// ErrNotFound is returned for a path that names no article.
var ErrNotFound = errors.New("not found")
