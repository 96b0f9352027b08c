package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A shortcode is a component written the way Hugo users know:
//
//	{{< name key="value" … >}}     a component without content
//	{{< name key="value" />}}      the same, closed explicitly
//	{{< name … >}}                 a component with Markdown inside,
//	…Markdown…
//	{{< /name >}}
//
// {{% … %}} is read the same way (in Hugo it marks Markdown content; here
// content is always Markdown). A shortcode stands on a line of its own, like
// a fenced code block; inside code it is text. The parser only reads the
// syntax: which names exist and what their arguments mean is decided by
// [Render], which reports what is wrong with the line of the shortcode.
type shortcode struct {
	ast.BaseBlock
	name   string
	args   []arg
	offset int    // where the opening line starts in the source, for its line number
	closer bool   // {{< /name >}} with no open component of that name
	err    string // the line looked like a shortcode but is not one
	closed bool   // a component with content saw its closing line
	parent bool   // a component with content ({{< name >}} … {{< /name >}})

	c component // set by Render once the arguments are checked
}

// arg is one argument: key="value", key=`value`, key=value, or a value on
// its own (key is "").
type arg struct{ key, value string }

var kindShortcode = ast.NewNodeKind("Shortcode")

func (n *shortcode) Kind() ast.NodeKind { return kindShortcode }

func (n *shortcode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.name}, nil)
}

// hasContent reports whether a component of this name wraps Markdown and so
// needs a closing line. Unknown names are taken to stand alone: Render
// reports them, and a stray closing line of an unknown name says nothing more.
func hasContent(name string) bool { return name == "callout" || name == "details" }

// tag is one parsed shortcode line.
type tag struct {
	name        string
	args        []arg
	closing     bool // {{< /name >}}
	selfClosing bool // {{< name />}}
}

// parseTag reads a line (without its leading indentation). ok is false when
// the line does not start like a shortcode at all and is ordinary text; a
// line that starts like one but is malformed gives ok with an error message.
func parseTag(line []byte) (t tag, ok bool, errMsg string) {
	s := strings.TrimRight(string(line), " \t\r\n")
	if len(s) < 4 || s[0] != '{' || s[1] != '{' || (s[2] != '<' && s[2] != '%') {
		return tag{}, false, ""
	}
	delim := s[2]
	rest := strings.TrimLeft(s[3:], " \t")
	if strings.HasPrefix(rest, "/*") {
		return tag{}, false, "" // Hugo's {{</* … */>}}: shown as written
	}
	if r, ok := strings.CutPrefix(rest, "/"); ok {
		t.closing = true
		rest = strings.TrimLeft(r, " \t")
	}
	n := 0
	for n < len(rest) && isNameByte(rest[n], n == 0) {
		n++
	}
	if n == 0 {
		return tag{}, false, "" // "{{< " then something else: not ours
	}
	t.name = rest[:n]
	rest = rest[n:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '/' && rest[0] != delim && rest[0] != '>' {
		return t, true, "put a space after the name of shortcode " + t.name
	}
	end := ">}}"
	if delim == '%' {
		end = "%}}"
	}
	for {
		rest = strings.TrimLeft(rest, " \t")
		switch {
		case rest == "":
			return t, true, "shortcode " + t.name + " is not closed with " + end + " on the same line"
		case strings.HasPrefix(rest, end) || strings.HasPrefix(rest, "/"+end):
			t.selfClosing = rest[0] == '/'
			if rest = strings.TrimPrefix(strings.TrimPrefix(rest, "/"), end); rest != "" {
				return t, true, "text after the end of shortcode " + t.name + "; a shortcode stands on a line of its own"
			}
			if t.closing && (len(t.args) > 0 || t.selfClosing) {
				return t, true, "closing shortcode /" + t.name + " takes no arguments"
			}
			return t, true, ""
		}
		a, r, msg := parseArg(rest)
		if msg != "" {
			return t, true, "shortcode " + t.name + ": " + msg
		}
		t.args = append(t.args, a)
		rest = r
	}
}

func isNameByte(c byte, first bool) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		return true
	}
	return !first && (c >= '0' && c <= '9' || c == '-' || c == '_')
}

