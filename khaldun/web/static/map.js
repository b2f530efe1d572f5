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

/* Country outlines at 1:110m while the whole world is in view (100 kB, drawn at once), at 1:50m once zoomed in. */
const OUTLINES = { coarse: "/static/vendor/world-atlas/countries-110m.json", fine: "/static/vendor/world-atlas/countries-50m.json" };
const FINE_FROM_ZOOM = 5;
let outlines = null, outlineScale = null;

function drawOutlines(scale) {
  if (outlineScale === scale || outlineScale === "fine") return;
  outlineScale = scale;
  fetch(OUTLINES[scale]).then((r) => r.json()).then((topo) => {
    const layer = L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      style: { color: "#7d8a96", weight: 0.8, fillColor: "#f2efe6", fillOpacity: tileUrl ? 0 : 1 },
      interactive: false,
      renderer: L.canvas({ padding: 0.2 }),  // one canvas rather than thousands of SVG paths
    });
    layer.addTo(map);
    layer.bringToBack();
    if (outlines) map.removeLayer(outlines);
    outlines = layer;
    mapEl.dataset.baseLayer = "loaded";
    mapEl.dataset.outlines = scale;
  });
}

drawOutlines(map.getZoom() >= FINE_FROM_ZOOM ? "fine" : "coarse");
map.on("zoomend", () => { if (map.getZoom() >= FINE_FROM_ZOOM) drawOutlines("fine"); });

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
const cellsLayer = L.layerGroup();
cellsLayer.addTo(map);
let fitting = false;
clusters.addTo(map);
control.addTo(map);

function query() {
  const params = new URLSearchParams();
  for (const name of ["q", "since", "until", "country", "event_type", "actor", "review_status", "source"]) {
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

/* The map asks the server for what the view shows: every event when they are few, else counts per grid
   cell (server-side aggregation), so 100,000 events cost the same few kilobytes as a thousand. */
function drawMap(data) {
  clusters.clearLayers();
  cellsLayer.clearLayers();
  const layers = [];
  for (const e of data.points) {
    const size = Math.round(10 + 4 * Math.sqrt(e.fatalities || 0));
    const pin = dot("pin", size, colourOf(e.event_type, TYPE_COLOURS));
    pin.dataset.event = e.id;
    const icon = L.divIcon({ className: "", iconSize: [size, size], html: pin });
    const marker = L.marker([e.latitude, e.longitude], { icon, eventType: e.event_type,
      title: `${e.sub_event_type} ${e.event_date}` });
    marker.bindPopup(`<b>${esc(e.sub_event_type)}</b><br>${esc(e.event_date)} · ${esc(e.location)}<br>` +
      `${esc(e.actor1)}${e.actor2 ? " vs " + esc(e.actor2) : ""}<br>fatalities: ${e.fatalities_known ? e.fatalities : "unknown"}` +
      `<br><a href="/events/${encodeURIComponent(e.id)}">Open event</a>`);
    layers.push(marker);
  }
  for (const c of data.cells) {
    const main = Object.keys(c.types).sort((a, b) => c.types[b] - c.types[a])[0];
    const size = Math.round(24 + 6 * Math.log2(c.count));
    const div = dot("cluster", size, colourOf(main, TYPE_COLOURS));
    div.title = Object.entries(c.types).map(([t, n]) => `${n} × ${t}`).join(", ");
    div.style.lineHeight = `${size}px`;
    div.textContent = String(c.count);
    const marker = L.marker([c.latitude, c.longitude], { icon: L.divIcon({ className: "", iconSize: [size, size], html: div }) });
    marker.on("click", () => map.setView([c.latitude, c.longitude], Math.min(map.getZoom() + 2, 14)));
    cellsLayer.addLayer(marker);
  }
  clusters.addLayers(layers);
  mapEl.dataset.count = String(data.total);
  mapEl.dataset.mode = data.mode;
  document.getElementById("unplaced").textContent = data.unplaced
    ? `${data.unplaced} event${data.unplaced === 1 ? "" : "s"} without coordinates, not on the map (they are in the list)` : "";
}

let listOffset = 0, listSort = "event_date", listOrder = "asc";
const PAGE = 50;

async function drawList() {
  const params = query();
  params.set("limit", PAGE); params.set("offset", listOffset); params.set("sort", listSort); params.set("order", listOrder);
  const list = await getJSON(`/api/events?${params}`);
  document.getElementById("count").textContent = list.count;
  document.getElementById("page-info").textContent = list.count
    ? `${list.offset + 1}–${list.offset + list.events.length} of ${list.count}` : "";
  document.getElementById("page-previous").disabled = list.offset === 0;
  document.getElementById("page-next").disabled = list.next_offset === null;
  const body = document.querySelector("#events tbody");
  body.innerHTML = list.events.map((e) => `<tr data-event="${esc(e.id)}" data-type="${esc(e.event_type)}"><td>${esc(e.event_date)}</td>` +
    `<td>${esc(e.sub_event_type)}</td><td><a href="/events/${encodeURIComponent(e.id)}">${esc(e.location || "unknown place")}</a></td>` +
    `<td>${esc(e.actor1)}${e.actor2 ? " vs " + esc(e.actor2) : ""}</td><td>${e.fatalities_known ? e.fatalities : "?"}</td>` +
    `<td>${esc(e.review_status)}${e.flagged ? " ⚑" : ""}</td><td>${Number(e.confidence).toFixed(2)}</td></tr>`).join("");
  return list;
}

function drawLegend(types) {
  document.getElementById("legend").replaceChildren(...swatches(types, (t) => colourOf(t, TYPE_COLOURS)));
}

let controlRequest = 0;
const HOLDER_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
  "#b15928", "#6a3d9a", "#33a02c", "#e31a1c"];

/* Each holder on the map gets its own colour: distinct ones first, then hues spread by the golden angle. */
function holderColours(holders) {
  const colours = {};
  [...holders].sort().forEach((h, i) => {
    colours[h] = i < HOLDER_COLOURS.length ? HOLDER_COLOURS[i] : `hsl(${Math.round((i * 137.508) % 360)}, 65%, 42%)`;
  });
  return colours;
}

async function drawControl() {
  const request = ++controlRequest;  // a quicker later change wins: no double rings
  const at = form.elements.control_at.value;
  if (!at) {
    control.clearLayers();
    document.getElementById("control-legend").innerHTML = ""; mapEl.dataset.control = "0"; return;
  }
  const params = new URLSearchParams({ at });
  if (form.elements.country.value) params.set("country", form.elements.country.value);
  const periods = await getJSON(`/api/control?${params}`);
  if (request !== controlRequest) return;
  control.clearLayers();
  const colours = holderColours(new Set(periods.map((p) => p.holder)));
  const holders = new Set();
  let drawn = 0;
  for (const p of periods) {
    if (p.latitude === null || p.longitude === null) continue;
    holders.add(p.holder);
    drawn += 1;
    const since = p.since ? `since ${p.since}` : `at least from ${p.known_from}`;
    L.circleMarker([p.latitude, p.longitude], { radius: 22, color: colours[p.holder], weight: 4, dashArray: "6 4",
      fillColor: colours[p.holder], fillOpacity: 0.2, className: "held" })
      .bindTooltip(`${esc(p.place_name)}: held by ${esc(p.holder)} ${since}`).addTo(control);
  }
  const legend = document.getElementById("control-legend");
  legend.replaceChildren(...(holders.size ? [`Held on ${at}: `, ...swatches([...holders].sort(), (h) => colours[h])] : []));
  mapEl.dataset.control = String(periods.length);
  mapEl.dataset.rings = String(drawn);
}

function bboxParam() {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(4)).join(",");
}

