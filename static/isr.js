// ISR you can watch. The delivery panel of an ISR page says when its copy
// was generated and until when it is fresh; this module counts down to that
// moment and then asks the server how it answers now (the page fetched again,
// skipping the browser's cache): X-Cache STALE with the old generation time,
// then, a moment later, HIT with the new one, and the countdown starts over.
// The button asks at any time. The box shows only where scripts run
// (site.css, html.js); without them the panel's text says the same once.
//
// Every time is shown as HH:MM:SS UTC, the panel's own clock format.
const clock = (t) => new Date(t).toISOString().slice(11, 19) + " UTC";

// Automatic checks stop after this many, so a forgotten tab does not fetch
// the page every interval for ever; the button still works.
const MAX_AUTO = 6;

for (const box of document.querySelectorAll(".isr-check")) {
  const panel = box.closest(".delivery");
  const button = box.querySelector("button");
  const out = box.querySelector("output");
  // The panel's sentence about staleness becomes the countdown.
  const timer = panel.querySelector(".delivery-stale");
  timer.setAttribute("role", "timer");
  const interval = Number(panel.dataset.revalidate) * 1000;
  const first = Date.parse(panel.dataset.generated);
  let generated = first;
  let skew = 0; // server clock minus ours, from the Date of the last answer
  let autos = 0;
  let tick;

  const check = async () => {
    out.textContent = "…";
    try {
      const res = await fetch(location.pathname, { cache: "no-store" });
      const html = await res.text();
      const date = Date.parse(res.headers.get("Date"));
      if (date) skew = date - Date.now();
      const got = new DOMParser().parseFromString(html, "text/html").querySelector(".delivery[data-generated]");
      const status = res.headers.get("X-Cache") || "none";
      const at = got ? Date.parse(got.dataset.generated) : NaN;
      const etag = (res.headers.get("ETag") || "").slice(0, 10);
      out.textContent = `X-Cache: ${status} · generated ${at ? clock(at) : "?"} · ETag ${etag}…`;
      out.dataset.cache = status;
      return { status, at };
    } catch (err) {
      out.textContent = `Request failed: ${err.message}`;
      return { status: "error" };
    }
  };

  // count shows the time left and, when it runs out, checks: STALE (the
  // copy served once more while it regenerates), then again until HIT with
  // a new generation time, which restarts the countdown.
  const count = () => {
    clearTimeout(tick);
    const stale = generated + interval;
    const left = stale - (Date.now() + skew);
    // About as long as the server's sentence, so the panel keeps its height.
    const tail = "the next request gets this copy once more, marked STALE, and starts the regeneration.";
    if (left > 0) {
      const secs = `${Math.ceil(left / 1000)} s more, until ${clock(stale)}`;
      timer.textContent = generated > first
        ? `The server's copy from ${clock(generated)} is fresh for ${secs}; then it too is served once more, marked STALE, while it regenerates.`
        : `Fresh for ${secs}; after that, ${tail}`;
      tick = setTimeout(count, ((left - 1) % 1000) + 1);
      return;
    }
    timer.textContent = generated > first
      ? `The server's copy from ${clock(generated)} has been stale since ${clock(stale)}: ${tail.replace("this copy", "it")}`
      : `Stale since ${clock(stale)}: ${tail}`;
    // Only a box someone can see checks by itself (the home page hides it
    // on phones), and only so many times.
    if (autos >= MAX_AUTO || document.hidden || !box.offsetParent) return;
    autos++;
    tick = setTimeout(async () => {
      const got = await check();
      if (got.status === "error") return;
      if (got.at > generated) {
        generated = got.at;
        return count();
      }
      // The answer was the old copy; its regeneration takes a moment.
      tick = setTimeout(async () => {
        const next = await check();
        if (next.at > generated) generated = next.at;
        count();
      }, 1500);
    }, 500);
  };

  button.addEventListener("click", async () => {
    const { at } = await check();
    if (at > generated) {
      generated = at;
      count();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) count();
  });
  count();
}
