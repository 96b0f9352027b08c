package markdown

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".md")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Render(src, goldenOptions(name))
			if err != nil {
				t.Fatalf("Render(%s): %v", in, err)
			}
			probs := res.Problems
			if name == "rawhtml" { // dropped, as it should be, and said so once
				if len(probs) == 0 || !strings.HasPrefix(probs[0].Msg, "raw HTML is dropped, here and in") || !probs[0].Warning {
					t.Errorf("Render(%s): no warning that raw HTML is dropped: %+v", in, probs)
				}
				probs = probs[min(1, len(probs)):]
			}
			if len(probs) > 0 {
				t.Errorf("Render(%s) has problems: %+v", in, probs)
			}
			golden := strings.TrimSuffix(in, ".md") + ".golden.html"
			if *update {
				if err := os.WriteFile(golden, res.HTML, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/markdown -update)", err)
			}
			if !bytes.Equal(res.HTML, want) {
				t.Errorf("Render(%s) differs from %s:\ngot:\n%s\nwant:\n%s", in, golden, res.HTML, want)
			}
		})
	}
}

// goldenOptions are the options of a golden case: files to include come from
// testdata/files, and cases named unsafe-* pass raw HTML through the
// sanitizer.
func goldenOptions(name string) Options {
	return Options{
		Dir: "/articles/node",
		Include: func(n string) ([]byte, error) {
			b, err := fs.ReadFile(os.DirFS("testdata/files"), n)
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s does not exist", n)
			}
			return b, err
		},
		UnsafeHTML: strings.HasPrefix(name, "unsafe-"),
	}
}

func TestRawHTMLNeverPassesThrough(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/rawhtml.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(src, Options{Dir: "/articles"})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.ToLower(string(res.HTML))
	for _, bad := range []string{"<script", "onerror=", "onclick=", "javascript:", "<b>", "<div"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, res.HTML)
		}
	}
}

func TestHeadings(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/headings.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(src, Options{Dir: "/articles"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Heading{
		{Level: 2, ID: "getting-started", Text: "Getting started"},
		{Level: 3, ID: "a-code-heading", Text: "A code heading"},
		{Level: 2, ID: "getting-started-1", Text: "Getting started"},
	}
	if !reflect.DeepEqual(res.Headings, want) {
		t.Errorf("Headings = %+v, want %+v", res.Headings, want)
	}
	again, _ := Render(src, Options{Dir: "/articles"})
	if !bytes.Equal(again.HTML, res.HTML) {
		t.Error("rendering the same source twice gave different HTML; heading IDs must be stable")
	}
}

func TestLinksAreResolvedWithTheirLines(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/links.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(src, Options{Dir: "/articles/node"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{
		{Dest: "/articles/node/streams", Line: 1},
		{Dest: "/articles/node/event-loop#phases", Line: 1},
		{Dest: "/articles/node/loop.svg", Line: 2, Image: true, Alt: "a diagram"},
		{Dest: "/", Line: 4},
		{Dest: "https://example.com", Line: 4},
	}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("Links = %+v,\nwant %+v", res.Links, want)
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src   string
		words int
	}{
		{"", 0},
		{"one two three", 3},
		{"## Node's event-loop\n\nIt **really** works.", 5},
		{"```go\nfunc main() {}\n```\n\nafter code", 2},
	}
	for _, tt := range tests {
		res, err := Render([]byte(tt.src), Options{Dir: "/"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Words != tt.words {
			t.Errorf("Render(%q).Words = %d, want %d", tt.src, res.Words, tt.words)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# hi", "<script>x</script>", "[a](javascript:x)", "```\ncode\n```", "| a |\n|---|\n| b |", "[^1]\n\n[^1]: x",
		"<div onclick=\"x()\">a</div>", "<a href=\"javascript:x\">a</a>", "<img src=x onerror=alert(1)>", "<iframe src=//x></iframe>",
		"## T {#id onclick=x style=color:red}", "{{< figure src=\"javascript:x\" caption=\"<script>x</script>\" >}}",
		"{{< callout >}}\n<script>x</script>\n{{< /callout >}}", "{{< details summary=\"<b onclick=x>s</b>\" >}}\nx\n{{< /details >}}",
		"{{< video https://youtu.be/dQw4w9WgXcQ title=\"<script>\" >}}", "{{< code file=\"x.go\" >}}"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, unsafe bool) {
		include := func(string) ([]byte, error) { return []byte(src), nil }
		res, err := Render([]byte(src), Options{Dir: "/articles", Include: include, UnsafeHTML: unsafe})
		if err != nil {
			return
		}
		if bad := forbidden(res.HTML); bad != "" {
			t.Errorf("Render(%q, UnsafeHTML=%v) let %s through: %s", src, unsafe, bad, res.HTML)
		}
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > strings.Count(src, "\n")+1 {
				t.Errorf("Render(%q): problem %+v is not on a line of the source", src, p)
			}
		}
	})
}

// forbidden returns what the HTML has that hostile Markdown must never get
// into a page, or "": a script, iframe, object, embed or form element, an
// event handler attribute, or a javascript: (or vbscript:) URL.
// urlAttrs are the attributes whose value a browser follows as a URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"cite": true, "data": true, "background": true, "xlink:href": true, "ping": true}

// scriptURL reports whether a browser would read v as a javascript: or
// vbscript: URL, parsing the scheme as the URL standard does: leading and
// trailing spaces and controls dropped, tabs and newlines removed
// anywhere, then a letter followed by letters, digits, "+", "-" or ".",
// up to the first ":". "0javascript:x" is a relative path, not a scheme.
func scriptURL(v string) bool {
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0] // a srcset candidate: the URL before its width
	}
	scheme, _, ok := strings.Cut(v, ":")
	if !ok || scheme == "" {
		return false
	}
	for i, c := range scheme {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter || i > 0 && !letter && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return strings.EqualFold(scheme, "javascript") || strings.EqualFold(scheme, "vbscript")
}

func forbidden(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "object", "embed", "form", "style", "base", "meta", "link":
				return "a <" + tok.Data + "> element"
			}
			for _, a := range tok.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on"):
					return "an event handler " + a.Key
				case urlAttrs[a.Key] && scriptURL(a.Val), a.Key == "srcset" && slices.ContainsFunc(strings.Split(a.Val, ","), scriptURL):
					return "a script URL in " + a.Key
				case a.Key == "style" && tok.Data != "th" && tok.Data != "td":
					return "a style attribute"
				}
			}
		}
	}
}

