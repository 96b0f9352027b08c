package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableRenderer puts every table in a section that scrolls sideways when the
// table is wider than the column (on a phone). A box that scrolls must be
// reachable by keyboard (WCAG 2.1.1; axe: scrollable-region-focusable), so
// it is focusable, and named after its columns so a screen reader says what
// it is. Rows and cells are still written by goldmark's table renderer.
type tableRenderer struct{}

func (tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, renderTable)
}

func renderTable(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</table>\n</section>\n")
		return ast.WalkContinue, nil
	}
	var cols []string
	if h := n.FirstChild(); h != nil && h.Kind() == east.KindTableHeader {
		for c := h.FirstChild(); c != nil; c = c.NextSibling() {
			if t := strings.TrimSpace(plainText(c, src)); t != "" {
				cols = append(cols, t)
			}
		}
	}
	label := "Table"
	if len(cols) > 0 {
		label += ": " + strings.Join(cols, ", ")
	}
	w.WriteString(`<section class="table-scroll" tabindex="0" aria-label="`)
	w.Write(util.EscapeHTML([]byte(label)))
	w.WriteString("\">\n<table>\n")
	return ast.WalkContinue, nil
}
