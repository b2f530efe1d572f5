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
