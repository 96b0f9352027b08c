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

// hidden lists the elements whose content is never read as text. A button's
// label ("Copy", "Play video") is an instruction, not part of the article.
var hidden = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true,
	"iframe": true, "noembed": true, "noframes": true, "svg": true,
	"button": true,
}

// noise lists the classes of elements that the Markdown renderer adds for
// navigation rather than reading: the visible "#" (or "¶") link after every
// heading and the footnote reference numbers and back-links. Their text
// would otherwise show up in snippets as "Getting started#" or "Berlin.↩".
var noise = []string{"heading-anchor", "footnote-ref", "footnote-backref"}

// Text is the searchable text of an HTML fragment, in two parts: the prose a
// reader reads and the code shown in pre blocks. Both are plain, with white
// space collapsed to single spaces.
type Text struct {
	Prose string // everything outside pre blocks, inline code included
	Code  string // the content of pre blocks, one space between blocks
}

// PlainText returns the prose of an HTML fragment: see [ExtractText].
func PlainText(src []byte) string {
	return ExtractText(src).Prose
}

// ExtractText returns the text of an HTML fragment split into prose and
// code: tags dropped (with a space where a block element, line break or image
// separated words), entities decoded and white space collapsed. The content
// of script, style and similar elements, of elements marked aria-hidden and
// of the renderer's heading anchors and footnote marks is dropped; the
// content of pre elements goes to Code instead of Prose, so that code is
// searchable but snippets are cut from prose.
func ExtractText(src []byte) Text {
	z := html.NewTokenizer(bytes.NewReader(src))
	var (
		prose, code strings.Builder
		out         = &prose
		skip        string // the element being skipped (hidden, or pre for code)
		depth       int    // how deep in nested skip elements
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a read error that bytes.Reader never returns.
			return Text{Prose: collapse(prose.String()), Code: collapse(code.String())}
		case html.TextToken:
			if depth == 0 || out == &code {
				out.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch {
			case depth > 0:
				if tag == skip && tt == html.StartTagToken {
					depth++
				} else if tag == skip && tt == html.EndTagToken {
					depth--
				}
				switch {
				case depth == 0:
					out = &prose
					prose.WriteByte(' ')
				case out == &code && !inline[tag]:
					code.WriteByte(' ')
				}
			case tt == html.StartTagToken && tag == "pre":
				skip, depth, out = tag, 1, &code
				prose.WriteByte(' ')
				code.WriteByte(' ')
			case tt == html.StartTagToken && (hidden[tag] || hasAttr && isNoise(z)):
				skip, depth = tag, 1
				prose.WriteByte(' ')
			case !inline[tag]:
				prose.WriteByte(' ')
			}
		}
	}
}

// isNoise reports whether the start tag z has just read is aria-hidden or
// has one of the [noise] classes. It consumes the tag's attributes.
func isNoise(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "aria-hidden":
			if string(val) == "true" {
				return true
			}
		case "class":
			for _, c := range strings.Fields(string(val)) {
				for _, n := range noise {
					if c == n {
						return true
					}
				}
			}
		}
		if !more {
			return false
		}
	}
}

// collapse turns every run of white space into one space and trims both ends.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxDirective bounds how far a directive may reach for its closing braces,
// so that a stray "{{" cannot swallow the rest of an article.
const maxDirective = 2000

// stripDirectives replaces Hugo-style shortcode markers ({{< name … >}},
// {{% name … %}}), any other template action ({{ .Title }}) and Liquid-style
// tags ({% raw %}) with a space. They are instructions to a renderer, not
// text: until the components render them, they reach the HTML as literal
// text, and once they do, a leftover one is still a mistake nobody should
// find by searching. The content between a pair of markers is kept. A "{{"
// or "{%" without a close within maxDirective bytes loses its braces only.
func stripDirectives(s string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := indexOpen(s)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		closer := "}}"
		switch {
		case s[i+1] == '%':
			closer = "%}"
		case strings.HasPrefix(s[i:], "{{<"):
			closer = ">}}"
		case strings.HasPrefix(s[i:], "{{%"):
			closer = "%}}"
		}
		rest := s[i+2:]
		j := strings.Index(rest[:min(len(rest), maxDirective)], closer)
		if closer == "}}" || closer == "%}" {
			// A template action or tag is one line without braces of its
			// own, so "{{a}" … "{a}}" in prose about brace expansion is
			// not taken for one.
			if j >= 0 && strings.IndexAny(rest, "{}\n") < j {
				j = -1
			}
		}
		if j < 0 {
			s = rest
			continue
		}
		s = rest[j+len(closer):]
	}
}

// indexOpen returns the index of the first "{{" or "{%" in s, or -1.
func indexOpen(s string) int {
	for i := strings.IndexByte(s, '{'); i >= 0 && i+1 < len(s); {
		if s[i+1] == '{' || s[i+1] == '%' {
			return i
		}
		j := strings.IndexByte(s[i+1:], '{')
		if j < 0 {
			return -1
		}
		i += 1 + j
	}
	return -1
}
