// The event-loop stepper: the event-loop article's own example (order.mjs),
// one step at a time, with the call stack, the process.nextTick and promise
// queues, the timers and setImmediate callbacks waiting, the phase of the
// loop and the output so far. Only an article with a heading
// {#event-loop-stepper} loads this module (internal/page); it goes after
// that section's output block. Without scripts the article reads the same:
// the program, its output and the text that explains the order.
//
// The steps follow Node.js 24 (libuv 1.45 and later: timers at the end of a
// turn) and the article's text; e2e/stepper_test.go checks that each step's
// line is in the article's program and that the output ends as the
// article's output block says.
const PHASES = ["pending callbacks", "idle, prepare", "poll", "check", "close callbacks", "timers"];

const STEPS = [
  {
    phase: "main script", code: 'readFile(process.argv[1], () => { … });', stack: ["order.mjs (the module)"],
    note: "Node.js runs the module from top to bottom. readFile hands the read to libuv's thread pool and returns at once; its callback waits for the result.",
  },
  {
    phase: "poll", stack: [],
    note: "The module has finished and the queues are empty. The loop starts; no timer is due, so it waits in the poll phase until the read completes.",
  },
  {
    phase: "poll", code: "readFile(process.argv[1], () => {", stack: ["readFile callback"],
    note: "The read is done. In the poll phase the loop calls the readFile callback: everything it schedules is scheduled from inside an I/O callback.",
  },
  {
    phase: "poll", code: 'setTimeout(() => console.log("timeout"), 0);', stack: ["readFile callback", "setTimeout"], timers: ["timeout"],
    note: "setTimeout registers a timer. A delay of 0 means 1 ms, and a timer's callback runs only in the timers phase.",
  },
  {
    phase: "poll", code: 'setImmediate(() => console.log("immediate"));', stack: ["readFile callback", "setImmediate"], timers: ["timeout"], check: ["immediate"],
    note: "setImmediate queues its callback for the check phase, which comes right after poll in this turn.",
  },
  {
    phase: "poll", code: 'Promise.resolve().then(() => console.log("promise"));', stack: ["readFile callback", "then"], promises: ["promise"], timers: ["timeout"], check: ["immediate"],
    note: "The promise is already resolved, so its .then handler goes straight into the promise (microtask) queue.",
  },
  {
    phase: "poll", code: 'process.nextTick(() => console.log("nextTick"));', stack: ["readFile callback", "process.nextTick"], ticks: ["nextTick"], promises: ["promise"], timers: ["timeout"], check: ["immediate"],
    note: "process.nextTick puts its callback in Node.js's own nextTick queue.",
  },
  {
    phase: "poll", code: 'console.log("sync");', stack: ["readFile callback", "console.log"], ticks: ["nextTick"], promises: ["promise"], timers: ["timeout"], check: ["immediate"], print: "sync",
    note: "The callback is still running, so the synchronous line prints first.",
  },
  {
    phase: "poll", code: 'process.nextTick(() => console.log("nextTick"));', stack: ["nextTick callback"], promises: ["promise"], timers: ["timeout"], check: ["immediate"], print: "nextTick",
    note: "The readFile callback returns. Before the loop goes on, Node.js empties the nextTick queue…",
  },
  {
    phase: "poll", code: 'Promise.resolve().then(() => console.log("promise"));', stack: ["promise handler"], timers: ["timeout"], check: ["immediate"], print: "promise",
    note: "…and then the promise queue. Both microtask queues are empty again: nextTick before promises.",
  },
  {
    phase: "check", code: 'setImmediate(() => console.log("immediate"));', stack: ["setImmediate callback"], timers: ["timeout"], print: "immediate",
    note: "The poll phase has nothing more to do, so the loop moves on to the check phase, where setImmediate callbacks run.",
  },
  {
    phase: "timers", code: 'setTimeout(() => console.log("timeout"), 0);', stack: ["setTimeout callback"], print: "timeout",
    note: "No close callbacks. At the end of the turn the loop runs the timers whose delay has passed. (Had 1 ms not passed yet, the loop would wait for it in the next poll phase; the order stays the same.)",
  },
  {
    phase: "exit", stack: [],
    note: "Nothing is left that could produce an event: no timers, no I/O, no immediates. The loop ends and the process exits.",
  },
];

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

