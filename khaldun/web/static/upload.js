/* The upload page: send the reports to the API, then poll the job for progress and found events. */
"use strict";

const uploadForm = document.getElementById("upload");
const csrf = document.querySelector('meta[name="csrf-token"]').content;

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const described = new Map();

async function listEvents(ids) {
  for (const id of ids) {
    if (described.has(id)) continue;
    const response = await fetch(`/api/events/${encodeURIComponent(id)}`, { credentials: "same-origin" });
    const e = response.ok ? (await response.json()).event : null;
    described.set(id, e ? `${e.sub_event_type} · ${e.event_date} · ${e.location || "unknown place"}` +
      ` · ${e.fatalities_known ? e.fatalities + " killed" : "no figure"}` : "");
  }
  document.getElementById("found").innerHTML = ids.map((id) =>
    `<li><a href="/events/${encodeURIComponent(id)}">${escape(id)}</a> ${escape(described.get(id))}</li>`).join("");
}

async function poll(id) {
  const bar = document.getElementById("bar"), status = document.getElementById("status");
  for (;;) {
    const response = await fetch(`/api/jobs/${id}`, { credentials: "same-origin" });
    const job = await response.json();
    if (!response.ok) {
      status.textContent = `${job.error.code}: ${job.error.message}`;
      document.getElementById("progress").dataset.state = "error";
      return;
    }
    bar.max = job.total || 1;
    bar.value = job.done;
    status.textContent = `${job.done} of ${job.total} reports · ${job.state}`;
    document.getElementById("outcomes").innerHTML = job.outcomes.map((o) =>
      `<li>${escape(o.document_id || "unreadable input")}: ${escape(o.status)}, ${o.events} events${o.error ? " — " + escape(o.error) : ""}</li>`).join("");
    await listEvents(job.event_ids);
    if (job.state === "done") { document.getElementById("progress").dataset.state = "done"; return; }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

uploadForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(uploadForm);
  for (const [key, value] of [...data.entries()]) {
    if (value === "" || (value instanceof File && !value.name)) data.delete(key);
  }
  const section = document.getElementById("progress");
  section.hidden = false;
  section.dataset.state = "sending";
  const response = await fetch("/api/reports", {
    method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRF-Token": csrf },
  });
  const body = await response.json();
  if (!response.ok) {
    document.getElementById("status").textContent = `${body.error.code}: ${body.error.message}`;
    section.dataset.state = "error";
    return;
  }
  poll(body.id);
});
