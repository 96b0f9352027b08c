// Package markdown owns the single goldmark instance Renderwise uses and its
// extensions: GitHub-flavoured Markdown, footnotes, stable heading IDs with
// visible anchor links and {#id} attributes, a table of contents, chroma
// highlighting with CSS classes, components written as Hugo shortcodes
// (figure, code, video, callout, details; see shortcode.go), and raw HTML
// dropped. Bytes go in and a [Result] comes out; the package reads no files
// (a code component asks [Options.Include]) and knows no URLs beyond the base
// folder it is given to resolve relative links.
//
// Raw HTML in an article is never passed through as it is: goldmark's
// default renderer replaces it with a comment and drops dangerous link
// destinations (javascript:, vbscript:, data: other than images). With
// [Options.UnsafeHTML] it is kept, and the whole output then goes through an
// allow-list sanitizer. That is what lets the web package trust the HTML it
// gets from here.
package markdown

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
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
	// Include, if set, returns the bytes of a file named by a code
	// component, relative to the document's folder. The caller decides which
	// files may be read; this package reads none. Its errors are shown to
	// the author after the component's name, so they say what went wrong
	// with the file ("node/x.go does not exist").
	Include func(name string) ([]byte, error)
	// UnsafeHTML passes raw HTML through instead of dropping it, and then
	// sanitizes the whole output with an allow-list (see [sanitize]): for
	// sites whose authors are trusted. Scripts, event handlers, style
	// attributes, iframes and javascript: URLs never survive it.
	UnsafeHTML bool
}

// Sizes is the sizes attribute of responsive images: the article column is
// at most about 42rem wide.
const Sizes = "(min-width: 46rem) 42rem, 100vw"

// Problem is something wrong with the document that the author must fix (or,
// for a warning, should), at a 1-based line of the Markdown given to
// [Render]: a component with an unknown name or a bad argument, a file to
// include that cannot be read.
type Problem struct {
	Line    int
	Msg     string
	Warning bool
}

// Result is what one Markdown document renders to.
type Result struct {
	HTML     []byte
	Headings []Heading // every heading of level 2 and 3, in order
	Links    []Link    // destinations of links and images, in order
	Words    int
	// Problems are the document's problems, in order. The HTML leaves out
	// a component with a problem, so a document with errors should not be
	// published.
	Problems []Problem
}

// ReadingMinutes is the estimated reading time, at least one minute.
func (r *Result) ReadingMinutes() int {
	return max(1, (r.Words+WordsPerMinute/2)/WordsPerMinute)
}

// HasCode reports whether the document contains a fenced or indented code block.
func (r *Result) HasCode() bool {
	return bytes.Contains(r.HTML, []byte("<pre"))
}

// newMarkdown builds a goldmark instance; the two Renderwise uses differ
// only in what their renderer does with raw HTML. Both are built once.
func newMarkdown(rendererOpts ...renderer.Option) goldmark.Markdown {
	return goldmark.New(
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
			parser.WithHeadingAttribute(),
			parser.WithBlockParsers(util.Prioritized(shortcodeParser{}, 750)),
			parser.WithASTTransformers(util.Prioritized(headingIDs{}, 50), util.Prioritized(anchors{}, 100)),
		),
		goldmark.WithRendererOptions(append(rendererOpts, renderer.WithNodeRenderers(
			util.Prioritized(imageRenderer{}, 100),
			util.Prioritized(tableRenderer{}, 100),
			util.Prioritized(componentRenderer{}, 100),
		))...),
	)
}

var (
	md       = newMarkdown()
	mdUnsafe = newMarkdown(html.WithUnsafe())
)

// run is the state of one [Render] call.
type run struct {
	opts   Options
	src    []byte
	extra  []byte // bytes kept after the source for included code (see [run.keep])
	lines  lineIndex
	res    *Result
	images int
}

func (r *run) problem(line int, msg string, warning bool) {
	r.res.Problems = append(r.res.Problems, Problem{Line: line, Msg: msg, Warning: warning})
}

// image makes the responsive image for a destination as written, resolved
// against the document's folder, and lists it among the links.
func (r *run) image(dest []byte, alt, title string, line int) *responsiveImage {
	d := string(resolve(dest, r.opts.Dir))
	r.res.Links = append(r.res.Links, Link{Dest: d, Line: line, Image: true, Alt: alt})
	img := &responsiveImage{dest: d, alt: alt, title: title}
	if remote(d) {
		return img // shown as a link, never loaded: see renderRemote
	}
	img.eager = r.images == 0
	if r.opts.Image != nil {
		img.Image, _ = r.opts.Image(d)
	}
	r.images++
	return img
}

