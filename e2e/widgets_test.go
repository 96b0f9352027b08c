//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestCopyCodeButton: every code block of an article gets a Copy button,
// and pressing it puts the block's text on the clipboard.
func TestCopyCodeButton(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: desktop})
	// Headless Chromium has a clipboard, but asks permission for it; grant
	// it for this site in this tab's browser context, as a reader would.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(tb.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission:       &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:          browser.PermissionSettingGranted,
			Origin:           baseURL,
			BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
		})
		if err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	tb.open("/articles/node/event-loop", 200)
	blocks := eval[int](tb, `document.querySelectorAll(".prose pre").length`)
	buttons := eval[int](tb, `document.querySelectorAll(".code-block > .copy-button").length`)
	if blocks == 0 || buttons != blocks {
		t.Fatalf("%d code blocks and %d copy buttons, want one button each", blocks, buttons)
	}
	want := eval[string](tb, `document.querySelectorAll(".code-block pre")[1].innerText.replace(/\n$/, "")`)
	tb.do("press Copy on the second block",
		chromedp.Click(chromedp.JSPath(`document.querySelectorAll(".code-block .copy-button")[1]`), chromedp.NodeVisible))
	tb.waitFor("the button to say Copied", `document.querySelectorAll(".code-block .copy-button")[1].textContent === "Copied"`)
	got := eval[string](tb, `navigator.clipboard.readText()`)
	if got != want || !strings.Contains(got, "\n") {
		t.Errorf("clipboard holds %q, want the block's text %q", got, want)
	}
}

// TestISRCheck: on an ISR page the "try it" box in the delivery panel asks
// the server how it would answer now and shows X-Cache.
func TestISRCheck(t *testing.T) {
	t.Parallel()
	t.Run("with JavaScript", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone})
		tb.open("/articles/rendering/isr", 200)
		tb.do("press the check button", chromedp.Click(chromedp.CSS(".delivery .isr-check-button"), chromedp.NodeVisible))
		tb.waitFor("the answer", `/X-Cache: \w+/.test(document.querySelector(".isr-check-result").textContent)`)
		got := tb.text(".isr-check-result")
		if !regexp.MustCompile(`^X-Cache: (HIT|STALE) · generated \d\d:\d\d:\d\d UTC · ETag "`).MatchString(got) {
			t.Errorf("the check shows %q, want X-Cache: HIT or STALE, the generation time and the ETag", got)
		}
	})
	t.Run("without JavaScript the box stays hidden", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone, noJS: true})
		tb.open("/articles/rendering/isr", 200)
		scriptsOff(tb)
		if !eval[bool](tb, `getComputedStyle(document.querySelector(".isr-check")).display === "none"`) {
			t.Error("the check button shows without JavaScript, where it cannot work")
		}
	})
}
