//go:build e2e

package e2e

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const eventLoop = "/articles/node/event-loop"

// stepState is what the stepper shows for one step.
type stepState struct {
	Count    string
	Line     string
	Note     string
	Phase    string
	Current  []string // the highlighted phase, if any
	Stack    []string
	Ticks    []string
	Promises []string
	Timers   []string
	Check    []string
	Output   []string
}

const readStep = `(() => {
	const s = document.querySelector(".stepper");
	const items = cls => [...s.querySelectorAll("." + cls + " li:not(.stepper-empty)")].map(li => li.textContent);
	return {
		count: s.querySelector(".stepper-count").textContent,
		line: s.querySelector(".stepper-line code").textContent,
		note: s.querySelector(".stepper-note").textContent,
		phase: s.querySelector(".stepper-phase").textContent,
		current: [...s.querySelectorAll(".stepper-phases [aria-current=step]")].map(li => li.textContent),
		stack: items("stepper-stack"), ticks: items("stepper-ticks"), promises: items("stepper-promises"),
		timers: items("stepper-timers"), check: items("stepper-check"), output: items("stepper-output"),
	};
})()`

// TestEventLoopStepper walks the event-loop article's stepper from the first
// step to the last with the Next button and back with the keyboard, and
// checks what it shows against the article itself: each step's line is a
// line of the program, the output grows one line at a time to exactly the
// article's output block, the phases are the loop's, and the order of the
// queues is the one the article explains.
func TestEventLoopStepper(t *testing.T) {
	t.Parallel()
	t.Run("with JavaScript", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone})
		tb.open(eventLoop, 200)
		tb.waitFor("the stepper", `!!document.querySelector(".stepper")`)
		// It sits right after the section's output block.
		if !eval[bool](tb, `(() => { const p = document.querySelector(".stepper").previousElementSibling; return !!p && !!p.querySelector("code.language-output"); })()`) {
			t.Error("the stepper is not right after the example's output block")
		}
		program := eval[string](tb, `document.querySelector("#event-loop-stepper ~ .code-block pre").innerText`)
		want := strings.Fields(eval[string](tb, `document.querySelector("#event-loop-stepper ~ .code-block pre:has(> code.language-output)").innerText`))
		if !slices.Equal(want, []string{"sync", "nextTick", "promise", "immediate", "timeout"}) {
			t.Fatalf("the article's output block says %q", want)
		}

		var steps []stepState
		for i := 0; i < 40; i++ {
			s := eval[stepState](tb, readStep)
			steps = append(steps, s)
			if eval[string](tb, `document.querySelector(".stepper-next").getAttribute("aria-disabled")`) == "true" {
				break
			}
			if i == 5 {
				tb.screenshot("stepper-step6-phone")
			}
			tb.do("press Next", chromedp.Click(chromedp.CSS(".stepper-next"), chromedp.NodeVisible))
		}
		n := len(steps)
		if n < 8 || n >= 40 {
			t.Fatalf("%d steps", n)
		}
		phases := []string{"pending callbacks", "idle, prepare", "poll", "check", "close callbacks", "timers"}
		var lastOut []string
		for i, s := range steps {
			if want := "Step " + strconv.Itoa(i+1) + " of " + strconv.Itoa(n); s.Count != want {
				t.Errorf("step %d shows %q, want %q", i+1, s.Count, want)
			}
			if !strings.HasPrefix(s.Line, "(") && !strings.Contains(program, strings.TrimSuffix(strings.TrimSuffix(s.Line, " … });"), " … }")) {
				t.Errorf("step %d runs %q, which is not a line of the article's program", i+1, s.Line)
			}
			if s.Note == "" || !strings.HasPrefix(s.Phase, "Phase: ") {
				t.Errorf("step %d: note %q, phase %q", i+1, s.Note, s.Phase)
			}
			for _, c := range s.Current {
				if !strings.Contains(s.Phase, c) || !slices.Contains(phases, c) {
					t.Errorf("step %d highlights phase %q but says %q", i+1, c, s.Phase)
				}
			}
			// Output only grows, by at most a line a step.
			if len(s.Output) < len(lastOut) || len(s.Output) > len(lastOut)+1 || !slices.Equal(s.Output[:len(lastOut)], lastOut) {
				t.Errorf("step %d: output %q after %q", i+1, s.Output, lastOut)
			}
			// A callback prints only when its queue gave it up: a line that
			// appears leaves its queue in the same step.
			if len(s.Output) > len(lastOut) {
				line := s.Output[len(s.Output)-1]
				for name, q := range map[string][]string{"nextTick": s.Ticks, "promise": s.Promises, "immediate": s.Check, "timeout": s.Timers} {
					if name == line && slices.Contains(q, line) {
						t.Errorf("step %d prints %q while it is still queued", i+1, line)
					}
				}
				// nextTick before promises: nothing is printed from the
				// promise queue while the nextTick queue holds something.
				if line == "promise" && len(s.Ticks) > 0 {
					t.Errorf("step %d runs a promise handler before the nextTick queue is empty", i+1)
				}
			}
			lastOut = s.Output
		}
		if !slices.Equal(lastOut, want) {
			t.Errorf("the stepper ends with output %q, the article says %q", lastOut, want)
		}
		for _, s := range steps {
			if slices.Contains(s.Current, "check") && !slices.Equal(s.Output[len(s.Output)-1:], []string{"immediate"}) {
				t.Errorf("%s in the check phase prints %q, want immediate", s.Count, s.Output)
			}
		}
		if len(steps[n-1].Stack)+len(steps[n-1].Ticks)+len(steps[n-1].Promises)+len(steps[n-1].Timers)+len(steps[n-1].Check) != 0 {
			t.Errorf("the last step still has work queued: %+v", steps[n-1])
		}

		// By keyboard: the focused button keeps focus at the end (it is
		// aria-disabled, not disabled); Enter on Previous goes back, and
		// the arrow keys step too.
		tb.do("focus Next", chromedp.Focus(chromedp.CSS(".stepper-next")))
		tb.do("Enter at the end", chromedp.KeyEvent(kb.Enter))
		if got := eval[stepState](tb, readStep).Count; got != steps[n-1].Count {
			t.Errorf("Next at the last step moved to %q", got)
		}
		if !eval[bool](tb, `document.activeElement.classList.contains("stepper-next")`) {
			t.Error("focus left the Next button at the last step")
		}
		tb.do("Shift+Tab to Previous", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
		if !eval[bool](tb, `document.activeElement.classList.contains("stepper-prev") && document.activeElement.matches(":focus-visible")`) {
			t.Fatal("Shift+Tab from Next does not reach Previous with a focus ring")
		}
		tb.do("Enter on Previous", chromedp.KeyEvent(kb.Enter))
		tb.do("Space on Previous", chromedp.KeyEvent(" "))
		if got, want := eval[stepState](tb, readStep), steps[n-3]; !slices.Equal(got.Output, want.Output) || got.Count != want.Count {
			t.Errorf("two steps back by keyboard shows %+v, want %+v", got, want)
		}
		tb.do("ArrowRight", chromedp.KeyEvent(kb.ArrowRight))
		if got := eval[stepState](tb, readStep).Count; got != steps[n-2].Count {
			t.Errorf("ArrowRight shows %q, want %q", got, steps[n-2].Count)
		}
		// It fits the phone: nothing in it is wider than the window.
		if wide := eval[[]string](tb, `[...document.querySelectorAll(".stepper, .stepper *")].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.className)`); len(wide) > 0 {
			t.Errorf("at 390 px these parts of the stepper are too wide: %q", wide)
		}
		if src, err := os.ReadFile(needTool(t, "axe-core/axe.min.js")); err == nil {
			for _, v := range runAxe(tb, string(src)) {
				t.Errorf("stepper: %s", v)
			}
		}
	})

	t.Run("without JavaScript the article reads fully", func(t *testing.T) {
		tb := newTab(t, tabOptions{viewport: phone, noJS: true})
		tb.open(eventLoop, 200)
		scriptsOff(tb)
		if n := eval[int](tb, `document.querySelectorAll(".stepper, .stepper-next, .stepper-prev").length`); n != 0 {
			t.Errorf("%d stepper controls without JavaScript", n)
		}
		text := eval[string](tb, `document.querySelector(".prose").innerText`)
		for _, want := range []string{"The order in one experiment", `process.nextTick(() => console.log("nextTick"));`, "sync\nnextTick\npromise\nimmediate\ntimeout", "nextTick before promises"} {
			if !strings.Contains(text, want) {
				t.Errorf("without JavaScript the article lacks %q", want)
			}
		}
	})
}
