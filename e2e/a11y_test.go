//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeViolation is the part of an axe-core violation worth printing.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// runAxe injects axe-core into the page and returns its violations, with
// every rule axe runs by default (WCAG 2.x A and AA, and best practices).
func runAxe(tb *tab, src string) []axeViolation {
	tb.t.Helper()
	if !eval[bool](tb, `typeof axe !== "undefined"`) {
		eval[chromedp.Void](tb, src+"\n;undefined")
	}
	raw := eval[string](tb, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		tb.t.Fatalf("axe result: %v", err)
	}
	return vs
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n\t… and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n\t%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// TestAccessibility runs axe-core over every page kind in the light theme,
// the dark theme from the system, and the dark theme chosen on a light
// system, at both sizes: zero violations of any impact.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(needTool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, vp := range []viewport{desktop, phone} {
		for _, scheme := range []string{"light", "dark", "chosen-dark"} {
			t.Run(vp.name+"/"+scheme, func(t *testing.T) {
				tb := newTab(t, tabOptions{viewport: vp, dark: scheme == "dark"})
				if scheme == "chosen-dark" {
					if _, err := chromedp.Call(tb.ctx, network.SetCookie, network.SetCookieParams{Name: "theme", Value: "dark", URL: baseURL + "/"}); err != nil {
						t.Fatal(err)
					}
				}
				for _, pk := range pageKinds {
					tb.open(pk.path, pk.status)
					for _, v := range runAxe(tb, string(src)) {
						t.Errorf("%s: %s", pk.path, v)
					}
				}
				// The states scripts add: results typed into the search box,
				// and the answer of the ISR check.
				tb.open("/search", 200)
				tb.do("type a query", chromedp.SendKeys(chromedp.ID("q"), "cache"))
				tb.waitFor("results", `document.querySelectorAll(".search-results li").length > 0`)
				for _, v := range runAxe(tb, string(src)) {
					t.Errorf("/search after typing: %s", v)
				}
				tb.open("/articles/rendering/isr", 200)
				tb.do("check the cache", chromedp.Click(chromedp.CSS(".isr-check-button"), chromedp.NodeVisible))
				tb.waitFor("the answer", `/X-Cache/.test(document.querySelector(".isr-check-result").textContent)`)
				for _, v := range runAxe(tb, string(src)) {
					t.Errorf("ISR page after the check: %s", v)
				}
			})
		}
	}
}

// TestKeyboard: the first Tab reaches a visible skip link that jumps to the
// main content, and every control reached with Tab shows a focus ring.
func TestKeyboard(t *testing.T) {
	t.Parallel()
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			tb := newTab(t, tabOptions{viewport: vp})
			tb.open("/articles/node/event-loop", 200)

			tb.do("Tab", chromedp.KeyEvent(kb.Tab))
			type focus struct {
				Tag      string
				Class    string
				Text     string
				Rect     []float64
				Visible  bool // wholly inside the window
				OnScreen bool // at least partly inside the window
				Ring     bool
				InMain   bool
			}
			const describe = `(() => {
				const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
				return {
					tag: e.tagName.toLowerCase(), class: e.className, text: (e.textContent || e.value || "").trim().slice(0, 40),
					rect: [r.left, r.top, r.right, r.bottom].map(Math.round),
					visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
					onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
					ring: e.matches(":focus-visible") && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
					inMain: !!e.closest("main"),
				}
			})()`
			f := eval[focus](tb, describe)
			if f.Class != "skip-link" || !f.Visible || !f.Ring {
				t.Fatalf("first Tab focuses %+v, want the skip link, visible with a focus ring", f)
			}
			tb.do("Enter", chromedp.KeyEvent(kb.Enter))
			if got := eval[string](tb, `location.hash`); got != "#main" {
				t.Errorf("the skip link went to %q, want #main", got)
			}
			tb.do("Tab", chromedp.KeyEvent(kb.Tab))
			if f := eval[focus](tb, describe); !f.InMain {
				t.Errorf("after the skip link, Tab focuses %+v, want the first control in main", f)
			}

			// Walk the whole page with Tab from the top, until focus
			// leaves the page: each stop is on screen with a focus ring.
			tb.open("/articles/node/event-loop", 200)
			stops := 0
			for ; stops < 300; stops++ {
				tb.do("Tab", chromedp.KeyEvent(kb.Tab))
				f := eval[focus](tb, describe)
				if f.Tag == "body" || (stops > 0 && f.Class == "skip-link") {
					break
				}
				if !f.Ring || !f.OnScreen {
					t.Errorf("Tab stop %d (%+v): want it on screen with a focus ring", stops+1, f)
				}
			}
			if stops < 20 {
				t.Errorf("Tab reached only %d controls on an article", stops)
			}
		})
	}
}

// structure is what TestStructure reads from a page.
type structure struct {
	Lang      string
	Headings  []int
	Banner    int
	Main      int
	MainID    string
	Footer    int
	Navs      []string
	SkipHref  string
	SkipFirst bool
}

// TestStructure checks what axe leaves to people on every page kind: one
// h1 and no skipped heading levels, the landmarks (banner, navigation with
// names, main, contentinfo), a skip link to main, and a language.
func TestStructure(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: desktop})
	for _, pk := range pageKinds {
		tb.open(pk.path, pk.status)
		s := eval[structure](tb, `(() => {
			const top = sel => [...document.querySelectorAll(sel)].filter(e => !e.parentElement.closest("article, aside, main, nav, section"));
			const focusable = document.querySelector("a[href], button, input");
			return {
				lang: document.documentElement.lang,
				headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => +h.tagName[1]),
				banner: top("header").length,
				main: document.querySelectorAll("main").length,
				mainID: document.querySelector("main")?.id ?? "",
				footer: top("footer").length,
				navs: [...document.querySelectorAll("nav")].map(n => n.getAttribute("aria-label") ?? ""),
				skipHref: document.querySelector(".skip-link")?.getAttribute("href") ?? "",
				skipFirst: focusable?.classList.contains("skip-link") ?? false,
			}
		})()`)
		if s.Lang != "en" {
			t.Errorf("%s: lang %q, want en", pk.path, s.Lang)
		}
		if len(s.Headings) == 0 || s.Headings[0] != 1 {
			t.Errorf("%s: headings %v, want an h1 first", pk.path, s.Headings)
		}
		h1s := 0
		for i, h := range s.Headings {
			if h == 1 {
				h1s++
			}
			if i > 0 && h > s.Headings[i-1]+1 {
				t.Errorf("%s: heading levels %v skip from h%d to h%d", pk.path, s.Headings, s.Headings[i-1], h)
			}
		}
		if h1s != 1 {
			t.Errorf("%s: %d h1 elements, want 1", pk.path, h1s)
		}
		if s.Banner != 1 || s.Main != 1 || s.Footer != 1 {
			t.Errorf("%s: %d banner, %d main, %d contentinfo landmarks; want one each", pk.path, s.Banner, s.Main, s.Footer)
		}
		seen := map[string]bool{}
		for _, n := range s.Navs {
			if n == "" || seen[n] {
				t.Errorf("%s: navigation landmarks %q; each needs its own name", pk.path, s.Navs)
				break
			}
			seen[n] = true
		}
		if s.SkipHref != "#"+s.MainID || !s.SkipFirst {
			t.Errorf("%s: skip link %q first=%v, main id %q; want the first control to skip to main", pk.path, s.SkipHref, s.SkipFirst, s.MainID)
		}
	}
}
