/* The event page: the edit form shows the current value of the field chosen.
   The values come as JSON data (never as script), so no report text can run as code. */
"use strict";

(function () {
  const data = document.getElementById("edit-values");
  const field = document.getElementById("edit-field"), value = document.getElementById("edit-value");
  if (!data || !field || !value) return;
  const values = JSON.parse(data.textContent);
  const fill = () => { const v = values[field.value]; value.value = v === null || v === undefined ? "" : v; };
  field.addEventListener("change", fill);
  fill();
})();

/* Side by side: pointing at a field lights up its supporting words in the reports' text. */
(function () {
  for (const row of document.querySelectorAll("#fields tr[data-field]")) {
    const marks = () => document.querySelectorAll(`#reports mark[data-fields~="${CSS.escape(row.dataset.field)}"]`);
    row.addEventListener("mouseenter", () => { for (const m of marks()) m.classList.add("focus"); });
    row.addEventListener("mouseleave", () => { for (const m of marks()) m.classList.remove("focus"); });
  }
})();

/* The review queue from the keyboard: a accept, r reject, e edit, n/j next, p/k previous. */
(function () {
  const nav = document.getElementById("queue-nav");
  if (!nav) return;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
    const click = (id) => { const el = document.getElementById(id); if (el) { event.preventDefault(); el.click(); } };
    const go = (url) => { if (url) { event.preventDefault(); window.location.assign(url); } };
    switch (event.key) {
      case "a": click("accept-button"); break;
      case "r": click("reject-button"); break;
      case "e": { const v = document.getElementById("edit-value"); if (v) { event.preventDefault(); v.focus(); } break; }
      case "n": case "j": go(nav.dataset.next); break;
      case "p": case "k": go(nav.dataset.previous); break;
      default: break;
    }
  });
})();
