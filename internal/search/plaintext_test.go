package search

import "testing"

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
