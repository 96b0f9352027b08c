//go:build e2e

package e2e

import (
	"os"
	"slices"
	"testing"
)

// TestLayout opens every page kind at phone and desktop sizes, in light and
// dark, checks that nothing scrolls sideways and that images fit, and keeps a
// full-page screenshot of each for people to look at.
func TestLayout(t *testing.T) {
	t.Parallel()
	t.Logf("screenshots in %s", screenshotDir(t))
	for _, vp := range []viewport{phone, desktop} {
		for _, dark := range []bool{false, true} {
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			t.Run(vp.name+"/"+scheme, func(t *testing.T) {
				tb := newTab(t, tabOptions{viewport: vp, dark: dark})
				for _, pk := range pageKinds {
					tb.open(pk.path, pk.status)
					tb.waitFor("fonts and images", `document.readyState === "complete"`)
					if sw, iw := eval[float64](tb, `document.scrollingElement.scrollWidth`), eval[float64](tb, `innerWidth`); sw > iw {
						wide := eval[[]string](tb, overflowing)
						t.Errorf("%s at %s: scrollWidth %v > innerWidth %v; too wide: %q", pk.path, vp.name, sw, iw, wide)
					}
					if n := eval[int](tb, `[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length`); n > 0 {
						t.Errorf("%s: %d images did not load", pk.path, n)
					}
					tb.screenshot(pk.name + "-" + vp.name + "-" + scheme)
				}
			})
		}
	}
}

// overflowing lists the elements whose right edge is past the window's, to
// say what makes a page scroll sideways.
const overflowing = `[...document.querySelectorAll("body *")]
	.filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
	.slice(0, 8)
	.map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + Math.round(e.getBoundingClientRect().right))`

// TestWholeSite opens every page in the sitemap on a phone in the light
// theme and on a desktop in the dark one: each loads with no console error
// or failed request, scrolls only vertically, and has no axe violations.
func TestWholeSite(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(needTool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	paths := sitemapPaths(t)
	for _, o := range []tabOptions{{viewport: phone}, {viewport: desktop, dark: true}} {
		name := o.viewport.name + "/light"
		if o.dark {
			name = o.viewport.name + "/dark"
		}
		t.Run(name, func(t *testing.T) {
			tb := newTab(t, o)
			ids := map[string][]string{} // path → the ids on that page
			type anchor struct{ From, Path, ID string }
			var anchors []anchor
			for _, p := range paths {
				tb.open(p, 200)
				ids[p] = eval[[]string](tb, `[...document.querySelectorAll("[id]")].map(e => e.id)`)
				for _, a := range eval[[]anchor](tb, `[...document.querySelectorAll("a[href*='#']")]
					.filter(a => a.origin === location.origin && a.hash.length > 1)
					.map(a => ({from: location.pathname + location.search, path: a.pathname, id: decodeURIComponent(a.hash.slice(1))}))`) {
					anchors = append(anchors, a)
				}
				if sw, iw := eval[float64](tb, `document.scrollingElement.scrollWidth`), eval[float64](tb, `innerWidth`); sw > iw {
					t.Errorf("%s: scrollWidth %v > innerWidth %v; too wide: %q", p, sw, iw, eval[[]string](tb, overflowing))
				}
				for _, v := range runAxe(tb, string(src)) {
					t.Errorf("%s: %s", p, v)
				}
			}
			// Every link to a fragment (the table of contents, heading
			// anchors, footnotes, links between articles) finds its target.
			for _, a := range anchors {
				targets, visited := ids[a.Path]
				if visited && !slices.Contains(targets, a.ID) {
					t.Errorf("%s links to %s#%s, which has no element with that id", a.From, a.Path, a.ID)
				}
			}
			if len(anchors) < 50 {
				t.Errorf("found only %d fragment links over the site; the check is not reaching them", len(anchors))
			}
		})
	}
}
