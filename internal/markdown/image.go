package markdown

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// responsiveImage replaces goldmark's image node once its destination is
// resolved: it carries what the <img> needs to be responsive and to take its
// space before it loads.
type responsiveImage struct {
	ast.BaseInline
	Image
	dest, alt, title string
	eager            bool // the first image: likely the largest paint, so not lazy
}

var kindResponsiveImage = ast.NewNodeKind("ResponsiveImage")

func (n *responsiveImage) Kind() ast.NodeKind { return kindResponsiveImage }

func (n *responsiveImage) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// imageRenderer writes responsive images. Destinations that goldmark
// considers dangerous (javascript: and the like) are dropped, as its own
// image renderer does.
type imageRenderer struct{}

func (imageRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindResponsiveImage, renderImage)
}

func renderImage(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*responsiveImage)
	dest := []byte(n.dest)
	if html.IsDangerousURL(dest) {
		dest = nil
	}
	if remote(n.dest) {
		renderRemote(w, n, dest)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<img src="`)
	w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	w.WriteString(`" alt="`)
	w.Write(util.EscapeHTML([]byte(n.alt)))
	w.WriteByte('"')
	if n.title != "" {
		w.WriteString(` title="`)
		w.Write(util.EscapeHTML([]byte(n.title)))
		w.WriteByte('"')
	}
	if n.Width > 0 && n.Height > 0 {
		w.WriteString(` width="` + strconv.Itoa(n.Width) + `" height="` + strconv.Itoa(n.Height) + `"`)
	}
	if n.Srcset != "" {
		w.WriteString(` srcset="`)
		w.Write(util.EscapeHTML([]byte(n.Srcset)))
		w.WriteString(`" sizes="` + Sizes + `"`)
	}
	if n.eager {
		w.WriteString(` fetchpriority="high" decoding="async">`)
	} else {
		w.WriteString(` loading="lazy" decoding="async">`)
	}
	return ast.WalkSkipChildren, nil
}

// remote reports whether an image is on another site.
func remote(dest string) bool {
	return strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, "https:") || strings.HasPrefix(dest, "http:")
}

// renderRemote writes an image from another site as its alternative text,
// a link to the image unless it already sits in a link (a badge). Pages load
// nothing from other sites (the Content-Security-Policy says img-src 'self'),
// as the video facade asks nothing of the video site before a click: a
// reader's visit is not reported to a third party, and an image that would
// be blocked is not shown as a broken one.
func renderRemote(w util.BufWriter, n *responsiveImage, dest []byte) {
	alt := n.alt
	if strings.TrimSpace(alt) == "" {
		alt = "image"
	}
	if _, inLink := n.Parent().(*ast.Link); inLink || dest == nil {
		w.WriteString(`<span class="remote-image">`)
		w.Write(util.EscapeHTML([]byte(alt)))
		w.WriteString(`</span>`)
		return
	}
	w.WriteString(`<a class="remote-image" href="`)
	w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML([]byte(alt)))
	w.WriteString(`</a>`)
}
