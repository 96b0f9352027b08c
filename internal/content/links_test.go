package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLinksToOtherPagesAreChecked: with Options.Pages a link to a site
// path outside /articles/ that is no page is a problem with its line; a page,
// another site, a fragment and a query are not.
func TestLinksToOtherPagesAreChecked(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: A\ndescription: d.\ndate: 2026-11-01\ntags: [go]\n---\n" +
			"[ok](/tags/go) [ok](/tags/go#top) [ok](/search?q=x) [ok](https://example.org/tags/nope) [ok](//cdn.example/x)\n\n" +
			"[gone](/tags/nope)\n\n![gone](/static/logo.png)\n")},
	}
	pages := func(site *Site, p string) bool {
		if strings.ContainsAny(p, "?#") {
			t.Errorf("Pages asked with a query or fragment: %q", p)
		}
		_, ok := site.Tag(strings.TrimPrefix(p, "/tags/"))
		return p == "/search" || ok
	}
	_, err := LoadWith(fsys, Options{Pages: pages})
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("Load = %v, want problems", err)
	}
	var got []string
	for _, p := range pe.Problems {
		got = append(got, p.String())
	}
	want := []string{"a.md:9: links to /tags/nope, which is not a page of the site", "a.md:11: links to /static/logo.png, which is not a page of the site"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := LoadWith(fsys, Options{}); err != nil {
		t.Errorf("without Pages, only /articles/ links are checked: %v", err)
	}
}