let mapRequest = 0;

async function reloadMap(fit) {
  const request = ++mapRequest;
  const params = query();
  params.set("zoom", map.getZoom());
  if (!fit) params.set("bbox", bboxParam());
  const data = await getJSON(`/api/map?${params}`);
  if (request !== mapRequest) return;
  drawMap(data);
  if (fit && data.mode === "points" && data.points.length) {
    fitting = true;
    const bounds = L.latLngBounds(data.points.map((p) => [p.latitude, p.longitude]));
    if (data.points.length === 1) map.setView(bounds.getCenter(), 7, { animate: false });
    else map.fitBounds(bounds.pad(0.3), { maxZoom: 9, animate: false });
    fitting = false;
  }
}

async function reload() {
  const params = query();
  for (const [id, format] of [["export", "csv"], ["export-geojson", "geojson"], ["export-parquet", "parquet"]]) {
    document.getElementById(id).href = `/api/export?format=${format}&${params}`;
  }
  listOffset = 0;
  // the timeline keeps every date (other filters apply) so the chosen period is seen in context
  const context = new URLSearchParams(params);
  context.delete("since");
  context.delete("until");
  const [timeline] = await Promise.all([getJSON(`/api/timeline?${context}`), reloadMap(true), drawList()]);
  drawLegend(timeline.types);
  document.getElementById("timeline-unit").textContent = timeline.unit;
  const period = { since: params.get("since"), until: params.get("until") };
  drawTimeline(document.getElementById("timeline"), timeline, period, (t) => colourOf(t, TYPE_COLOURS), (since, until) => {
    form.elements.since.value = since;
    form.elements.until.value = until;
    reload();
  });
  await drawControl();
  await facetsLoaded;
  mapEl.dataset.ready = String(Date.now());
}

let facetsLoaded = Promise.resolve();

async function fillFacets() {
  const facets = await getJSON("/api/facets");
  const fill = (select, values) => { for (const v of values) select.add(new Option(v, v)); };
  fill(form.elements.country, facets.countries);
  fill(form.elements.event_type, facets.event_types);
  fill(form.elements.review_status, facets.review_statuses);
  document.getElementById("actors").innerHTML = facets.actors.map((a) => `<option value="${esc(a)}">`).join("");
  document.getElementById("sources").innerHTML = facets.sources.map((s) => `<option value="${esc(s)}">`).join("");
}

async function start() {
  facetsLoaded = fillFacets();  // the filter choices load while the map, list and timeline do
  form.addEventListener("submit", (e) => { e.preventDefault(); reload(); });
  form.elements.control_at.addEventListener("change", drawControl);
  form.elements.country.addEventListener("change", drawControl);
  document.getElementById("clear").addEventListener("click", () => { form.reset(); reload(); });
  document.getElementById("page-previous").addEventListener("click", () => { listOffset = Math.max(0, listOffset - PAGE); drawList(); });
  document.getElementById("page-next").addEventListener("click", () => { listOffset += PAGE; drawList(); });
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.addEventListener("click", () => {
      listOrder = listSort === th.dataset.sort && listOrder === "asc" ? "desc" : "asc";
      listSort = th.dataset.sort; listOffset = 0; drawList();
    });
  }
  map.on("moveend", () => { if (!fitting) reloadMap(false); });
  await reload();
}

start();
