// Table view: the accessible alternative to the map. Same classes and
// colours; sortable; selection is shared with the map both ways.
import { fmt, fmtSigned } from './format.js';
import { t } from './i18n.js';

const COLS = ['code', 'name', 'kommun', 'value', 'klass'];
// LIMIT rows are rendered at first (a DOM of many thousand rows is slow to
// lay out); a button shows the rest, and selecting an area further down
// renders everything.
export const LIMIT = 1000;

export class Table {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.tbody = null;
  }

  sortKey(r, col) {
    switch (col) {
      case 'code': return r.code;
      case 'name': return r.name || '';
      case 'kommun': return this.app.kommunName(r.code) || '';
      case 'klass': return typeof r.cls === 'number' ? r.cls : String(r.cls);
      default: return r.value;
    }
  }

  sorted(view) {
    const { sort, dir } = this.app.state;
    const col = COLS.includes(sort) ? sort : 'value';
    const sign = dir === 'asc' ? 1 : -1;
    const coll = new Intl.Collator(this.app.state.lang === 'en' ? 'en' : 'sv', { numeric: true });
    return [...view.rows].sort((a, b) => {
      const x = this.sortKey(a, col); const y = this.sortKey(b, col);
      const xn = x === null || x === undefined; const yn = y === null || y === undefined;
      if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1; // missing values last
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : coll.compare(String(x), String(y));
      return c * sign || coll.compare(a.code, b.code);
    });
  }

  render(view) {
    const lang = this.app.state.lang;
    const { sort, dir } = this.app.state;
    const doc = document;
    const table = doc.createElement('table');
    table.className = 'data-table';
    table.id = 'data-table';
    const cap = doc.createElement('caption');
    cap.id = 'table-title';
    cap.textContent = `${t(lang, 'table')}: ${view.title} – ${view.rows.length} ${t(lang, 'areas')}`;
    table.append(cap);
    const thead = doc.createElement('thead');
    const hr = doc.createElement('tr');
    const labels = { code: t(lang, 'code'), name: t(lang, 'name'), kommun: t(lang, 'kommun'), value: view.unit ? `${view.valueLabel} (${view.unit})` : view.valueLabel, klass: this.app.state.mode === 'typ' ? t(lang, 'type') : this.app.state.mode === 'lisa' ? t(lang, 'cluster') : t(lang, 'klass') };
    for (const c of COLS) {
      const th = doc.createElement('th');
      th.scope = 'col';
      if (c === 'value') th.className = 'num';
      th.setAttribute('aria-sort', c === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none');
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.dataset.col = c;
      b.textContent = labels[c];
      b.append(Object.assign(doc.createElement('span'), { className: 'arrow', textContent: c === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : '' }));
      b.setAttribute('aria-label', `${t(lang, 'sortBy')} ${labels[c]}`);
      b.addEventListener('click', () => this.app.setSort(c));
      th.append(b);
      hr.append(th);
    }
    thead.append(hr);
    table.append(thead);
    // Rows are built as one HTML string (thousands of rows render fast) and
    // use event delegation.
    const tbody = doc.createElement('tbody');
    const fmtv = view.signed ? fmtSigned : fmt;
    const esc = (x) => String(x ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
    const sup = t(lang, 'suppressed');
    const parts = [];
    const all = this.sorted(view);
    const shown = this.showAll || all.length <= LIMIT ? all : all.slice(0, LIMIT);
    for (const r of shown) {
      const v = r.suppressed && (r.value === null || r.value === undefined) ? sup : fmtv(r.value, view.decimals, lang);
      parts.push(`<tr tabindex="0" data-id="${r.id}" data-code="${esc(r.code)}"><td class="code">${esc(r.code)}</td><td>${esc(r.name)}</td><td>${esc(this.app.kommunName(r.code))}</td><td class="num">${esc(v)}</td><td><span class="swatch" style="background:${esc(r.color)}"></span><span class="cls">${esc(r.classLabel)}</span></td></tr>`);
    }
    tbody.innerHTML = parts.join('');
    const pick = (e) => {
      const tr = e.target.closest('tr[data-id]');
      if (tr) this.app.select(Number(tr.dataset.id), { fly: true, from: 'table' });
    };
    tbody.addEventListener('click', pick);
    tbody.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); }
    });
    this.tbody = tbody;
    table.append(tbody);
    const wrap = doc.createElement('div');
    wrap.className = 'table-scroll';
    wrap.append(table);
    if (shown.length < all.length) {
      const more = doc.createElement('button');
      more.type = 'button';
      more.className = 'more';
      more.id = 'table-more';
      more.textContent = `${t(lang, 'showAll')} (${fmt(all.length, 0, lang)} ${t(lang, 'rows')})`;
      more.addEventListener('click', () => { this.showAll = true; this.render(view); });
      wrap.append(more);
    }
    this.view = view;
    this.root.replaceChildren(wrap);
    this.highlight(this.app.selectedId, false);
  }

  highlight(id, scroll = true) {
    for (const tr of this.root.querySelectorAll('tr.selected')) { tr.classList.remove('selected'); tr.removeAttribute('aria-selected'); }
    if (id === null || id === undefined || !this.tbody) return;
    let tr = this.tbody.querySelector(`tr[data-id="${id}"]`);
    if (!tr && !this.showAll && this.view?.rows.some((r) => r.id === id)) {
      this.showAll = true;
      this.render(this.view);
      tr = this.tbody.querySelector(`tr[data-id="${id}"]`);
    }
    if (!tr) return;
    tr.classList.add('selected');
    tr.setAttribute('aria-selected', 'true');
    if (scroll) tr.scrollIntoView({ block: 'nearest' });
  }
}