// parseArg reads one argument from the start of s.
func parseArg(s string) (arg, string, string) {
	var a arg
	if n := keyLen(s); n > 0 && n < len(s) && s[n] == '=' {
		a.key, s = s[:n], s[n+1:]
	}
	if s == "" {
		return a, s, "argument " + a.key + " has no value"
	}
	switch q := s[0]; q {
	case '"':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				b.WriteByte(s[i])
			case '"':
				a.value = b.String()
				return a, s[i+1:], afterValue(s[i+1:])
			default:
				b.WriteByte(s[i])
			}
		}
		return a, "", "a quoted value is not closed with \""
	case '`':
		i := strings.IndexByte(s[1:], '`')
		if i < 0 {
			return a, "", "a value in backticks is not closed with `"
		}
		a.value = s[1 : 1+i]
		return a, s[2+i:], afterValue(s[2+i:])
	default:
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			i = len(s)
		}
		v := s[:i]
		// A bare value runs to the next space; the closing delimiter may
		// touch it (id=abc>}}).
		for _, end := range []string{"/>}}", ">}}", "/%}}", "%}}"} {
			if j := strings.Index(v, end); j >= 0 && v[j:] == end {
				v = v[:j]
				i = j
				break
			}
		}
		if v == "" {
			return a, s, "argument " + a.key + " has no value"
		}
		if strings.ContainsAny(v, "\"`=") {
			return a, s, "a value with quotes or = must be in double quotes: " + v
		}
		a.value = v
		return a, s[i:], ""
	}
}

func keyLen(s string) int {
	n := 0
	for n < len(s) && isNameByte(s[n], n == 0) {
		n++
	}
	return n
}

func afterValue(rest string) string {
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '/' && rest[0] != '>' && rest[0] != '%' {
		return "put a space between arguments"
	}
	return ""
}

// shortcodeParser opens shortcode blocks. It may interrupt a paragraph: a
// shortcode line right under text is still a component, not text.
type shortcodeParser struct{}

func (shortcodeParser) Trigger() []byte { return []byte{'{'} }

func (shortcodeParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	t, ok, msg := parseTag(line[pos:])
	if !ok {
		return nil, parser.NoChildren
	}
	n := &shortcode{name: t.name, args: t.args, offset: seg.Start, closer: t.closing, err: msg}
	reader.AdvanceToEOL()
	if msg == "" && !t.closing && !t.selfClosing && hasContent(t.name) {
		n.parent = true
		return n, parser.HasChildren
	}
	return n, parser.NoChildren
}

func (shortcodeParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*shortcode)
	if !n.parent {
		return parser.Close
	}
	// A line inside a fenced code block belongs to it, even one that reads
	// like this component's closing line.
	if last := pc.LastOpenedBlock().Node; last != nil && last != node && last.Kind() == ast.KindFencedCodeBlock {
		return parser.Continue | parser.HasChildren
	}
	line, _ := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 || pos >= len(line) {
		return parser.Continue | parser.HasChildren
	}
	t, ok, msg := parseTag(line[pos:])
	if !ok || msg != "" || !t.closing || t.name != n.name {
		return parser.Continue | parser.HasChildren
	}
	// The closing line belongs to the innermost open component of its name.
	opened := pc.OpenedBlocks()
	mine := false
	for _, b := range opened {
		if b.Node == node {
			mine = true
			continue
		}
		if inner, ok := b.Node.(*shortcode); ok && mine && inner.parent && inner.name == n.name {
			return parser.Continue | parser.HasChildren
		}
	}
	n.closed = true
	reader.AdvanceToEOL()
	return parser.Close
}

func (shortcodeParser) Close(ast.Node, text.Reader, parser.Context) {}

func (shortcodeParser) CanInterruptParagraph() bool { return true }

func (shortcodeParser) CanAcceptIndentedLine() bool { return false }
