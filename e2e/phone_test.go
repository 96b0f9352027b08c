//go:build e2e

package e2e

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOutputLabels: a block of program output (```output in Markdown) is
// labelled "Output", with and without scripts, and code is not.
func TestOutputLabels(t *testing.T) {
	t.Parallel()
	for _, noJS := range []bool{false, true} {
		name := "with JavaScript"
		if noJS {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			tb := newTab(t, tabOptions{viewport: phone, noJS: noJS})
			tb.open(eventLoop, 200)
			if noJS {
				scriptsOff(tb)
			}
			type label struct {
				Output bool
				Label  string
				Clear  bool // the label does not cover the first line
			}
			got := eval[[]label](tb, `[...document.querySelectorAll(".prose pre")].map(pre => {
				const b = getComputedStyle(pre, "::before"), code = pre.querySelector("code");
				const label = b.content === "none" ? "" : b.content.replace(/^"|"$/g, "");
				const top = pre.getBoundingClientRect().top + parseFloat(b.top) + parseFloat(b.lineHeight);
				return { output: !!pre.querySelector("code.language-output"), label, clear: top <= code.getBoundingClientRect().top + 1 };
			})`)
			outputs := 0
			for i, l := range got {
				switch {
				case l.Output && (l.Label != "Output" || !l.Clear):
					t.Errorf("output block %d: label %q (clear of the text: %v), want Output above the text", i, l.Label, l.Clear)
				case !l.Output && l.Label != "":
					t.Errorf("code block %d is labelled %q", i, l.Label)
				}
				if l.Output {
					outputs++
				}
			}
			if outputs != 1 {
				t.Errorf("%d output blocks on the event-loop article, want 1", outputs)
			}
		})
	}
}

// TestCodeScrollHint: on a phone a code block wider than the screen says it
// scrolls sideways, and stops saying so once scrolled to its end; a block
// that fits says nothing.
func TestCodeScrollHint(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: phone})
	tb.open("/articles/rendering/ssr", 200)
	tb.waitFor("code.js", `!!document.querySelector(".code-block")`)
	type block struct {
		Over bool
		Hint string
	}
	const read = `[...document.querySelectorAll(".code-block")].map(w => {
		const pre = w.querySelector("pre"), a = getComputedStyle(w, "::after");
		return { over: pre.scrollWidth > pre.clientWidth, hint: a.content === "none" ? "" : a.content };
	})`
	blocks := eval[[]block](tb, read)
	wide := -1
	for i, b := range blocks {
		if b.Over != (b.Hint != "") {
			t.Errorf("code block %d: scrolls %v, hint %q", i, b.Over, b.Hint)
		}
		if b.Over && wide < 0 {
			wide = i
		}
	}
	if wide < 0 {
		t.Fatal("no code block scrolls sideways at 390 px on the SSR article; the hint is untested")
	}
	// The hint sits in the strip above the code, clear of the copy button.
	if !eval[bool](tb, `(() => {
		const w = document.querySelectorAll(".code-block")[`+strconv.Itoa(wide)+`], a = getComputedStyle(w, "::after");
		const b = w.querySelector(".copy-button").getBoundingClientRect(), r = w.getBoundingClientRect();
		return r.right - parseFloat(a.right) <= b.left && parseFloat(a.top) + parseFloat(a.lineHeight || 16) <= parseFloat(getComputedStyle(w.querySelector("pre")).paddingTop);
	})()`) {
		t.Error("the scroll hint overlaps the copy button or the code")
	}
	tb.do("scroll the block to its end", chromedp.Evaluate[chromedp.Void](`(() => { const p = document.querySelectorAll(".code-block pre")[`+strconv.Itoa(wide)+`]; p.scrollLeft = p.scrollWidth; })()`))
	tb.waitFor("the hint to go", `getComputedStyle(document.querySelectorAll(".code-block")[`+strconv.Itoa(wide)+`], "::after").content === "none"`)
}

// TestDiagramLinks: every diagram opens full size, and on a phone the link
// says so.
func TestDiagramLinks(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: phone})
	for _, p := range []string{eventLoop, "/articles/rendering/isr", "/articles/rendering/ssr", "/articles/node/streams", "/articles/node-vs-nextjs", "/articles/choosing"} {
		tb.open(p, 200)
		type diagram struct {
			Src, Href, Hint string
		}
		got := eval[[]diagram](tb, `[...document.querySelectorAll(".prose img[src$='.svg']")].map(i => {
			const a = i.closest("a");
			return { src: i.getAttribute("src"), href: a ? a.getAttribute("href") : "", hint: a ? getComputedStyle(a, "::after").content : "" };
		})`)
		if len(got) == 0 {
			t.Errorf("%s: no diagram", p)
		}
		for _, d := range got {
			if d.Href != d.Src || d.Hint != `"Open the diagram full size"` {
				t.Errorf("%s: diagram %s links to %q with hint %s; want a link to itself that says it opens full size", p, d.Src, d.Href, d.Hint)
			}
		}
	}
}

// TestHomeCourseFirstScreen: on a phone the home page's course list starts
// within the first screen, with and without scripts.
func TestHomeCourseFirstScreen(t *testing.T) {
	t.Parallel()
	for _, noJS := range []bool{false, true} {
		tb := newTab(t, tabOptions{viewport: phone, noJS: noJS})
		tb.open("/", 200)
		bottom := eval[float64](tb, `document.querySelector(".course-item .card-title").getBoundingClientRect().bottom`)
		if h := eval[float64](tb, `innerHeight`); bottom > h {
			t.Errorf("scripts off %v: the first course item's title ends at %.0f px, below the first screen (%.0f px)", noJS, bottom, h)
		}
		if eval[string](tb, `document.querySelector(".delivery").textContent`) == "" {
			t.Error("the home page lost its delivery panel")
		}
	}
}
