/* The map page: filters, clustered event points, control on a date, the timeline and the list. */
"use strict";

const TYPE_COLOURS = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d",
};
const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];

function colourOf(name, table) {
  if (table && table[name]) return table[name];
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

const form = document.getElementById("filters");
const mapEl = document.getElementById("map");
const map = L.map(mapEl, { worldCopyJump: true, minZoom: 2, maxZoom: 14 }).setView([25, 20], 3);
const tileUrl = mapEl.dataset.tileUrl;
if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map);

fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json()).then((topo) => {
  const outlines = L.geoJSON(topojson.feature(topo, topo.objects.countries), {
    style: { color: "#7d8a96", weight: 0.8, fillColor: "#f2efe6", fillOpacity: tileUrl ? 0 : 1 },
    interactive: false,
  });
  outlines.addTo(map);
  outlines.bringToBack();
  mapEl.dataset.baseLayer = "loaded";
});

function clusterIcon(cluster) {
  const counts = {};
  for (const m of cluster.getAllChildMarkers()) counts[m.options.eventType] = (counts[m.options.eventType] || 0) + 1;
  const main = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
  const n = cluster.getChildCount(), size = Math.round(24 + 6 * Math.log2(n));
  const div = dot("cluster", size, colourOf(main, TYPE_COLOURS));
  div.title = Object.entries(counts).map(([t, c]) => `${c} × ${t}`).join(", ");
  div.style.lineHeight = `${size}px`;
  div.textContent = String(n);
  return L.divIcon({ className: "", iconSize: [size, size], html: div });
}

/* Styles are set through the DOM, not in HTML strings: the Content-Security-Policy refuses inline style attributes. */
function dot(className, size, colour) {
  const div = document.createElement("div");
  div.className = className;
  div.style.width = div.style.height = `${size}px`;
  div.style.background = colour;
  return div;
}

function swatches(names, colour) {
  return names.map((name) => {
    const span = document.createElement("span");
    span.style.setProperty("--c", colour(name));
    span.textContent = name;
    return span;
  });
}

const clusters = L.markerClusterGroup({ maxClusterRadius: 40, iconCreateFunction: clusterIcon });
const control = L.layerGroup();
clusters.addTo(map);
control.addTo(map);

function query() {
  const params = new URLSearchParams();
  for (const name of ["since", "until", "country", "event_type", "actor", "review_status", "source"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function drawEvents(events) {
  clusters.clearLayers();
  const points = [];
  for (const e of events) {
    if (e.latitude === null || e.longitude === null) continue;
    const size = Math.round(10 + 4 * Math.sqrt(e.fatalities || 0));
    const pin = dot("pin", size, colourOf(e.event_type, TYPE_COLOURS));
    pin.dataset.event = e.id;
    const icon = L.divIcon({ className: "", iconSize: [size, size], html: pin });
    const marker = L.marker([e.latitude, e.longitude], { icon, eventType: e.event_type,
      title: `${e.sub_event_type} ${e.event_date}` });
    marker.bindPopup(`<b>${esc(e.sub_event_type)}</b><br>${esc(e.event_date)} · ${esc(e.location)}<br>` +
      `${esc(e.actor1)}${e.actor2 ? " vs " + esc(e.actor2) : ""}<br>fatalities: ${e.fatalities_known ? e.fatalities : "unknown"}` +
      `<br><a href="/events/${encodeURIComponent(e.id)}">Open event</a>`);
    points.push(marker);
  }
  clusters.addLayers(points);
  mapEl.dataset.count = String(points.length);
  if (points.length === 1) map.setView(points[0].getLatLng(), 7, { animate: false });
  else if (points.length) map.fitBounds(L.featureGroup(points).getBounds().pad(0.3), { maxZoom: 9, animate: false });
}

function drawList(events) {
  document.getElementById("count").textContent = events.length;
  const body = document.querySelector("#events tbody");
  body.innerHTML = events.map((e) => `<tr data-event="${esc(e.id)}" data-type="${esc(e.event_type)}"><td>${esc(e.event_date)}</td>` +
    `<td>${esc(e.sub_event_type)}</td><td><a href="/events/${encodeURIComponent(e.id)}">${esc(e.location || "unknown place")}</a></td>` +
    `<td>${esc(e.actor1)}${e.actor2 ? " vs " + esc(e.actor2) : ""}</td><td>${e.fatalities_known ? e.fatalities : "?"}</td>` +
    `<td>${esc(e.review_status)}</td></tr>`).join("");
}

function drawLegend(types) {
  document.getElementById("legend").replaceChildren(...swatches(types, (t) => colourOf(t, TYPE_COLOURS)));
}

async function drawControl() {
  control.clearLayers();
  const at = form.elements.control_at.value;
  if (!at) { document.getElementById("control-legend").innerHTML = ""; mapEl.dataset.control = "0"; return; }
  const periods = await getJSON(`/api/control?at=${encodeURIComponent(at)}`);
  const holders = new Set();
  for (const p of periods) {
    if (p.latitude === null || p.longitude === null) continue;
    holders.add(p.holder);
    const since = p.since ? `since ${p.since}` : `at least from ${p.known_from}`;
    L.circleMarker([p.latitude, p.longitude], { radius: 22, color: colourOf(p.holder), weight: 4, dashArray: "6 4",
      fillColor: colourOf(p.holder), fillOpacity: 0.2, className: "held" })
      .bindTooltip(`${esc(p.place_name)}: held by ${esc(p.holder)} ${since}`).addTo(control);
  }
  const legend = document.getElementById("control-legend");
  legend.replaceChildren(...(holders.size ? [`Held on ${at}: `, ...swatches([...holders], (h) => colourOf(h))] : []));
  mapEl.dataset.control = String(periods.length);
}

async function reload() {
  const params = query();
  document.getElementById("export").href = `/api/export?format=csv&${params}`;
  // the timeline keeps every date (other filters apply) so the chosen period is seen in context
  const context = new URLSearchParams(params);
  context.delete("since");
  context.delete("until");
  const [list, timeline] = await Promise.all([getJSON(`/api/events?${params}`), getJSON(`/api/timeline?${context}`)]);
  drawEvents(list.events);
  drawList(list.events);
  drawLegend(timeline.types);
  const period = { since: params.get("since"), until: params.get("until") };
  drawTimeline(document.getElementById("timeline"), timeline, period, (t) => colourOf(t, TYPE_COLOURS), (since, until) => {
    form.elements.since.value = since;
    form.elements.until.value = until;
    reload();
  });
  await drawControl();
  mapEl.dataset.ready = String(Date.now());
}

async function start() {
  const facets = await getJSON("/api/facets");
  const fill = (select, values) => { for (const v of values) select.add(new Option(v, v)); };
  fill(form.elements.country, facets.countries);
  fill(form.elements.event_type, facets.event_types);
  fill(form.elements.review_status, facets.review_statuses);
  document.getElementById("actors").innerHTML = facets.actors.map((a) => `<option value="${esc(a)}">`).join("");
  document.getElementById("sources").innerHTML = facets.sources.map((s) => `<option value="${esc(s)}">`).join("");
  form.addEventListener("submit", (e) => { e.preventDefault(); reload(); });
  form.elements.control_at.addEventListener("change", drawControl);
  document.getElementById("clear").addEventListener("click", () => { form.reset(); reload(); });
  await reload();
}

start();