// box is one labelled list: a queue, the stack or the output.
const box = (label, cls) => {
  const list = el("ul", { className: "stepper-list" });
  const wrap = el("div", { className: "stepper-box " + cls }, el("p", { className: "stepper-label" }, label), list);
  return { wrap, list };
};

const fill = (list, items, empty = "empty") => {
  list.replaceChildren(...(items.length ? items.map((t) => el("li", {}, t)) : [el("li", { className: "stepper-empty" }, empty)]));
};

const heading = document.getElementById("event-loop-stepper");
if (heading) {
  // The section's output block; the stepper goes after it.
  let anchor = heading;
  for (let n = heading.nextElementSibling; n && !/^H[1-3]$/.test(n.tagName); n = n.nextElementSibling) {
    if (n.querySelector("code.language-output") || n.matches("pre:has(> code.language-output)")) {
      anchor = n;
      break;
    }
  }

  const count = el("span", { className: "stepper-count" });
  const prev = el("button", { type: "button", className: "stepper-prev" }, "Previous");
  const next = el("button", { type: "button", className: "stepper-next" }, "Next");
  const code = el("code");
  const note = el("p", { className: "stepper-note" });
  const phases = el("ol", { className: "stepper-phases" }, ...PHASES.map((p) => el("li", {}, p)));
  const phase = el("p", { className: "stepper-phase" });
  const stack = box("Call stack", "stepper-stack");
  const ticks = box("process.nextTick queue", "stepper-ticks");
  const promises = box("Promise queue", "stepper-promises");
  const timers = box("Timers", "stepper-timers");
  const check = box("setImmediate (check)", "stepper-check");
  const output = box("Output", "stepper-output");
  // The step is announced as a whole: number, line and what happens.
  const live = el("div", { className: "stepper-live" }, count, el("p", { className: "stepper-line" }, code), note);
  live.setAttribute("aria-live", "polite");

  const root = el("section", { className: "stepper" },
    el("div", { className: "stepper-head" },
      el("p", { className: "stepper-title", id: "event-loop-stepper-title" }, "Step through order.mjs"),
      el("div", { className: "stepper-buttons" }, prev, next)),
    live,
    phase,
    phases,
    el("div", { className: "stepper-state" }, stack.wrap, ticks.wrap, promises.wrap, timers.wrap, check.wrap, output.wrap));
  root.setAttribute("aria-labelledby", "event-loop-stepper-title");

  let at = 0;
  const show = () => {
    const s = STEPS[at];
    count.textContent = `Step ${at + 1} of ${STEPS.length}`;
    code.textContent = s.code || "(no line of the program runs)";
    code.classList.toggle("stepper-idle", !s.code);
    note.textContent = s.note;
    const i = PHASES.indexOf(s.phase);
    phase.textContent = "Phase: " + (i >= 0 ? s.phase : s.phase === "exit" ? "none (the loop has ended)" : "none yet (the main script, before the loop)");
    phases.querySelectorAll("li").forEach((li, j) => {
      if (j === i) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    fill(stack.list, s.stack);
    fill(ticks.list, s.ticks || []);
    fill(promises.list, s.promises || []);
    fill(timers.list, s.timers || []);
    fill(check.list, s.check || []);
    const printed = STEPS.slice(0, at + 1).filter((x) => x.print).map((x) => x.print);
    fill(output.list, printed, "nothing yet");
    output.list.lastElementChild.classList.toggle("stepper-new", !!s.print);
    // At either end the button stays focusable (aria-disabled, not
    // disabled), so keyboard focus is never dropped on the page.
    prev.setAttribute("aria-disabled", String(at === 0));
    next.setAttribute("aria-disabled", String(at === STEPS.length - 1));
  };
  const go = (d) => {
    const to = Math.min(STEPS.length - 1, Math.max(0, at + d));
    if (to !== at) {
      at = to;
      show();
    }
  };
  prev.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(1));
  root.addEventListener("keydown", (e) => {
    if (!e.target.closest(".stepper-buttons")) return;
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      go(e.key === "ArrowRight" ? 1 : -1);
    }
  });
  show();
  anchor.after(root);
}
