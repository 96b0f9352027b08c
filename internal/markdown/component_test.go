package markdown

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestComponentProblemsHaveTheirLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"an unknown name", "text\n\n{{< gallery dir=\"x\" >}}\n", 3, `unknown component "gallery"`},
		{"an unknown argument", "{{< figure src=\"a.png\" width=\"3\" >}}", 1, "figure: unknown argument width (it takes src, alt, caption)"},
		{"a missing argument", "\n{{< figure alt=\"x\" >}}", 2, `figure: missing src="…"`},
		{"an argument given twice", "{{< figure src=a.png src=b.png >}}", 1, "figure: argument src given twice"},
		{"a positional value where none is taken", "{{< callout note tip >}}\nx\n{{< /callout >}}", 1, "callout: argument type given twice"},
		{"an unclosed quote", "{{< figure src=\"a.png >}}", 1, `figure: a quoted value is not closed with "`},
		{"no end on the line", "{{< figure src=\"a.png\"", 1, "shortcode figure is not closed with >}} on the same line"},
		{"text after the end", "{{< figure src=\"a.png\" >}} and more", 1, "text after the end of shortcode figure"},
		{"a callout never closed", "## T\n\n{{< callout >}}\ntext\n", 3, "callout is not closed: add {{< /callout >}}"},
		{"a stray closing line", "text\n\n{{< /details >}}\n", 3, "{{< /details >}} closes no open details"},
		{"a closing line for a component without content", "{{< /figure >}}", 1, "figure takes no closing {{< /figure >}}"},
		{"a bad callout type", "{{< callout type=\"danger\" >}}\nx\n{{< /callout >}}", 1, `callout: type "danger" is not one of note, tip, warning`},
		{"details without a summary", "{{< details >}}\nx\n{{< /details >}}", 1, `details: missing summary="…"`},
		{"details open not a boolean", "{{< details summary=s open=maybe >}}\nx\n{{< /details >}}", 1, `details: open="maybe" is not true or false`},
		{"a missing file", "a\n\n{{< code file=\"missing.go\" >}}", 3, "code: missing.go does not exist"},
		{"a line range past the end", "{{< code file=\"server.go\" lines=\"10-20\" >}}", 1, `code: server.go: lines="10-20": the file has 12 lines`},
		{"a bad line range", "{{< include file=\"server.go\" lines=\"five\" >}}", 1, `include: server.go: lines="five": want N, N-M or N-`},
		{"a start that matches nothing", "{{< code file=\"server.go\" start=\"// nope\" end=\"}\" >}}", 1, `code: server.go: no line contains start="// nope"`},
		{"an end that matches nothing", "{{< code file=\"server.go\" start=\"// end handler\" end=\"// begin\" >}}", 1, `code: server.go: no line after line 10 contains end="// begin"`},
		{"start without end", "{{< code file=\"server.go\" start=\"x\" >}}", 1, "start= and end= go together"},
		{"lines with start", "{{< code file=\"server.go\" lines=\"1\" start=\"x\" end=\"y\" >}}", 1, "lines= and start=/end= cannot be used together"},
		{"a video that is neither host", "{{< video https://example.com/v/1 >}}", 1, `video: id="https://example.com/v/1" is not a YouTube or Vimeo id or URL`},
		{"a Vimeo id given to youtube", "{{< youtube 76979871 >}}", 1, `youtube: id="76979871" is not a YouTube id or URL`},
		{"a bad component inside a callout", "{{< callout >}}\nok\n\n{{< figure >}}\n{{< /callout >}}", 4, `figure: missing src="…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Render([]byte(tt.src), goldenOptions(tt.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 1 {
				t.Fatalf("Render(%q) problems = %+v, want one at line %d: %s", tt.src, res.Problems, tt.line, tt.msg)
			}
			p := res.Problems[0]
			if p.Line != tt.line || !strings.Contains(p.Msg, tt.msg) || p.Warning {
				t.Errorf("Render(%q) problem = %+v, want an error at line %d containing %q", tt.src, p, tt.line, tt.msg)
			}
		})
	}
}

func TestIncludeErrorsAreTheCallers(t *testing.T) {
	t.Parallel()
	want := errors.New(`../secret is outside the content folder`)
	res, err := Render([]byte("{{< code ../secret >}}"), Options{Include: func(string) ([]byte, error) { return nil, want }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Msg != "code: "+want.Error() {
		t.Errorf("problems = %+v, want code: %v", res.Problems, want)
	}
	res, _ = Render([]byte("{{< code x.go >}}"), Options{})
	if len(res.Problems) != 1 || res.Problems[0].Msg != "code: files cannot be included here" {
		t.Errorf("without Include, problems = %+v", res.Problems)
	}
}

func TestShortcodesInCodeAreText(t *testing.T) {
	t.Parallel()
	src := "```md\n{{< figure src=\"a.png\" >}}\n```\n\nUse `{{< callout >}}` for a box.\n\n    {{< video x >}}\n\n{{< callout >}}\n```\n{{< /callout >}}\n```\n{{< /callout >}}\n"
	res, err := Render([]byte(src), Options{Dir: "/a"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems = %+v, want none", res.Problems)
	}
	html := string(res.HTML)
	for _, want := range []string{"{{&lt; figure", "<code>{{&lt; callout &gt;}}</code>", "{{&lt; video x &gt;}}", "<div class=\"callout callout-note\"", "{{&lt; /callout &gt;}}\n</code></pre>\n</div>"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
}

func TestStrayShortcodesWarn(t *testing.T) {
	t.Parallel()
	src := "Intro.\n\nSee {{image cover.png}} here,\nand {{< figure src=\"x\" >}} inline.\n\nA Go template {{ .Title }} is fine, and so is `{{code x}}`.\n"
	res, err := Render([]byte(src), Options{Dir: "/a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Line: 3, Msg: `{{image cover.png}} is shown as text: a component is written {{< name key="value" >}} on a line of its own`, Warning: true},
	}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("problems = %+v,\nwant %+v", res.Problems, want)
	}
	res, _ = Render([]byte("text\nand {{< figure src=\"x\" >}} inline.\n"), Options{Dir: "/a"})
	if len(res.Problems) != 1 || res.Problems[0].Line != 2 || !res.Problems[0].Warning {
		t.Errorf("a mid-line shortcode: problems = %+v, want a warning at line 2", res.Problems)
	}
}

func TestFigureIsAResponsiveImage(t *testing.T) {
	t.Parallel()
	src := "Text.\n\n{{< figure src=\"a.png\" alt=\"A chart\" caption=\"Requests per *second*\" >}}\n\n![second](b.png)\n"
	res, err := Render([]byte(src), Options{Dir: "/articles/x", Image: func(dest string) (Image, bool) {
		if dest == "/articles/x/a.png" {
			return Image{Width: 800, Height: 400, Srcset: "/_img/articles/x/a.png?w=320 320w"}, true
		}
		return Image{}, false
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<figure class="figure"><img src="/articles/x/a.png" alt="A chart" width="800" height="400" srcset="/_img/articles/x/a.png?w=320 320w" sizes="` + Sizes + `" fetchpriority="high" decoding="async"><figcaption>Requests per <em>second</em></figcaption></figure>`
	if !strings.Contains(string(res.HTML), want) {
		t.Errorf("HTML lacks\n%s\ngot:\n%s", want, res.HTML)
	}
	wantLinks := []Link{{Dest: "/articles/x/a.png", Line: 3, Image: true, Alt: "A chart"}, {Dest: "/articles/x/b.png", Line: 5, Image: true, Alt: "second"}}
	if !reflect.DeepEqual(res.Links, wantLinks) {
		t.Errorf("Links = %+v, want %+v", res.Links, wantLinks)
	}
}

func TestVideoIsAFacade(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3", "https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://m.youtube.com/shorts/dQw4w9WgXcQ"} {
		res, err := Render([]byte(`{{< video "`+id+`" title="A talk" >}}`), Options{})
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("video %s: %v %+v", id, err, res.Problems)
		}
		want := `<p class="video"><a class="video-link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"><span class="video-play" aria-hidden="true">▶</span> <span class="video-title">A talk</span> <span class="video-host">Play on YouTube</span></a></p>` + "\n"
		if string(res.HTML) != want {
			t.Errorf("video %s =\n%s\nwant\n%s", id, res.HTML, want)
		}
	}
	for _, id := range []string{"76979871", "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"} {
		res, _ := Render([]byte(`{{< vimeo "`+id+`" >}}`), Options{})
		if !strings.Contains(string(res.HTML), `href="https://vimeo.com/76979871"`) {
			t.Errorf("vimeo %s = %s", id, res.HTML)
		}
	}
	// Nothing is loaded from the video site before the click.
	res, _ := Render([]byte("{{< youtube dQw4w9WgXcQ >}}"), Options{})
	for _, bad := range []string{"<iframe", "<img", "<script", "src="} {
		if strings.Contains(string(res.HTML), bad) {
			t.Errorf("the facade has %s: %s", bad, res.HTML)
		}
	}
}

func TestSelectLines(t *testing.T) {
	t.Parallel()
	file := "a\n\tb {\n\t\tc\n\t}\nd"
	tests := []struct {
		args args
		want string
	}{
		{args{}, "a\n\tb {\n\t\tc\n\t}\nd\n"},
		{args{"lines": "2"}, "b {\n"},
		{args{"lines": "2-4"}, "b {\n\tc\n}\n"},
		{args{"lines": "4-"}, "\t}\nd\n"},
		{args{"start": "b {", "end": "}"}, "c\n"},
	}
	for _, tt := range tests {
		got, err := selectLines(file, tt.args)
		if err != nil || got != tt.want {
			t.Errorf("selectLines(%v) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
	if _, err := selectLines(file, args{"start": "a", "end": "b"}); err == nil {
		t.Error("an empty part between start and end: no error")
	}
}

func TestLinksAfterAnImageAreResolved(t *testing.T) {
	t.Parallel()
	res, err := Render([]byte("![a](x.png) then [next](streams) and more words\n"), Options{Dir: "/articles/node"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.HTML), `<a href="/articles/node/streams">next</a>`) || len(res.Links) != 2 || res.Words != 5 {
		t.Errorf("HTML %s, Links %+v, Words %d; want the link resolved and listed, 5 words", res.HTML, res.Links, res.Words)
	}
}

func TestHeadingAttributes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/heading-attributes.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(src, Options{Dir: "/a"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Headings {
		ids = append(ids, h.ID)
	}
	want := []string{"start", "a-heading-with-a-class", "kept", "start-1", "start-2", "café", "setext", "braces-in-text-not-attributes"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("heading IDs = %q, want %q", ids, want)
	}
	if strings.Contains(string(res.HTML), "{#") || strings.Contains(string(res.HTML), "tabindex=\"1\"") {
		t.Errorf("attribute text or a dropped attribute is left:\n%s", res.HTML)
	}
}

func TestUnsafeHTML(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/unsafe-html.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, unsafe := range []bool{false, true} {
		res, err := Render(src, Options{Dir: "/articles", UnsafeHTML: unsafe})
		if err != nil {
			t.Fatal(err)
		}
		if bad := forbidden(res.HTML); bad != "" {
			t.Errorf("UnsafeHTML=%v let %s through:\n%s", unsafe, bad, res.HTML)
		}
		kept := strings.Contains(string(res.HTML), `<p align="center"><img src="logo.png" width="120" height="40" alt="Logo"></p>`)
		if kept != unsafe {
			t.Errorf("UnsafeHTML=%v: harmless raw HTML kept = %v:\n%s", unsafe, kept, res.HTML)
		}
	}
	// The sanitizer keeps everything this package writes itself.
	for _, name := range []string{"code", "components", "footnotes", "headings", "links", "table"} {
		src, err := os.ReadFile("testdata/" + name + ".md")
		if err != nil {
			t.Fatal(err)
		}
		opts := goldenOptions(name)
		safe, _ := Render(src, opts)
		opts.UnsafeHTML = true
		unsafe, _ := Render(src, opts)
		if a, b := normalize(safe.HTML), normalize(unsafe.HTML); a != b {
			t.Errorf("%s: the sanitizer changed this package's own HTML:\n%s\nwant\n%s", name, b, a)
		}
	}
}

// normalize undoes the differences in spelling that sanitizing makes without
// changing what the HTML means.
func normalize(b []byte) string {
	return strings.NewReplacer("&quot;", "&#34;", "&#39;", "'", "&#160;", "\u00a0", "&#x21a9;&#xfe0e;", "\u21a9\ufe0e", "text-align: ", "text-align:").Replace(string(b))
}

func TestIncludedCodeRendersLikeAFencedBlock(t *testing.T) {
	t.Parallel()
	file, err := os.ReadFile("testdata/files/server.go")
	if err != nil {
		t.Fatal(err)
	}
	opts := goldenOptions("include")
	fenced, _ := Render([]byte("```go\n"+string(file)+"```\n"), opts)
	for _, src := range []string{`{{< code file="server.go" >}}`, `{{< include server.go lang="go" >}}`} {
		included, err := Render([]byte(src), opts)
		if err != nil || len(included.Problems) > 0 {
			t.Fatalf("Render(%s): %v %+v", src, err, included.Problems)
		}
		if !bytes.Equal(included.HTML, fenced.HTML) {
			t.Errorf("Render(%s) =\n%s\nwant the fenced block's\n%s", src, included.HTML, fenced.HTML)
		}
	}
}
