package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// headingIDs settles the attributes of headings once goldmark has read them.
// A heading may end in {#id} or {.class} (parser.WithHeadingAttribute), as in
// Hugo; goldmark would also take any other attribute written there (style,
// tabindex, autofocus, …), so only id and class are kept. goldmark makes the
// automatic IDs unique, but not one written by the author, which may repeat
// another heading's: each repeat gets the next free -1, -2, … as an
// automatic one would.
type headingIDs struct{}

func (headingIDs) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var headings []*ast.Heading
	taken := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		headings = append(headings, h)
		if id, ok := h.AttributeString("id"); ok {
			taken[string(id.([]byte))] = true
		}
		return ast.WalkSkipChildren, nil
	})
	used := map[string]bool{}
	for _, h := range headings {
		var id, class []byte
		if v, ok := h.AttributeString("id"); ok {
			id, _ = v.([]byte)
		}
		if v, ok := h.AttributeString("class"); ok {
			class, _ = v.([]byte)
		}
		h.RemoveAttributes()
		if len(id) == 0 {
			id = []byte("section")
		}
		if used[string(id)] {
			for i := 1; ; i++ {
				c := string(id) + "-" + strconv.Itoa(i)
				if !used[c] && !taken[c] {
					id = []byte(c)
					break
				}
			}
		}
		used[string(id)] = true
		h.SetAttributeString("id", id)
		if len(class) > 0 {
			h.SetAttributeString("class", class)
		}
	}
}
