package markdown

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// componentNames are the shortcodes [Render] knows, for error messages.
var componentNames = []string{"callout", "code", "details", "figure", "include", "video", "vimeo", "youtube"}

// component is what a checked shortcode renders: open and close write the
// HTML around its children (inner Markdown, an image, a code block).
type component interface {
	open(w util.BufWriter)
	close(w util.BufWriter)
}

// args are a shortcode's arguments once checked against what it takes.
type args map[string]string

// argsOf checks n's arguments: only the named keys, each once; a value on its
// own stands for positional (none if positional is "").
func argsOf(n *shortcode, positional string, keys ...string) (args, error) {
	a := args{}
	for _, x := range n.args {
		k := x.key
		if k == "" {
			if positional == "" {
				return nil, fmt.Errorf("%s: value %q needs a name (%s)", n.name, x.value, keysList(keys))
			}
			k = positional
		}
		if !slices.Contains(keys, k) {
			return nil, fmt.Errorf("%s: unknown argument %s (it takes %s)", n.name, k, keysList(keys))
		}
		if _, dup := a[k]; dup {
			return nil, fmt.Errorf("%s: argument %s given twice", n.name, k)
		}
		a[k] = x.value
	}
	return a, nil
}

func keysList(keys []string) string { return strings.Join(keys, ", ") }

// need returns the value of a required argument.
func (a args) need(name, key string) (string, error) {
	v := strings.TrimSpace(a[key])
	if v == "" {
		return "", fmt.Errorf("%s: missing %s=\"…\"", name, key)
	}
	return v, nil
}

// build checks a shortcode and makes its component, adding what it shows
// (an image, a code block) as its children. It returns the first problem.
func (r *run) build(n *shortcode) error {
	if n.err != "" {
		return fmt.Errorf("%s", n.err)
	}
	known := slices.Contains(componentNames, n.name)
	switch {
	case !known:
		if n.closer {
			return nil // its opening line was reported as unknown, or there was none to report
		}
		return fmt.Errorf("unknown component %q (known: %s)", n.name, keysList(componentNames))
	case n.closer && hasContent(n.name):
		return fmt.Errorf("{{< /%s >}} closes no open %s", n.name, n.name)
	case n.closer:
		return fmt.Errorf("%s takes no closing {{< /%s >}}", n.name, n.name)
	case n.parent && !n.closed:
		return fmt.Errorf("%s is not closed: add {{< /%s >}} on a line of its own", n.name, n.name)
	}
	switch n.name {
	case "callout":
		return r.callout(n)
	case "details":
		return r.details(n)
	case "figure":
		return r.figure(n)
	case "code", "include":
		return r.code(n)
	default: // video, youtube, vimeo
		return r.video(n)
	}
}

// callout is a box with a title and Markdown inside: a note, a tip or a
// warning. role="note" tells assistive technology it is an aside to the text.
type callout struct {
	kind  string
	title []byte // HTML
}

var calloutTitles = map[string]string{"note": "Note", "tip": "Tip", "warning": "Warning"}

func (r *run) callout(n *shortcode) error {
	a, err := argsOf(n, "type", "type", "title")
	if err != nil {
		return err
	}
	kind := cmp.Or(a["type"], "note")
	title, ok := calloutTitles[kind]
	if !ok {
		return fmt.Errorf("callout: type %q is not one of note, tip, warning", kind)
	}
	if t := strings.TrimSpace(a["title"]); t != "" {
		title = t
	}
	n.c = &callout{kind: kind, title: r.inline(title, n)}
	return nil
}

func (c *callout) open(w util.BufWriter) {
	w.WriteString(`<div class="callout callout-` + c.kind + `" role="note">` + "\n")
	w.WriteString(`<p class="callout-title">`)
	w.Write(c.title)
	w.WriteString("</p>\n")
}

func (c *callout) close(w util.BufWriter) { w.WriteString("</div>\n") }

// details is a disclosure: the summary shows, the Markdown inside opens on a
// click, with no script.
type details struct {
	summary  []byte // HTML
	expanded bool
}

func (r *run) details(n *shortcode) error {
	a, err := argsOf(n, "summary", "summary", "open")
	if err != nil {
		return err
	}
	summary, err := a.need("details", "summary")
	if err != nil {
		return err
	}
	d := &details{summary: r.inline(summary, n)}
	if v, ok := a["open"]; ok {
		if d.expanded, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("details: open=%q is not true or false", v)
		}
	}
	n.c = d
	return nil
}

func (d *details) open(w util.BufWriter) {
	if d.expanded {
		w.WriteString("<details class=\"details\" open>\n<summary>")
	} else {
		w.WriteString("<details class=\"details\">\n<summary>")
	}
	w.Write(d.summary)
	w.WriteString("</summary>\n")
}

func (d *details) close(w util.BufWriter) { w.WriteString("</details>\n") }

// figure is an image with a caption. The image is the same responsive <img>
// as a Markdown image, and is checked and listed the same way.
type figure struct{ caption []byte }

