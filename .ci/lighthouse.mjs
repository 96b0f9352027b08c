// Lighthouse budgets for CI: runs the renderwise binary on a free port, audits
// a few page kinds with the mobile and desktop presets, prints the scores with
// LCP, CLS and TBT, and exits non-zero if a budget is missed.
//
//   node .ci/lighthouse.mjs [--bin bin/renderwise] [--out DIR]
//
// Without --bin (or RENDERWISE_BIN) it builds the binary with `go build`.
// Chromium comes from CHROME_PATH (default /usr/bin/chromium). Budgets:
// accessibility, best practices and SEO 100; performance at least
// LH_MIN_PERFORMANCE (default 95, since CI machines are noisy; we aim for 100).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

// [name, path, budgets that do not apply, and why]
const pages = [
  ["home", "/"],
  ["article (code, diagram)", "/articles/node/event-loop"],
  ["tag", "/tags/rendering"],
  ["search", "/search"],
  // A results page is noindex on purpose (search engines are asked not to
  // index internal search results), which Lighthouse's is-crawlable audit
  // counts against SEO; every other budget applies.
  ["search results", "/search?q=render", { seo: "noindex by design" }],
];
const presets = ["mobile", "desktop"];
const minPerformance = Number(process.env.LH_MIN_PERFORMANCE || 95);
const budgets = { performance: minPerformance, accessibility: 100, "best-practices": 100, seo: 100 };
const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
const chromeFlags = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
].join(" ");

const out = flag("--out") || process.env.LIGHTHOUSE_OUT || mkdtempSync(join(tmpdir(), "renderwise-lighthouse-"));
mkdirSync(out, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(base, server) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`renderwise exited with ${server.exitCode} before it was ready`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/readyz did not answer 200 within 60s`);
}

function lighthouse(url, preset, file) {
  const cli = join(here, "node_modules", "lighthouse", "cli", "index.js");
  const argv = [
    cli, url,
    "--only-categories=performance,accessibility,best-practices,seo",
    "--output=json", `--output-path=${file}`,
    `--chrome-flags=${chromeFlags}`,
    "--quiet",
  ];
  if (preset === "desktop") argv.push("--preset=desktop");
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CHROME_PATH: chromePath } });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse ${preset} ${url}: exit ${code}`))));
  });
}

let bin = flag("--bin") || process.env.RENDERWISE_BIN;
if (!bin) {
  bin = join(mkdtempSync(join(tmpdir(), "renderwise-bin-")), "renderwise");
  execFileSync("go", ["build", "-o", bin, "./cmd/renderwise"], { cwd: root, stdio: "inherit" });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// The base URL is the origin Lighthouse visits, so canonical links and the
// sitemap point at the same host (the SEO audits check that).
const logFile = join(out, "server.log");
const server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--base-url", base], { stdio: ["ignore", "ignore", openSync(logFile, "w")] });
console.log(`renderwise (pid ${server.pid}) on ${base}; reports and the server log in ${out}`);

const rows = [];
const misses = [];
let failed = false;
try {
  await waitReady(base, server);
  for (const preset of presets) {
    for (const [name, path, exempt = {}] of pages) {
      const file = join(out, `${preset}-${name.replace(/\W+/g, "-")}.json`);
      await lighthouse(base + path, preset, file);
      const lhr = JSON.parse(readFileSync(file, "utf8"));
      const score = (id) => Math.round(lhr.categories[id].score * 100);
      const audit = (id) => lhr.audits[id].numericValue;
      const row = {
        preset, page: name, path,
        performance: score("performance"), accessibility: score("accessibility"),
        "best-practices": score("best-practices"), seo: score("seo"),
        lcp: Math.round(audit("largest-contentful-paint")),
        cls: Number(audit("cumulative-layout-shift").toFixed(3)),
        tbt: Math.round(audit("total-blocking-time")),
      };
      row.note = Object.entries(exempt).map(([cat, why]) => `${cat}: ${why}`).join("; ");
      rows.push(row);
      for (const [cat, min] of Object.entries(budgets)) {
        if (row[cat] < min && !exempt[cat]) {
          const why = lhr.categories[cat].auditRefs
            .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 1)
            .map((r) => `${r.id} (${lhr.audits[r.id].displayValue || lhr.audits[r.id].score})`);
          misses.push(`${preset} ${path}: ${cat} ${row[cat]} < ${min}; failing audits: ${why.join(", ") || "none listed"}`);
        }
      }
    }
  }
} catch (err) {
  console.error(err.message);
  failed = true;
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
}

const pad = (s, n) => String(s).padEnd(n);
console.log("\n" + [pad("preset", 8), pad("page", 24), "perf  a11y  bp    seo   LCP ms  CLS    TBT ms"].join(" "));
for (const r of rows) {
  console.log([pad(r.preset, 8), pad(r.page, 24), pad(r.performance, 5), pad(r.accessibility, 5), pad(r["best-practices"], 5),
    pad(r.seo, 5), pad(r.lcp, 7), pad(r.cls, 6), pad(r.tbt, 6), r.note ? `(${r.note})` : ""].join(" ").trimEnd());
}
writeFileSync(join(out, "summary.json"), JSON.stringify(rows, null, 2) + "\n");

if (misses.length > 0) {
  console.error(`\nLighthouse budgets missed (performance >= ${minPerformance}, the others 100):`);
  for (const m of misses) console.error("  " + m);
  failed = true;
}
if (failed) process.exit(1);
console.log(`\nLighthouse: ${rows.length} audits within budget (performance >= ${minPerformance}, accessibility, best practices and SEO 100)`);
