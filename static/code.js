// A copy button on every code block. Only pages with code load this module.
//
// A block whose lines are wider than the page scrolls sideways; it joins the
// tab order while it does, so a keyboard can scroll it too (WCAG 2.1.1).
// The block's wrapper then says so ("Scroll sideways →", site.css) until
// the reader has scrolled to the end.
const mark = (pre, over, atEnd) => {
  if (over) pre.tabIndex = 0;
  else pre.removeAttribute("tabindex");
  pre.parentElement.classList.toggle("scrolls", over);
  pre.parentElement.classList.toggle("scrolled", atEnd);
};
// Reads first, then writes: one layout for all blocks, not one each. The
// observer also reports every block once when it starts observing it.
const resized = new ResizeObserver((entries) => {
  const pres = entries.map((e) => e.target);
  const over = pres.map((pre) => [pre.scrollWidth > pre.clientWidth, pre.scrollLeft + pre.clientWidth >= pre.scrollWidth - 2]);
  pres.forEach((pre, i) => mark(pre, ...over[i]));
});

for (const pre of document.querySelectorAll(".prose pre")) {
  const wrap = document.createElement("div");
  wrap.className = "code-block";
  pre.replaceWith(wrap);
  wrap.append(pre);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy";
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(pre.innerText.replace(/\n$/, ""));
      button.textContent = "Copied";
    } catch {
      button.textContent = "Press Ctrl+C";
      getSelection().selectAllChildren(pre);
    }
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
  wrap.append(button);
  resized.observe(pre);
  pre.addEventListener("scroll", () => {
    wrap.classList.toggle("scrolled", pre.scrollLeft + pre.clientWidth >= pre.scrollWidth - 2);
  }, { passive: true });
}