func (r *run) figure(n *shortcode) error {
	a, err := argsOf(n, "src", "src", "alt", "caption")
	if err != nil {
		return err
	}
	src, err := a.need("figure", "src")
	if err != nil {
		return err
	}
	line := r.lines.at(n.offset)
	img := r.image([]byte(src), a["alt"], "", line)
	n.AppendChild(n, img)
	f := &figure{}
	if c := strings.TrimSpace(a["caption"]); c != "" {
		f.caption = r.inline(c, n)
	}
	n.c = f
	return nil
}

func (f *figure) open(w util.BufWriter) { w.WriteString(`<figure class="figure">`) }

func (f *figure) close(w util.BufWriter) {
	if f.caption != nil {
		w.WriteString("<figcaption>")
		w.Write(f.caption)
		w.WriteString("</figcaption>")
	}
	w.WriteString("</figure>\n")
}

// codeInclude shows a file beside the document as a highlighted code block:
// the shortcode gets a fenced code block as its child, whose lines are kept
// after the end of the source (see [run.extra]), so it goes through the same
// highlighter as every fenced block.
type codeInclude struct{}

func (codeInclude) open(util.BufWriter)  {}
func (codeInclude) close(util.BufWriter) {}

func (r *run) code(n *shortcode) error {
	a, err := argsOf(n, "file", "file", "lang", "lines", "start", "end")
	if err != nil {
		return err
	}
	name, err := a.need(n.name, "file")
	if err != nil {
		return err
	}
	if r.opts.Include == nil {
		return fmt.Errorf("%s: files cannot be included here", n.name)
	}
	b, err := r.opts.Include(name)
	if err != nil {
		return fmt.Errorf("%s: %w", n.name, err)
	}
	body, err := selectLines(string(b), a)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", n.name, name, err)
	}
	lang := a["lang"]
	if lang == "" {
		if l := lexers.Match(path.Base(name)); l != nil {
			cfg := l.Config()
			lang = cfg.Name
			if len(cfg.Aliases) > 0 {
				lang = cfg.Aliases[0]
			}
		}
	}
	var info *ast.Text
	if f := strings.Fields(lang); len(f) > 0 {
		info = ast.NewTextSegment(r.keep(f[0]))
	}
	fc := ast.NewFencedCodeBlock(info)
	for _, l := range strings.SplitAfter(body, "\n") {
		if l != "" {
			fc.Lines().Append(r.keep(l))
		}
	}
	n.AppendChild(n, fc)
	n.c = codeInclude{}
	return nil
}

// selectLines returns the lines of a file that a code shortcode asks for:
// all, lines="N", "N-M" or "N-", or those between the first line containing
// start= and the next line containing end=. A part is dedented; every line
// ends in a newline.
func selectLines(s string, a args) (string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	lr, hasLines := a["lines"]
	start, hasStart := a["start"]
	end, hasEnd := a["end"]
	switch {
	case hasLines && (hasStart || hasEnd):
		return "", fmt.Errorf("lines= and start=/end= cannot be used together")
	case hasStart != hasEnd:
		return "", fmt.Errorf("start= and end= go together")
	case hasLines:
		from, to, err := lineRange(lr, len(lines))
		if err != nil {
			return "", err
		}
		lines = dedent(lines[from-1 : to])
	case hasStart:
		if start == "" || end == "" {
			return "", fmt.Errorf("start= and end= must not be empty")
		}
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, start) })
		if i < 0 {
			return "", fmt.Errorf("no line contains start=%q", start)
		}
		j := slices.IndexFunc(lines[i+1:], func(l string) bool { return strings.Contains(l, end) })
		if j < 0 {
			return "", fmt.Errorf("no line after line %d contains end=%q", i+1, end)
		}
		lines = dedent(lines[i+1 : i+1+j])
	}
	if len(lines) == 0 {
		return "", fmt.Errorf("nothing to show: the part asked for is empty")
	}
	out := strings.Join(lines, "")
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out, nil
}

// lineRange reads lines="N", "N-M" or "N-" for a file of total lines.
func lineRange(s string, total int) (from, to int, err error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(lo))
	to, err2 := from, error(nil)
	if isRange {
		to = total
		if hi = strings.TrimSpace(hi); hi != "" {
			to, err2 = strconv.Atoi(hi)
		}
	}
	switch {
	case err1 != nil || err2 != nil || from < 1 || to < from:
		return 0, 0, fmt.Errorf("lines=%q: want N, N-M or N- with 1 ≤ N ≤ M", s)
	case to > total:
		return 0, 0, fmt.Errorf("lines=%q: the file has %d lines", s, total)
	}
	return from, to, nil
}

// dedent removes the indentation all non-blank lines share, so a part taken
// from inside a function starts at the left margin.
func dedent(lines []string) []string {
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = ind, false
			continue
		}
		for !strings.HasPrefix(ind, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if prefix == "" {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, prefix)
		if strings.TrimSpace(l) == "" {
			out[i] = strings.TrimLeft(l, " \t")
		}
	}
	return out
}

