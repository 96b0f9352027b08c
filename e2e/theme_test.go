//go:build e2e

package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The page background in each theme, as getComputedStyle reports it
// (--bg in static/site.css).
const (
	lightBG = "rgb(255, 255, 255)"
	darkBG  = "rgb(15, 23, 42)"
)

func background(tb *tab) string {
	tb.t.Helper()
	return eval[string](tb, `getComputedStyle(document.body).backgroundColor`)
}

// pressed is the value of the theme button that shows as pressed.
func pressed(tb *tab) string {
	tb.t.Helper()
	return eval[string](tb, `document.querySelector('.theme-buttons button[aria-pressed="true"]')?.value ?? ""`)
}

// themeCookie is the value of the theme cookie, "" if there is none.
func themeCookie(tb *tab) string {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{baseURL + "/"}})
	if err != nil {
		tb.t.Fatalf("cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "theme" {
			return c.Value
		}
	}
	return ""
}

// TestSystemColorScheme: with no choice made, the page follows the system's
// prefers-color-scheme.
func TestSystemColorScheme(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		dark bool
		want string
	}{
		{"a light system gets the light theme", false, lightBG},
		{"a dark system gets the dark theme", true, darkBG},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t, tabOptions{viewport: phone, dark: tt.dark})
			tb.open("/articles/node/event-loop", 200)
			if got := background(tb); got != tt.want {
				t.Errorf("background %s, want %s", got, tt.want)
			}
			if got := pressed(tb); got != "system" {
				t.Errorf("pressed theme button %q, want system", got)
			}
		})
	}
}

// TestThemeButtons: with JavaScript, a theme button applies the choice at
// once, without a reload, and the cookie keeps it across reloads.
func TestThemeButtons(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: desktop})
	tb.open("/articles/node/event-loop", 200)
	eval[bool](tb, `window.stayed = true`)

	tb.do("press Dark", chromedp.Click(chromedp.CSS(`.theme-buttons button[value="dark"]`), chromedp.NodeVisible))
	if got := background(tb); got != darkBG {
		t.Errorf("after Dark the background is %s, want %s at once", got, darkBG)
	}
	if !eval[bool](tb, `window.stayed === true`) {
		t.Error("the theme button reloaded the page; with JavaScript it should apply in place")
	}
	if got, want := [2]string{pressed(tb), themeCookie(tb)}, [2]string{"dark", "dark"}; got != want {
		t.Errorf("after Dark: pressed button and cookie %q, want %q", got, want)
	}

	tb.do("reload", chromedp.Reload())
	if got := background(tb); got != darkBG {
		t.Errorf("after a reload the background is %s, want the chosen %s", got, darkBG)
	}
	if got := pressed(tb); got != "dark" {
		t.Errorf("after a reload the pressed button is %q, want dark", got)
	}

	tb.do("press System", chromedp.Click(chromedp.CSS(`.theme-buttons button[value="system"]`), chromedp.NodeVisible))
	if got := background(tb); got != lightBG {
		t.Errorf("after System (a light system) the background is %s, want %s", got, lightBG)
	}
	if got := themeCookie(tb); got != "" {
		t.Errorf("after System the theme cookie is %q, want none", got)
	}
	tb.do("reload", chromedp.Reload())
	if got := background(tb); got != lightBG {
		t.Errorf("after System and a reload the background is %s, want %s", got, lightBG)
	}
}

// TestThemeFormWithoutJavaScript: with scripts off, a theme button posts the
// form to /api/theme, which stores the choice and sends the reader back to
// the same page. The stored choice takes effect where scripts run: pages are
// the same bytes for every reader (cacheable), and the inline script in the
// head applies the cookie before the first paint.
func TestThemeFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t, tabOptions{viewport: phone, noJS: true})
	tb.open("/tags", 200)
	scriptsOff(tb)
	tb.follow(`.theme-buttons button[value="dark"]`)
	if got := tb.path(); got != "/tags" {
		t.Errorf("after the theme form the reader is at %s, want back at /tags", got)
	}
	if got := themeCookie(tb); got != "dark" {
		t.Errorf("theme cookie %q after choosing Dark, want dark", got)
	}

	tb.do("turn scripts on and reload",
		call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}),
		chromedp.Reload())
	if got := background(tb); got != darkBG {
		t.Errorf("with scripts on, the stored choice gives background %s, want %s", got, darkBG)
	}

	tb.do("turn scripts off", call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	tb.follow(`.theme-buttons button[value="system"]`)
	if got := themeCookie(tb); got != "" {
		t.Errorf("theme cookie %q after choosing System, want none", got)
	}
}