// Render converts Markdown to HTML. A problem with the document (a bad
// component) is in [Result.Problems]; the error is for a failure to render.
func Render(src []byte, opts Options) (*Result, error) {
	dir := opts.Dir
	doc := md.Parser().Parse(text.NewReader(src))
	res := &Result{}
	r := &run{opts: opts, src: src, lines: newLineIndex(src), res: res}
	// Nodes are replaced after the walk: a node replaced while the walk is
	// on it has no next sibling any more, and the walk would miss the rest
	// of its paragraph.
	var replace [][2]ast.Node
	var dropped rawHTML
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
		case *ast.Paragraph:
			r.strayShortcodes(n)
		case *ast.Link:
			if isAnchor(n) {
				return ast.WalkSkipChildren, nil
			}
			n.Destination = resolve(n.Destination, dir)
			res.Links = append(res.Links, Link{Dest: string(n.Destination), Line: r.lines.of(n)})
		case *ast.Image:
			img := r.image(n.Destination, plainText(n, src), string(n.Title), r.lines.of(n))
			replace = append(replace, [2]ast.Node{n, img})
			return ast.WalkSkipChildren, nil
		case *shortcode:
			if err := r.build(n); err != nil {
				r.problem(r.lines.at(n.offset), err.Error(), false)
				return ast.WalkSkipChildren, nil
			}
		case *ast.Text:
			res.Words += countWords(n.Value(src))
		case *ast.HTMLBlock:
			if l := n.Lines(); l.Len() > 0 {
				dropped.add(r.lines.at(l.At(0).Start))
			}
		case *ast.RawHTML:
			if n.Segments.Len() > 0 {
				dropped.add(r.lines.at(n.Segments.At(0).Start))
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return nil, err
	}
	if dropped.n > 0 && !opts.UnsafeHTML {
		msg := "raw HTML is dropped"
		if dropped.n > 1 {
			msg += fmt.Sprintf(", here and in %d more places in this file", dropped.n-1)
		}
		r.problem(dropped.first, msg+"; unsafe_html: true in site.yaml keeps what an allow-list accepts", true)
	}
	for _, p := range replace {
		p[0].Parent().ReplaceChild(p[0].Parent(), p[0], p[1])
	}
	source := src
	if len(r.extra) > 0 {
		source = append(src[:len(src):len(src)], r.extra...)
	}
	var buf bytes.Buffer
	buf.Grow(len(source) * 2)
	m := md
	if opts.UnsafeHTML {
		m = mdUnsafe
	}
	if err := m.Renderer().Render(&buf, source, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	res.HTML = buf.Bytes()
	if opts.UnsafeHTML {
		res.HTML = sanitize(res.HTML)
	}
	return res, nil
}

// rawHTML counts the raw HTML of a document rendered without it.
type rawHTML struct{ n, first int }

func (d *rawHTML) add(line int) {
	if d.n == 0 {
		d.first = line
	}
	d.n++
}

// strayShortcode finds text that reads like a component but is shown as
// text: a Hugo shortcode in the middle of a line, or the {{name …}} of other
// generators.
var strayShortcode = regexp.MustCompile(`\{\{[<%]?\s*/?[A-Za-z][\w-]*(\s[^{}]*)?[>%]?\}\}`)

// strayShortcodes warns about text in a paragraph that reads like a
// component: readers would see it as it is written. Code spans are left out,
// which is how an article shows a shortcode on purpose.
func (r *run) strayShortcodes(p *ast.Paragraph) {
	var b strings.Builder
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(r.src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.CodeSpan:
			b.WriteByte(' ')
		default:
			b.WriteString(plainText(c, r.src))
		}
	}
	s := b.String()
	loc := strayShortcode.FindStringIndex(s)
	if loc == nil {
		return
	}
	line := 1
	if l := p.Lines(); l.Len() > 0 {
		line = r.lines.at(l.At(0).Start) + strings.Count(s[:loc[0]], "\n")
	}
	r.problem(line, fmt.Sprintf("%s is shown as text: a component is written {{< name key=\"value\" >}} on a line of its own", s[loc[0]:loc[1]]), true)
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
	return li.at(offset)
}

// at returns the line of a byte offset.
func (li lineIndex) at(offset int) int {
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
// deep link; the ID comes from goldmark's auto heading IDs, which are the
// same for the same text, or from a {#id} attribute (made unique by
// [headingIDs]).
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
