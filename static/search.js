// Search as you type. The page works without this module: the form submits
// to /search, which renders results on the server. With it, results come
// from /api/search while typing, and the address bar keeps the query.
const input = document.querySelector("#q");
const form = input?.form;
let results = document.querySelector(".search-results");
let count = document.querySelector(".search-count");
let timer;
let latest = 0;

function ensureOutput() {
  if (!count) {
    count = document.createElement("p");
    count.className = "search-count";
    count.setAttribute("role", "status");
    form.after(count);
  }
  if (!results) {
    results = document.createElement("ol");
    results.className = "search-results";
    count.after(results);
  }
}

function render(data) {
  ensureOutput();
  count.textContent = `${data.total} ${data.total === 1 ? "result" : "results"} matching “${data.query}”`;
  results.replaceChildren(...data.results.map((r) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.className = "card-title";
    a.href = r.path;
    a.textContent = r.title;
    const p = document.createElement("p");
    p.className = "search-snippet";
    for (const part of r.fragments) {
      const node = part.match ? document.createElement("mark") : document.createTextNode(part.text);
      if (part.match) node.textContent = part.text;
      p.append(node);
    }
    li.append(a, p);
    return li;
  }));
}

async function search(q) {
  const id = ++latest;
  const res = await fetch(`/api/search?q=${encodeURIComponent(q)}`);
  if (!res.ok || id !== latest) return;
  render(await res.json());
  history.replaceState(null, "", q ? `/search?q=${encodeURIComponent(q)}` : "/search");
}

input?.addEventListener("input", () => {
  clearTimeout(timer);
  const q = input.value.trim();
  if (!q) return;
  timer = setTimeout(() => search(q).catch(() => {}), 150);
});
