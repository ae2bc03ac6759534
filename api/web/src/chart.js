// Hand-written SVG line chart: one line per series over the years.
import { fmt } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceTicks(min, max, n = 4) {
  if (min === max) { min -= 1; max += 1; }
  const raw = (max - min) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { lo, hi, ticks, step };
}

// lineChart: series = [{label, color, dash, points:[{x:year, y:value|null}]}];
// markers = [{x:year, label, title}] are drawn as dashed vertical lines (area notes).
export function lineChart({ series, title, decimals = 1, lang = 'sv', width = 340, height = 200, markers = [] }) {
  const m = { l: 48, r: 12, t: 12, b: 28 };
  const xs = [...new Set([...series.flatMap((s) => s.points.map((p) => p.x)), ...markers.map((k) => k.x)])].sort((a, b) => a - b);
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', width: '100%' });
  svg.append(el('title', {}, title));
  const desc = series.map((s) => `${s.label}: ${s.points.map((p) => `${p.x} ${fmt(p.y, decimals, lang)}`).join(', ')}`).join('; ');
  svg.append(el('desc', {}, desc));
  if (!xs.length || !ys.length) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'chart-empty' }, '–'));
    return svg;
  }
  const { lo, hi, ticks } = niceTicks(Math.min(...ys), Math.max(...ys));
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const x = (v) => m.l + (xs.length === 1 ? pw / 2 : ((v - xs[0]) / (xs[xs.length - 1] - xs[0])) * pw);
  const y = (v) => m.t + ph - ((v - lo) / (hi - lo || 1)) * ph;
  const dec = ticks.some((t) => !Number.isInteger(t)) ? Math.min(decimals, 2) || 1 : 0;
  for (const t of ticks) {
    svg.append(el('line', { x1: m.l, x2: width - m.r, y1: y(t), y2: y(t), class: 'chart-grid' }));
    svg.append(el('text', { x: m.l - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'chart-tick' }, fmt(t, dec, lang)));
  }
  const every = Math.ceil(xs.length / 6);
  xs.forEach((v, i) => {
    if (i % every && i !== xs.length - 1) return;
    svg.append(el('text', { x: x(v), y: height - 8, 'text-anchor': 'middle', class: 'chart-tick' }, String(v)));
  });
  svg.append(el('line', { x1: m.l, x2: width - m.r, y1: m.t + ph, y2: m.t + ph, class: 'chart-axis' }));
  for (const k of markers) {
    const g = el('g', { class: 'chart-marker' });
    g.append(el('title', {}, k.title || String(k.x)));
    g.append(el('line', { x1: x(k.x), x2: x(k.x), y1: m.t, y2: m.t + ph, stroke: '#e08a00', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
    g.append(el('circle', { cx: x(k.x), cy: m.t + 6, r: 6, fill: '#e08a00' }));
    g.append(el('text', { x: x(k.x), y: m.t + 9.5, 'text-anchor': 'middle', 'font-size': 9, 'font-weight': 'bold', fill: '#fff' }, k.label || ''));
    svg.append(g);
  }
  for (const s of series) {
    const pts = s.points.filter((p) => p.y !== null && p.y !== undefined && !Number.isNaN(p.y)).sort((a, b) => a.x - b.x);
    if (!pts.length) continue;
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': s.width || 2, 'stroke-dasharray': s.dash || 'none', class: 'chart-line' }));
    for (const p of pts) {
      const c = el('circle', { cx: x(p.x), cy: y(p.y), r: 3, fill: s.color });
      c.append(el('title', {}, `${s.label} ${p.x}: ${fmt(p.y, decimals, lang)}`));
      svg.append(c);
    }
  }
  return svg;
}
