/* Events per day as stacked bars (one colour per event type), with a brush: drag to pick a period.
   The chosen period (since/until, either may be empty) is shaded; the rest stays visible for context. */
"use strict";

function drawTimeline(container, data, period, colours, onBrush) {
  const NS = "http://www.w3.org/2000/svg";
  container.innerHTML = "";
  const svg = document.createElementNS(NS, "svg");
  container.appendChild(svg);
  const width = container.clientWidth || 800, height = 170, pad = { l: 32, r: 8, t: 8, b: 22 };
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!data.days.length) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", width / 2); t.setAttribute("y", height / 2); t.setAttribute("text-anchor", "middle");
    t.textContent = "No events"; svg.appendChild(t);
    return;
  }
  const day = 86400000, parse = (s) => Date.parse(s + "T00:00:00Z");
  const first = parse(data.days[0].date), last = parse(data.days[data.days.length - 1].date);
  // buckets of a day, a week or a month (the server picks the unit that keeps bars readable)
  const unit = data.unit || "day";
  const next = (t) => {
    const d = new Date(t);
    if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return t + (unit === "week" ? 7 : 1) * day;
  };
  const starts = [];
  for (let t = first; t <= last; t = next(t)) starts.push(t);
  const n = starts.length;
  const slot = new Map(starts.map((t, i) => [t, i]));
  const band = (width - pad.l - pad.r) / n, barWidth = Math.max(1, Math.min(40, band * 0.8));
  const top = Math.max(...data.days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
  const y = (v) => (height - pad.b - pad.t) * v / top;
  const iso = (i) => new Date(starts[i]).toISOString().slice(0, 10);
  const isoEnd = (i) => new Date(next(starts[i]) - day).toISOString().slice(0, 10);
  const slotOf = (s) => {
    const t = parse(s);
    let i = 0;
    while (i + 1 < n && starts[i + 1] <= t) i += 1;
    return t < first ? -1 : (t > next(starts[n - 1]) - day ? n : i);
  };
  for (const d of data.days) {
    const i = slot.get(parse(d.date));
    let base = height - pad.b;
    for (const type of data.types) {
      const v = d.counts[type] || 0;
      if (!v) continue;
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("class", "bar");
      r.setAttribute("x", pad.l + i * band + (band - barWidth) / 2);
      r.setAttribute("width", barWidth);
      r.setAttribute("y", base - y(v));
      r.setAttribute("height", y(v));
      r.setAttribute("fill", colours(type));
      r.dataset.date = d.date; r.dataset.type = type; r.dataset.count = v;
      const title = document.createElementNS(NS, "title");
      title.textContent = `${d.date}: ${v} × ${type}`;
      r.appendChild(title);
      svg.appendChild(r);
      base -= y(v);
    }
  }
  const axis = (x, label, anchor) => {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", x); t.setAttribute("y", height - 6); t.setAttribute("font-size", "11");
    t.setAttribute("text-anchor", anchor); t.textContent = label; svg.appendChild(t);
  };
  axis(pad.l, iso(0), "start");
  if (n > 1) axis(width - pad.r, iso(n - 1), "end");
  const step = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width / 110))));
  for (let i = step; i <= n - 1 - step; i += step) axis(pad.l + (i + 0.5) * band, iso(i), "middle");
  const max = document.createElementNS(NS, "text");
  max.setAttribute("x", 4); max.setAttribute("y", pad.t + 10); max.setAttribute("font-size", "11");
  max.textContent = String(top); svg.appendChild(max);

  if (period.since || period.until) {
    const from = period.since ? Math.max(0, slotOf(period.since)) : 0;
    const to = period.until ? Math.min(n - 1, slotOf(period.until)) : n - 1;
    if (from <= to) {
      const shade = document.createElementNS(NS, "rect");
      shade.setAttribute("class", "selection"); shade.setAttribute("y", pad.t);
      shade.setAttribute("x", pad.l + from * band); shade.setAttribute("width", (to - from + 1) * band);
      shade.setAttribute("height", height - pad.t - pad.b);
      svg.insertBefore(shade, svg.firstChild);
    }
  }

  const brush = document.createElementNS(NS, "rect");
  brush.setAttribute("class", "brush"); brush.setAttribute("y", pad.t);
  brush.setAttribute("height", height - pad.t - pad.b); brush.setAttribute("width", 0);
  svg.appendChild(brush);
  const toX = (event) => {
    const box = svg.getBoundingClientRect();
    return (event.clientX - box.left) * width / box.width;
  };
  const index = (x) => Math.min(n - 1, Math.max(0, Math.floor((x - pad.l) / band)));
  let start = null;
  svg.addEventListener("mousedown", (e) => { start = toX(e); brush.setAttribute("x", start); brush.setAttribute("width", 0); });
  svg.addEventListener("mousemove", (e) => {
    if (start === null) return;
    const x = toX(e);
    brush.setAttribute("x", Math.min(start, x)); brush.setAttribute("width", Math.abs(x - start));
  });
  window.addEventListener("mouseup", (e) => {
    if (start === null) return;
    const x = toX(e), a = index(Math.min(start, x)), b = index(Math.max(start, x));
    start = null;
    onBrush(iso(a), isoEnd(b));
  });
}
