// Package markdown owns the single goldmark instance Renderwise uses and its
// extensions: GitHub-flavoured Markdown, footnotes, stable heading IDs with
// visible anchor links, a table of contents, chroma highlighting with CSS
// classes, and raw HTML dropped. Bytes go in and a [Result] comes out; the
// package reads no files and knows no URLs beyond the base folder it is given
// to resolve relative links.
//
// Raw HTML in an article is never passed through: goldmark's default renderer
// replaces it with a comment and drops dangerous link destinations
// (javascript:, vbscript:, data: other than images). That is what lets the web
// package trust the HTML it gets from here.
package markdown

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// WordsPerMinute is the reading speed behind [Result.ReadingMinutes].
const WordsPerMinute = 220

// Heading is one entry of a table of contents.
type Heading struct {
	Level int    // 2 for ##, 3 for ###, …
	ID    string // the element id, stable for the same text
	Text  string // the heading's plain text
}

// Link is a link or image destination found in the source, with the line it
// is on (1-based, counted in the Markdown given to [Render]).
type Link struct {
	Dest  string
	Line  int
	Image bool
	Alt   string // images only: the alternative text
}

// Image is what the caller knows of an image file, for responsive markup.
type Image struct {
	Width, Height int    // intrinsic size in CSS pixels; 0 if unknown
	Srcset        string // candidate URLs with widths; empty for vector images
}

// Options tell [Render] where the document lives.
type Options struct {
	// Dir is the site folder of the document (e.g. "/articles/node");
	// relative link and image destinations are resolved against it.
	Dir string
	// Image, if set, describes the image at a resolved destination, so the
	// <img> gets width, height and srcset and causes no layout shift.
	Image func(dest string) (Image, bool)
}

// Sizes is the sizes attribute of responsive images: the article column is
// at most about 42rem wide.
const Sizes = "(min-width: 46rem) 42rem, 100vw"

// Result is what one Markdown document renders to.
type Result struct {
	HTML     []byte
	Headings []Heading // every heading of level 2 and 3, in order
	Links    []Link    // destinations of links and images, in order
	Words    int
}

// ReadingMinutes is the estimated reading time, at least one minute.
func (r *Result) ReadingMinutes() int {
	return max(1, (r.Words+WordsPerMinute/2)/WordsPerMinute)
}

// HasCode reports whether the document contains a fenced or indented code block.
func (r *Result) HasCode() bool {
	return bytes.Contains(r.HTML, []byte("<pre"))
}

var md = goldmark.New(
	goldmark.WithExtensions(
		extension.GFM,
		extension.Footnote,
		highlighting.NewHighlighting(
			highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
			highlighting.WithGuessLanguage(false),
		),
	),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(anchors{}, 100)),
	),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(imageRenderer{}, 100), util.Prioritized(tableRenderer{}, 100))),
)

// Render converts Markdown to HTML.
func Render(src []byte, opts Options) (*Result, error) {
	dir := opts.Dir
	doc := md.Parser().Parse(text.NewReader(src))
	res := &Result{}
	lines := newLineIndex(src)
	images := 0
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				res.Headings = append(res.Headings, Heading{Level: n.Level, ID: string(id.([]byte)), Text: plainText(n, src)})
			}
		case *ast.Link:
			if isAnchor(n) {
				return ast.WalkSkipChildren, nil
			}
			n.Destination = resolve(n.Destination, dir)
			res.Links = append(res.Links, Link{Dest: string(n.Destination), Line: lines.of(n)})
		case *ast.Image:
			n.Destination = resolve(n.Destination, dir)
			alt := plainText(n, src)
			res.Links = append(res.Links, Link{Dest: string(n.Destination), Line: lines.of(n), Image: true, Alt: alt})
			img := &responsiveImage{dest: string(n.Destination), alt: alt, title: string(n.Title), eager: images == 0}
			if opts.Image != nil {
				img.Image, _ = opts.Image(img.dest)
			}
			n.Parent().ReplaceChild(n.Parent(), n, img)
			images++
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			res.Words += countWords(n.Value(src))
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(src) * 2)
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	res.HTML = buf.Bytes()
	return res, nil
}

// resolve makes a relative destination absolute against dir. Absolute paths,
// fragments and destinations with a scheme are left alone.
func resolve(dest []byte, dir string) []byte {
	d := string(dest)
	if d == "" || d[0] == '/' || d[0] == '#' || d[0] == '?' || strings.Contains(d, ":") {
		return dest
	}
	rest := ""
	if i := strings.IndexAny(d, "?#"); i >= 0 {
		d, rest = d[:i], d[i:]
	}
	d = strings.TrimSuffix(d, ".md")
	return []byte(path.Join(dir, d) + rest)
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Link:
			if isAnchor(c) {
				return ast.WalkSkipChildren, nil
			}
		case *ast.Text:
			b.Write(c.Value(src))
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func countWords(b []byte) int {
	n, in := 0, false
	for _, r := range string(b) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !in {
				n++
			}
			in = true
		} else if r != '\'' && r != '-' {
			in = false
		}
	}
	return n
}

// lineIndex maps byte offsets of the source to 1-based line numbers.
type lineIndex struct{ starts []int }

func newLineIndex(src []byte) lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{starts}
}

// of returns the line of an inline node: the first line of its nearest block
// ancestor, moved down by the newlines in the text before it in that block.
func (li lineIndex) of(n ast.Node) int {
	offset := -1
	for p := n; p != nil; p = p.Parent() {
		if t, ok := p.(*ast.Text); ok {
			offset = t.Segment.Start
			break
		}
		if p.Type() == ast.TypeBlock {
			if l := p.Lines(); l != nil && l.Len() > 0 {
				offset = l.At(0).Start
			}
			break
		}
		if c := p.FirstChild(); c != nil {
			if t, ok := c.(*ast.Text); ok {
				offset = t.Segment.Start
				break
			}
		}
	}
	if offset < 0 {
		return 1
	}
	lo, hi := 0, len(li.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if li.starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

func isAnchor(l *ast.Link) bool {
	c, ok := l.AttributeString("class")
	return ok && string(c.([]byte)) == "heading-anchor"
}

// anchors appends a visible "#" link to every heading so readers can copy a
// deep link; the ID comes from goldmark's auto heading IDs, which are unique
// within a document and the same for the same text.
type anchors struct{}

func (anchors) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		id, ok := h.AttributeString("id")
		if !ok {
			return ast.WalkSkipChildren, nil
		}
		a := ast.NewLink()
		a.Destination = append([]byte("#"), id.([]byte)...)
		a.SetAttributeString("class", []byte("heading-anchor"))
		a.SetAttributeString("aria-hidden", []byte("true"))
		a.SetAttributeString("tabindex", []byte("-1"))
		a.AppendChild(a, ast.NewString([]byte("#")))
		h.AppendChild(h, a)
		return ast.WalkSkipChildren, nil
	})
}
