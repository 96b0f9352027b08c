package search

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"tags are dropped and entities decoded", "<p>a &lt;b&gt; &amp; c&nbsp;d</p>", "a <b> & c d"},
		{"block elements separate words", "<h2>One</h2><p>two</p><ul><li>three</li><li>four</li></ul>", "One two three four"},
		{"inline elements do not separate words", "<p>re<b>nder</b>ing <code>x</code>y</p>", "rendering xy"},
		{"line breaks separate words", "a<br>b<br/>c", "a b c"},
		{"white space is collapsed", "  <p>\n\ta \n b\t</p>  ", "a b"},
		{"script and style content is dropped", "a<script>var x = '<p>';</script>b <style>p{}</style>c", "a b c"},
		{"nested hidden elements are dropped whole", "a<svg><svg><title>t</title></svg><text>u</text></svg>b", "a b"},
		{"comments are dropped", "a<!-- note -->b", "ab"},
		{"numeric entities are decoded", "&#233;t&#xE9;", "été"},
		{"an unclosed tag ends the text", "a <p", "a"},
		{"empty input", "", ""},
		{"a heading's # anchor is dropped", `<h2 id="a">Getting started<a href="#a" class="heading-anchor" tabindex="-1">#</a></h2><p>Text.</p>`, "Getting started Text."},
		{"a heading's ¶ anchor is dropped", `<h2 id="a">Start<a class="x heading-anchor" href="#a">¶</a></h2>`, "Start"},
		{"footnote numbers and back-links are dropped", `<p>In 2009.<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup></p><ol><li><p>Berlin.&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p></li></ol>`, "In 2009. Berlin."},
		{"aria-hidden content is dropped", `<p>a<span aria-hidden="true">★★</span>b</p>`, "a b"},
		{"button labels are dropped", `<p>a</p><button type="button">Copy</button><p>b</p>`, "a b"},
		{"code blocks are not prose", `<pre class="chroma"><code><span class="kn">package</span> main</code></pre><p>Prose.</p>`, "Prose."},
		{"inline code is prose", "<p>Call <code>fetch()</code> once.</p>", "Call fetch() once."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PlainText([]byte(tt.in)); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtractTextCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Text
	}{
		{
			name: "code blocks go to Code, one space apart",
			in: `<p>Before.</p><pre class="chroma"><code><span class="line"><span class="kd">func</span> <span class="nf">main</span><span class="p">()</span>
</span></code></pre><p>Between.</p><pre><code>indented code
</code></pre><p>After.</p>`,
			want: Text{Prose: "Before. Between. After.", Code: "func main() indented code"},
		},
		{
			name: "a nested pre stays code until the outer one closes",
			in:   "<pre>a<pre>b</pre>c</pre>d",
			want: Text{Prose: "d", Code: "a b c"},
		},
		{
			name: "no code blocks, no code",
			in:   "<p>a</p>",
			want: Text{Prose: "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ExtractText([]byte(tt.in)); got != tt.want {
				t.Errorf("ExtractText(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripDirectives(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"text without braces is returned as it is", "plain {text}", "plain {text}"},
		{"a shortcode with angle brackets is removed", `a {{< figure src="x.png" caption="Loop" >}} b`, "a   b"},
		{"a shortcode with percent signs is removed", "a {{% notice warning %}} b", "a   b"},
		{"a closing shortcode is removed and the content kept", "{{< callout >}}Keep this{{< /callout >}}", " Keep this "},
		{"a template action is removed", "Title: {{ .Title }}.", "Title:  ."},
		{"a Liquid tag is removed", "a {% raw %} b", "a   b"},
		{"a shortcode whose HTML was dropped leaves empty braces, removed too", "a {{}} b", "a   b"},
		{"a shortcode closes only at its own closer", `{{< x a="}}" >}}b`, " b"},
		{"an unclosed opener loses its braces only", "a {{ b", "a   b"},
		{"a far closer does not swallow the text", "{{" + strings.Repeat("x", maxDirective) + "}}", " " + strings.Repeat("x", maxDirective) + "}}"},
		{"a single brace is kept", "a { b } c", "a { b } c"},
		{"brace expansion in prose is not an action", "For example, {{a} will match and {a}} will", "For example,  a} will match and {a}} will"},
		{"an action does not span lines", "a {{ b\nc }} d", "a   b\nc }} d"},
		{"a shortcode may span lines", "a {{< figure\n src=\"x\" >}} d", "a   d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stripDirectives(tt.in); got != tt.want {
				t.Errorf("stripDirectives(%.60q) = %.60q, want %.60q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzExtractText(f *testing.F) {
	for _, s := range []string{
		"<p>a</p>", `<h2>x<a class="heading-anchor">#</a></h2>`, "<pre>a<pre>b</pre>",
		"{{< figure >}}", "{{% a %}}{{ .T }}{% raw %}", "{{{<", "<p>{{&lt; x &gt;}}</p>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := ExtractText([]byte(s))
		for _, part := range []string{text.Prose, text.Code} {
			if part != collapse(part) {
				t.Errorf("ExtractText(%q) = %q, want white space collapsed", s, part)
			}
			stripped := stripDirectives(part)
			if strings.Contains(stripped, "{{") || strings.Contains(stripped, "{%") {
				t.Errorf("stripDirectives(%q) = %q, want no {{ or {%% left", part, stripped)
			}
		}
	})
}
