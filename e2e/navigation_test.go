//go:build e2e

package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReadingTheCourse walks the site as a reader does, at both sizes: from
// the home page into an article by its link, down the table of contents,
// along the series with next and previous, and over to a tag page.
func TestReadingTheCourse(t *testing.T) {
	t.Parallel()
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := newTab(t, tabOptions{viewport: vp})
			tb.open("/", 200)

			// Home → the third part of the course, by its link.
			const link = `.course-item:nth-child(3) a.card-title`
			want := tb.text(link)
			tb.follow(link)
			if got := tb.path(); got != "/articles/node/event-loop" {
				t.Fatalf("the third course link led to %s, want /articles/node/event-loop", got)
			}
			if got := tb.text("main h1"); got != want {
				t.Errorf("article heading %q, want the link's text %q", got, want)
			}

			// Each table-of-contents entry scrolls its heading to the top.
			targets := eval[[]string](tb, `[...document.querySelectorAll("nav.toc a")].map(a => a.hash)`)
			if len(targets) < 3 {
				t.Fatalf("table of contents has %d entries, want at least 3", len(targets))
			}
			for _, hash := range []string{targets[len(targets)-1], targets[1]} {
				tb.do("click "+hash, chromedp.Click(chromedp.CSS(`nav.toc a[href="`+hash+`"]`), chromedp.NodeVisible))
				tb.waitFor("the heading "+hash+" at the top of the window",
					`(() => { const r = document.getElementById(`+jsString(hash[1:])+`).getBoundingClientRect();
					          return location.hash === `+jsString(hash)+` && r.top >= -1 && r.top < innerHeight / 3 })()`)
			}
			if y := eval[float64](tb, `scrollY`); y <= 0 {
				t.Errorf("after the table of contents the page is not scrolled (scrollY %v)", y)
			}

			// Next, then previous, along the series.
			next := strings.TrimPrefix(tb.text("a.pager-next"), "Next")
			tb.follow("a.pager-next")
			if got := tb.path(); got != "/articles/node/streams" {
				t.Errorf("next led to %s, want /articles/node/streams", got)
			}
			if got := tb.text("main h1"); got != strings.TrimSpace(next) {
				t.Errorf("after next the heading is %q, want %q", got, next)
			}
			tb.follow("a.pager-prev")
			if got := tb.path(); got != "/articles/node/event-loop" {
				t.Errorf("previous led to %s, want /articles/node/event-loop", got)
			}

			// A tag of the article lists it.
			tag := tb.text(".article-header .tag-list a.tag")
			tb.follow(".article-header .tag-list a.tag")
			if got := tb.path(); got != "/tags/"+tag {
				t.Errorf("the tag %q led to %s", tag, got)
			}
			if got := tb.text("main h1"); !strings.Contains(got, tag) {
				t.Errorf("tag page heading %q does not name %q", got, tag)
			}
			titles := eval[[]string](tb, `[...document.querySelectorAll("main .cards a.card-title")].map(a => a.pathname)`)
			if !slices.Contains(titles, "/articles/node/event-loop") {
				t.Errorf("tag page %s lists %v, not the article it came from", tag, titles)
			}

			// The tag index leads to the same page.
			tb.open("/tags", 200)
			tb.follow(`.tag-cloud a.tag[href="/tags/` + tag + `"]`)
			if got := tb.path(); got != "/tags/"+tag {
				t.Errorf("the tag index led to %s, want /tags/%s", got, tag)
			}
		})
	}
}

// TestNotFoundPage: an unknown address answers 404 with the site's page,
// which is not indexed and leads back into the site.
func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: phone})
	tb.open("/no/such/page", 404)
	if got := tb.text("main h1"); got != "Page not found" {
		t.Errorf("404 heading %q", got)
	}
	if got := eval[string](tb, `document.querySelector('meta[name="robots"]')?.content ?? ""`); got != "noindex" {
		t.Errorf("404 page robots meta %q, want noindex", got)
	}
	tb.follow(`main a[href="/"]`)
	if got := tb.path(); got != "/" {
		t.Errorf("the 404 page's home link led to %s", got)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}
