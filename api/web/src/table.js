// Table view: the accessible alternative to the map. Same classes and
// colours; sortable; selection is shared with the map both ways.
import { fmt, fmtSigned } from './format.js';
import { t } from './i18n.js';

const COLS = ['code', 'name', 'kommun', 'value', 'klass'];

export class Table {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.rowsById = new Map();
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
    const tbody = doc.createElement('tbody');
    this.rowsById = new Map();
    const fmtv = view.signed ? fmtSigned : fmt;
    for (const r of this.sorted(view)) {
      const tr = doc.createElement('tr');
      tr.tabIndex = 0;
      tr.dataset.id = String(r.id);
      tr.dataset.code = r.code;
      const v = r.suppressed && (r.value === null || r.value === undefined) ? t(lang, 'suppressed') : fmtv(r.value, view.decimals, lang);
      tr.innerHTML = '<td class="code"></td><td></td><td></td><td class="num"></td><td><span class="swatch"></span><span class="cls"></span></td>';
      const td = tr.children;
      td[0].textContent = r.code;
      td[1].textContent = r.name || '';
      td[2].textContent = this.app.kommunName(r.code) || '';
      td[3].textContent = v;
      td[4].firstChild.style.background = r.color;
      td[4].lastChild.textContent = r.classLabel;
      tr.addEventListener('click', () => this.app.select(r.id, { fly: true, from: 'table' }));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.app.select(r.id, { fly: true, from: 'table' }); }
      });
      this.rowsById.set(r.id, tr);
      tbody.append(tr);
    }
    table.append(tbody);
    const wrap = doc.createElement('div');
    wrap.className = 'table-scroll';
    wrap.append(table);
    this.root.replaceChildren(wrap);
    this.highlight(this.app.selectedId, false);
  }

  highlight(id, scroll = true) {
    for (const tr of this.root.querySelectorAll('tr.selected')) { tr.classList.remove('selected'); tr.removeAttribute('aria-selected'); }
    const tr = this.rowsById.get(id);
    if (!tr) return;
    tr.classList.add('selected');
    tr.setAttribute('aria-selected', 'true');
    if (scroll) tr.scrollIntoView({ block: 'nearest' });
  }
}
