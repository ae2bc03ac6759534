// Area profile panel: every indicator for the clicked area and a line chart
// of one indicator over the years against its kommun and the whole country.
import { getJSON } from './api.js';
import { lineChart } from './chart.js';
import { fmt } from './format.js';
import { t, indicatorName, breakdownLabel } from './i18n.js';
import { loadNotes, noteForm } from './report.js';
import { openTrend, trendIndicators } from './trends.js';

function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

export class Profile {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.data = null;
    this.chartInd = null;
  }

  close() {
    this.root.hidden = true;
    this.data = null;
  }

  async open(level, code) {
    this.root.hidden = false;
    this.root.replaceChildren(h('p', { class: 'muted' }, t(this.app.state.lang, 'loading')));
    try {
      const [data, notes] = await Promise.all([
        getJSON(`api/areas/${encodeURIComponent(level)}/${encodeURIComponent(code)}/profile`, { lang: this.app.state.lang }),
        loadNotes(level, code)]);
      this.data = data;
      this.notes = notes;
      this.chartInd = this.app.state.ind;
      this.render();
    } catch (e) {
      this.root.replaceChildren(h('p', { class: 'error' }, `${t(this.app.state.lang, 'error')}: ${e.message}`));
    }
  }

  // latest is the newest year of the breakdown with a value, preferring a
  // year that also has the kommun's or the nation's value to compare with
  // (a DeSO-only year, e.g. 2024 on DeSO 2025 codes, has neither).
  latest(series, bd) {
    const has = (v) => v !== null && v !== undefined;
    const s = series.filter((r) => r.breakdown === bd && has(r.value)).sort((a, b) => b.year - a.year);
    return s.find((r) => has(r.kommun) || has(r.riket)) || s[0] || null;
  }

  render() {
    const lang = this.app.state.lang;
    const { area, indicators = [] } = this.data;
    const bd = this.app.state.bd;
    const typ = area.omradestyp;
    const typLabel = typ ? this.app.typeLabel(typ) : null;
    const head = h('div', { class: 'profile-head' },
      h('h2', { id: 'profile-title' }, area.name || area.code),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t(lang, 'close'), onclick: () => this.app.select(null) }, '×'));
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, t(lang, 'code')), h('dd', {}, area.code),
      area.kommun_name ? h('dt', {}, t(lang, 'kommun')) : null, area.kommun_name ? h('dd', {}, `${area.kommun_name} (${area.kommun})`) : null,
      area.lan_name ? h('dt', {}, t(lang, 'lan')) : null, area.lan_name ? h('dd', {}, area.lan_name) : null,
      typLabel ? h('dt', {}, t(lang, 'omradestyp')) : null, typLabel ? h('dd', { class: 'typ' }, typLabel) : null);
    const entry = indicators.find((i) => i.indicator.id === this.chartInd) || indicators[0];
    const chartBox = h('figure', { class: 'chart-box' });
    if (entry) {
      const ind = entry.indicator;
      const rows = entry.series.filter((r) => r.breakdown === bd).sort((a, b) => a.year - b.year);
      let useRows = rows.length ? rows : entry.series.filter((r) => r.breakdown === 'total');
      if (!useRows.length && entry.series.length) {
        // Only breakdowns: chart the first one (the table lists each).
        const first = [...new Set(entry.series.map((r) => r.breakdown))].sort()[0];
        useRows = entry.series.filter((r) => r.breakdown === first).sort((a, b) => a.year - b.year);
      }
      const series = [
        { label: area.name || t(lang, 'area'), color: '#c2185b', points: useRows.map((r) => ({ x: r.year, y: r.value })), width: 2.5 },
        { label: area.kommun_name || t(lang, 'kommun'), color: '#1f5f8b', dash: '6 4', points: useRows.map((r) => ({ x: r.year, y: r.kommun })) },
        { label: t(lang, 'riket'), color: '#4d4d4d', dash: '2 3', points: useRows.map((r) => ({ x: r.year, y: r.riket })) },
      ];
      const title = `${indicatorName(lang, ind)}${ind.unit ? ` (${ind.unit})` : ''}`;
      // Notes on the area (for this indicator or the area in general) mark their year.
      const markers = (this.notes || []).filter((n) => !n.indicator || n.indicator === ind.id)
        .map((n) => ({ x: n.year, label: String((this.notes || []).indexOf(n) + 1), title: `${t(lang, 'noteChart')} ${n.year}: ${n.text}` }));
      chartBox.append(
        h('figcaption', {}, `${t(lang, 'chartFor')}: ${title}`),
        lineChart({ series, title, decimals: ind.decimals ?? 1, lang, markers }),
        h('ul', { class: 'chart-legend' }, ...series.map((s) => h('li', {},
          h('span', { class: 'key', style: `border-top: 3px ${s.dash ? (s.dash.startsWith('2') ? 'dotted' : 'dashed') : 'solid'} ${s.color}` }), s.label))));
    }
    const tbody = h('tbody');
    for (const e of indicators) {
      const ind = e.indicator;
      const d = ind.decimals ?? 1;
      const r0 = this.latest(e.series, bd) || this.latest(e.series, 'total');
      // An indicator given only by breakdown (birth region, age group): a row per breakdown.
      const rows = r0 ? [[r0, '']] : [...new Set(e.series.map((x) => x.breakdown))].sort()
        .map((b) => [this.latest(e.series, b), b]).filter(([r]) => r);
      if (!rows.length) rows.push([null, '']);
      for (const [r, b] of rows) {
        const btn = h('button', { type: 'button', class: 'link', 'aria-pressed': String(e === entry), onclick: () => { this.chartInd = ind.id; this.render(); } },
          indicatorName(lang, ind) + (b ? ` – ${breakdownLabel(lang, b)}` : ''));
        tbody.append(h('tr', { class: e === entry ? 'current' : '' },
          h('th', { scope: 'row' }, btn),
          h('td', { class: 'num' }, r ? (r.suppressed ? t(lang, 'suppressed') : fmt(r.value, d, lang)) : '–'),
          h('td', { class: 'num' }, r ? fmt(r.kommun, d, lang) : '–'),
          h('td', { class: 'num' }, r ? fmt(r.riket, d, lang) : '–'),
          h('td', { class: 'num muted' }, r ? String(r.year) : '')));
      }
    }
    const table = h('table', { class: 'profile-table' },
      h('caption', {}, `${t(lang, 'allIndicators')}${bd !== 'total' ? ` – ${breakdownLabel(lang, bd)}` : ''}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(lang, 'indicator')), h('th', { scope: 'col', class: 'num' }, t(lang, 'area')),
        h('th', { scope: 'col', class: 'num' }, t(lang, 'kommun')), h('th', { scope: 'col', class: 'num' }, t(lang, 'riket')), h('th', { scope: 'col', class: 'num' }, t(lang, 'year')))),
      tbody);
    const notes = this.notes || [];
    const lastYear = Math.max(0, ...indicators.flatMap((e) => e.series.map((r) => r.year)));
    const nf = noteForm(lang, area.level, area.code, lastYear, notes, async () => {
      this.notes = await loadNotes(area.level, area.code);
      this.render();
    });
    const notesBox = h('section', { class: 'profile-notes', id: 'profile-notes' },
      notes.length ? h('h3', {}, t(lang, 'notes')) : null,
      notes.length ? h('ol', {}, ...notes.map((n) => h('li', { 'data-note': String(n.id) },
        h('strong', {}, `${n.year}: `), n.text, n.author ? h('span', { class: 'muted' }, ` – ${n.author}`) : null, ' ', nf.del(n)))) : null,
      nf.form);
    // The trend view: on the area's own level when it has series, and on its RegSO.
    const trendBtn = (lvl, code, id, label) => (trendIndicators(this.app.meta, lvl).length ? h('button', { type: 'button', id, class: 'trend-open',
      onclick: (e) => openTrend(this.app, lvl, code, this.chartInd, e.currentTarget) }, label) : null);
    const trends = h('p', { class: 'trend-links' }, trendBtn(area.level, area.code, 'open-trend', t(lang, 'trendOpen')),
      area.regso && area.level !== 'regso' ? trendBtn('regso', area.regso, 'open-trend-regso', `${t(lang, 'trendOpen')} (RegSO ${area.regso})`) : null);
    this.root.replaceChildren(head, facts, trends, notesBox, chartBox, table);
  }
}