func TestResponsiveImages(t *testing.T) {
	t.Parallel()
	src := "![First photo](a.png)\n\n![Second, with \"quotes\"](b.png)\n\n![](unknown.png)\n"
	res, err := Render([]byte(src), Options{Dir: "/articles/x", Image: func(dest string) (Image, bool) {
		switch dest {
		case "/articles/x/a.png":
			return Image{Width: 1200, Height: 630, Srcset: "/_img/articles/x/a.png?w=320 320w, /_img/articles/x/a.png?w=640 640w"}, true
		case "/articles/x/b.png":
			return Image{Width: 800, Height: 600}, true
		}
		return Image{}, false
	}})
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{
		`<img src="/articles/x/a.png" alt="First photo" width="1200" height="630" srcset="/_img/articles/x/a.png?w=320 320w, /_img/articles/x/a.png?w=640 640w" sizes="` + Sizes + `" fetchpriority="high" decoding="async">`,
		`<img src="/articles/x/b.png" alt="Second, with &quot;quotes&quot;" width="800" height="600" loading="lazy" decoding="async">`,
		`<img src="/articles/x/unknown.png" alt="" loading="lazy" decoding="async">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks\n%s\ngot:\n%s", want, html)
		}
	}
	if len(res.Links) != 3 || res.Links[0].Alt != "First photo" || res.Links[2].Alt != "" {
		t.Errorf("Links = %+v, want three images with their alt texts", res.Links)
	}
}

// BenchmarkRender renders the course's longest article with raw HTML dropped
// (the default) and with it sanitized, to show what UnsafeHTML costs.
func BenchmarkRender(b *testing.B) {
	src := benchArticle(b)
	for _, unsafe := range []bool{false, true} {
		name := "dropped"
		if unsafe {
			name = "sanitized"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Render(src, Options{Dir: "/articles/node", UnsafeHTML: unsafe}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSanitize is the sanitizer alone, over the rendered HTML of the
// same article: the part of BenchmarkRender/sanitized that UnsafeHTML adds.
func BenchmarkSanitize(b *testing.B) {
	res, err := Render(benchArticle(b), Options{Dir: "/articles/nextjs"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(res.HTML)))
	for b.Loop() {
		sanitize(res.HTML)
	}
}

// benchArticle is the body of the course's longest article.
func benchArticle(b *testing.B) []byte {
	b.Helper()
	src, err := os.ReadFile("../../articles/nextjs/middleware.md")
	if err != nil {
		b.Fatal(err)
	}
	if _, body, ok := bytes.Cut(src[3:], []byte("\n---\n")); ok {
		return body
	}
	return src
}

// TestScriptURL: the fuzz check reads a scheme as browsers do, so it
// neither misses a disguised script URL nor flags a harmless path.
func TestScriptURL(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"javascript:alert(1)": true, " JaVaScRiPt:x": true, "java\tscript:x": true, "\x01javascript:x": true,
		"vbscript:x": true, "javascript:x 2x": true, "0javascript:x": false, "/a?javascript:x": false,
		"https://example.com/javascript:": false, "": false, "x-javascript:y": false,
	} {
		if got := scriptURL(v); got != want {
			t.Errorf("scriptURL(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestRemoteImagesAreLinks: an image from another site (a README's badge)
// is never loaded: it becomes its alternative text, a link to the image
// unless it already is in a link, and the first local image stays eager.
func TestRemoteImagesAreLinks(t *testing.T) {
	t.Parallel()
	src := "[![build](https://ci.example/badge.svg)](https://ci.example/runs) ![Chart <1>](//cdn.example/c.png) ![](http://x.example/y.png)\n\n![Local](a.png)\n"
	res, err := Render([]byte(src), Options{Dir: "/articles"})
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{
		`<a href="https://ci.example/runs"><span class="remote-image">build</span></a>`,
		`<a class="remote-image" href="//cdn.example/c.png">Chart &lt;1&gt;</a>`,
		`<a class="remote-image" href="http://x.example/y.png">image</a>`,
		`<img src="/articles/a.png" alt="Local" fetchpriority="high"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks\n%s\ngot:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<img src=\"http") || strings.Contains(html, "<img src=\"//") {
		t.Errorf("a remote image is loaded:\n%s", html)
	}
}
