package search

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// inline lists the elements that do not separate words: "<b>re</b>nder" is
// one word, "<p>a</p><p>b</p>" two.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true,
	"code": true, "data": true, "del": true, "dfn": true, "em": true, "i": true,
	"ins": true, "kbd": true, "mark": true, "q": true, "s": true, "samp": true,
	"small": true, "span": true, "strong": true, "sub": true, "sup": true,
	"time": true, "u": true, "var": true, "wbr": true,
}

// hidden lists the elements whose content is never read as text.
var hidden = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true,
	"iframe": true, "noembed": true, "noframes": true, "svg": true,
}

// PlainText returns the text of an HTML fragment: tags dropped (with a space
// where a block element, line break or image separated words), the content of
// script, style and similar elements dropped, entities decoded and white space
// collapsed to single spaces.
func PlainText(src []byte) string {
	z := html.NewTokenizer(bytes.NewReader(src))
	var (
		b     strings.Builder
		skip  string // the hidden element being skipped
		depth int    // how deep in nested skip elements
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a read error that bytes.Reader never returns.
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if depth == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case depth > 0:
				if tag == skip && tt == html.StartTagToken {
					depth++
				} else if tag == skip && tt == html.EndTagToken {
					depth--
				}
			case hidden[tag] && tt == html.StartTagToken:
				skip, depth = tag, 1
				b.WriteByte(' ')
			case !inline[tag]:
				b.WriteByte(' ')
			}
		}
	}
}