// video is a facade for a YouTube or Vimeo video: a link to the video's
// page that looks like a player. No iframe, image or script is loaded from
// the video site, so nothing leaves the reader's browser until they click
// (DESIGN.md §8), and the Content-Security-Policy needs no third-party
// origin.
type video struct {
	url, title, host string
}

var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]{1,12}$`)
)

func (r *run) video(n *shortcode) error {
	a, err := argsOf(n, "id", "id", "title")
	if err != nil {
		return err
	}
	id, err := a.need(n.name, "id")
	if err != nil {
		return err
	}
	host, vid := videoOf(id)
	if host == "" || (n.name == "youtube" && host != "YouTube") || (n.name == "vimeo" && host != "Vimeo") {
		want := "a YouTube or Vimeo id or URL"
		if n.name != "video" {
			want = "a " + map[string]string{"youtube": "YouTube", "vimeo": "Vimeo"}[n.name] + " id or URL"
		}
		return fmt.Errorf("%s: id=%q is not %s", n.name, id, want)
	}
	v := &video{host: host, title: strings.TrimSpace(a["title"])}
	if v.title == "" {
		v.title = host + " video"
	}
	if host == "YouTube" {
		v.url = "https://www.youtube.com/watch?v=" + vid
	} else {
		v.url = "https://vimeo.com/" + vid
	}
	n.c = v
	return nil
}

// videoOf recognises a YouTube or Vimeo id or URL, returning the host's name
// and the video's id, or "" if it is neither.
func videoOf(s string) (host, id string) {
	switch {
	case youtubeID.MatchString(s) && !vimeoID.MatchString(s):
		return "YouTube", s
	case vimeoID.MatchString(s):
		return "Vimeo", s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", ""
	}
	h := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), "m.")
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	last := segs[len(segs)-1]
	switch h {
	case "youtu.be":
		id = segs[0]
	case "youtube.com", "youtube-nocookie.com":
		switch {
		case segs[0] == "watch":
			id = u.Query().Get("v")
		case len(segs) == 2 && (segs[0] == "embed" || segs[0] == "shorts" || segs[0] == "live" || segs[0] == "v"):
			id = segs[1]
		}
	case "vimeo.com", "player.vimeo.com":
		if vimeoID.MatchString(last) {
			return "Vimeo", last
		}
		return "", ""
	default:
		return "", ""
	}
	if youtubeID.MatchString(id) {
		return "YouTube", id
	}
	return "", ""
}

func (v *video) open(w util.BufWriter) {
	w.WriteString(`<p class="video"><a class="video-link" href="`)
	w.Write(util.EscapeHTML([]byte(v.url)))
	w.WriteString(`"><span class="video-play" aria-hidden="true">▶</span> <span class="video-title">`)
	w.Write(util.EscapeHTML([]byte(v.title)))
	w.WriteString(`</span> <span class="video-host">Play on ` + v.host + `</span></a></p>` + "\n")
}

func (v *video) close(util.BufWriter) {}

// inline renders a short text of an argument (a caption, a summary) as
// Markdown without its paragraph. Its links are the document's links, at the
// shortcode's line. Text that is more than one paragraph is shown escaped.
func (r *run) inline(s string, n *shortcode) []byte {
	line := r.lines.at(n.offset)
	sub, err := Render([]byte(s), Options{Dir: r.opts.Dir, Image: r.opts.Image, UnsafeHTML: r.opts.UnsafeHTML})
	if err != nil {
		return util.EscapeHTML([]byte(s))
	}
	for _, l := range sub.Links {
		l.Line = line
		r.res.Links = append(r.res.Links, l)
	}
	for _, p := range sub.Problems {
		r.problem(line, p.Msg, p.Warning)
	}
	r.res.Words += sub.Words
	h := bytes.TrimSuffix(sub.HTML, []byte("\n"))
	inner, ok := bytes.CutPrefix(h, []byte("<p>"))
	if inner, ok2 := bytes.CutSuffix(inner, []byte("</p>")); ok && ok2 && !bytes.Contains(inner, []byte("<p>")) {
		return inner
	}
	return util.EscapeHTML([]byte(s))
}

// keep stores s after the end of the source and returns its segment.
func (r *run) keep(s string) text.Segment {
	start := len(r.src) + len(r.extra)
	r.extra = append(r.extra, s...)
	return text.NewSegment(start, start+len(s))
}

// componentRenderer writes checked shortcodes; one that failed its checks
// writes nothing (the document has a problem and is not published).
type componentRenderer struct{}

func (componentRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindShortcode, renderComponent)
}

func renderComponent(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*shortcode)
	if n.c == nil {
		return ast.WalkSkipChildren, nil
	}
	if entering {
		n.c.open(w)
	} else {
		n.c.close(w)
	}
	return ast.WalkContinue, nil
}
