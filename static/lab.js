// The delivery lab, measured from the browser: each row's URL is fetched in
// turn (never from the HTTP cache), and its cells get the status, the
// caching headers, the time to the response's headers (first byte) and to
// its last byte. Without this script the table shows the server's own
// measurement of the same fetches.
const rows = [...document.querySelectorAll("tr[data-lab-url]")];
const caption = document.querySelector(".lab-source");

function set(row, name, text) {
  const cell = row.querySelector(`[data-lab="${name}"]`);
  if (cell) cell.textContent = text || "—";
}

async function measure() {
  for (const row of rows) {
    const start = performance.now();
    try {
      const res = await fetch(row.dataset.labUrl, { cache: "no-store", headers: { "X-Lab": "browser" } });
      const firstByte = performance.now() - start;
      const body = await res.arrayBuffer();
      const total = performance.now() - start;
      set(row, "status", String(res.status));
      set(row, "cache", res.headers.get("X-Cache"));
      set(row, "age", res.headers.get("Age"));
      set(row, "ttfb", `${firstByte.toFixed(1)} ms`);
      set(row, "total", `${total.toFixed(1)} ms`);
      set(row, "size", `${(body.byteLength / 1000).toFixed(1)} KB (decoded)`);
      set(row, "timing", res.headers.get("Server-Timing"));
    } catch (err) {
      set(row, "status", "failed");
    }
  }
  if (caption) caption.textContent = "Measured by your browser just now";
  document.documentElement.dataset.labDone = "true";
}

measure();
