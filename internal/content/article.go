package content

import (
	"errors"
	"io/fs"
	"path"
	"strconv"
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

	links  []markdown.Link // with lines counted in the file
	stamp  stamp
	digest string // see [Article.Digest]
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

// PathOf returns the site path of a content file: "node/loop.md" → "/articles/node/loop".
func PathOf(file string) string {
	return "/articles/" + strings.TrimSuffix(file, ".md")
}

// FileOf returns the content file of an article path, or "" if the path
// cannot name an article.
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
func parseFile(fsys fs.FS, file string, c Cache) (*Article, []Problem, error) {
	info, err := regularFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	a, probs := parseCached(fsys, file, src, c)
	if a != nil {
		a.stamp = stamp{info.ModTime(), info.Size()}
	}
	return a, probs, nil
}

// ImagePrefix is where resized images are served: /_img/{site path}?w=&v=.
const ImagePrefix = "/_img"

// imageInfo describes an image beside the articles for responsive markup:
// its size, and for raster images a srcset over the allowed widths whose
// URLs carry the file's content hash (so they may be cached for ever).
func imageInfo(fsys fs.FS) func(dest string) (markdown.Image, bool) {
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
		if src.Format != "svg" {
			img.Srcset = images.Srcset(func(w int) string {
				return ImagePrefix + dest + "?w=" + strconv.Itoa(w) + "&v=" + src.Hash
			}, src.Width)
		}
		return img, true
	}
}

// parse decodes and renders one article's source. fsys is only read for
// the images the article shows.
func parse(fsys fs.FS, file string, src []byte) (*Article, []Problem) {
	return parseWith(file, src, imageInfo(fsys))
}

// parseWith is parse with the images described by image.
func parseWith(file string, src []byte, image func(dest string) (markdown.Image, bool)) (*Article, []Problem) {
	var probs []Problem
	problem := func(line int, msg string) { probs = append(probs, Problem{File: file, Line: line, Msg: msg}) }
	if !validFile(file) {
		problem(1, "file name must be lowercase letters, digits and hyphens, ending in .md")
	}
	header, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		problem(1, err.Error())
		return nil, probs
	}
	fm, lms := decodeFrontMatter(header, 2)
	for _, lm := range lms {
		problem(lm.line, lm.msg)
	}
	res, err := markdown.Render(body, markdown.Options{Dir: path.Dir(PathOf(file)), Image: image})
	if err != nil {
		problem(bodyLine, err.Error())
	}
	if len(probs) > 0 {
		return nil, probs
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
	}
	for i := range a.links {
		a.links[i].Line += bodyLine - 1
	}
	return a, nil
}

// ErrNotFound is returned for a path that names no article.
var ErrNotFound = errors.New("not found")
