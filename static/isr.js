// The ISR "try it" box: asks the server how it would answer this page now
// (a HEAD request that skips the browser cache) and shows X-Cache and the
// generation time, so a reader can watch a page go stale and regenerate.
// The box shows only where scripts run (site.css, html.js).
for (const box of document.querySelectorAll(".isr-check")) {
  const button = box.querySelector("button");
  const out = box.querySelector("output");
  button.addEventListener("click", async () => {
    out.textContent = "…";
    try {
      const res = await fetch(location.pathname, { method: "HEAD", cache: "no-store" });
      const etag = res.headers.get("ETag") || "";
      out.textContent = `X-Cache: ${res.headers.get("X-Cache")} · ETag ${etag.slice(0, 10)}… · ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      out.textContent = `Request failed: ${err.message}`;
    }
  });
}
