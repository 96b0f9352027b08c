// Theme choice without a reload: the form in the footer works without
// JavaScript (the server stores the cookie and redirects back); with it, the
// choice applies at once and the pressed button shows the current theme.
const root = document.documentElement;
const buttons = document.querySelectorAll(".theme-buttons button");

function show(theme) {
  for (const b of buttons) b.setAttribute("aria-pressed", String(b.value === theme));
}

show(root.dataset.theme || "system");
for (const b of buttons) {
  b.addEventListener("click", (event) => {
    event.preventDefault();
    const theme = b.value;
    if (theme === "system") {
      document.cookie = "theme=; Path=/; Max-Age=0; SameSite=Lax";
      delete root.dataset.theme;
    } else {
      document.cookie = `theme=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
      root.dataset.theme = theme;
    }
    show(theme);
  });
}
