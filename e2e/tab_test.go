//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// A viewport the site must work at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	phone   = viewport{"phone", 390, 844, true}
	desktop = viewport{"desktop", 1280, 900, false}
)

// tabOptions say how a tab is set up before its first page.
type tabOptions struct {
	viewport viewport
	dark     bool // emulate prefers-color-scheme: dark
	noJS     bool // disable JavaScript, as a reader may
}

// tab is one browser tab, in a browser context of its own (its own cookies),
// that records every console error, uncaught exception, browser-log error,
// failed request and 4xx/5xx response. When the test ends, anything recorded
// fails it, and a failed test leaves a screenshot of the tab.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
	urls     map[network.RequestID]string
	allowed  map[string]bool // URLs expected to answer 4xx (the 404 page)
}

func newTab(t *testing.T, o tabOptions) *tab {
	t.Helper()
	needBrowser(t)
	if o.viewport.width == 0 {
		o.viewport = desktop
	}
	tb := &tab{t: t, urls: map[network.RequestID]string{}, allowed: map[string]bool{}}
	tctx, cancelTimeout := context.WithTimeout(browserCtx, 2*time.Minute)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	tb.ctx = ctx
	t.Cleanup(func() {
		cancel()
		cancelTimeout()
	})
	t.Cleanup(tb.finish)

	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if o.viewport.mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	scheme := "light"
	if o.dark {
		scheme = "dark"
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(o.viewport.width, o.viewport.height, opts...),
		call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}),
	}
	if o.noJS {
		steps = append(steps, call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("set up tab: %v", err)
	}
	return tb
}

// call wraps one protocol command as an action.
func call[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// allow lets a URL (path on this site) answer 4xx without failing the test.
func (tb *tab) allow(path string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.allowed[baseURL+path] = true
}

func (tb *tab) report(format string, args ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
}

// listen runs in the tab's event loop: it only records.
func (tb *tab) listen(ev any) {
	switch ev := ev.(type) {
	case *cdpruntime.EventConsoleAPICalled:
		if ev.Type == cdpruntime.ConsoleAPICalledTypeError || ev.Type == cdpruntime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			tb.report("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *cdpruntime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.report("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError && !tb.isAllowed(ev.Entry.URL) {
			tb.report("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		tb.mu.Lock()
		tb.urls[ev.RequestID] = ev.Request.URL
		tb.mu.Unlock()
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && !tb.isAllowed(ev.Response.URL) {
			tb.report("%s answered %d", ev.Response.URL, ev.Response.Status)
		}
	case *network.EventLoadingFailed:
		tb.mu.Lock()
		u := tb.urls[ev.RequestID]
		tb.mu.Unlock()
		// A request the page itself abandoned (a navigation that replaced
		// it) is not a failure of the site.
		if !ev.Canceled {
			tb.report("request for %s failed: %s %s", u, ev.ErrorText, ev.BlockedReason)
		}
	}
}

func (tb *tab) isAllowed(u string) bool {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.allowed[u]
}

// finish fails the test for anything recorded, and keeps a screenshot of a
// failed test.
func (tb *tab) finish() {
	tb.mu.Lock()
	problems := tb.problems
	tb.mu.Unlock()
	for _, p := range problems {
		tb.t.Errorf("browser: %s", p)
	}
	if tb.t.Failed() {
		tb.screenshot("FAIL-" + tb.t.Name())
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshot writes a full-page PNG named name into the screenshot folder.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(screenshotDir(tb.t), unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Errorf("screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot: %s", p)
}

// open navigates to a path on the site and checks the status of the
// document.
func (tb *tab) open(path string, status int64) {
	tb.t.Helper()
	if status >= 400 {
		tb.allow(path)
	}
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(baseURL+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != status {
		tb.t.Fatalf("open %s: status %d, want %d", path, resp.Status, status)
	}
}

// follow clicks the element sel and waits for the document it leads to.
func (tb *tab) follow(sel string) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		tb.t.Fatalf("follow %s: %v", sel, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("follow %s: %s answered %d", sel, resp.URL, resp.Status)
	}
}

// do runs actions, failing the test on an error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// path is the path (and query) of the current page.
func (tb *tab) path() string {
	tb.t.Helper()
	u, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("location: %v", err)
	}
	return strings.TrimPrefix(u, baseURL)
}

// eval evaluates a JavaScript expression in the page (it works with the
// page's own scripts disabled too) and decodes its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text is the visible text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// waitFor polls a JavaScript condition until it is true.
func (tb *tab) waitFor(what, cond string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		tb.t.Fatalf("waiting for %s (%s): %v", what, cond, err)
	}
}
