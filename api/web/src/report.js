// "Skapa nulägesbild": a link that opens the server-rendered report on the
// selected kommun(er) in a new tab, and area notes for the profile.
import { url, getJSON } from './api.js';
import { t } from './i18n.js';

// reportIndicator is the indicator of the view that the report can use as
// its cluster (LISA) and change indicator, or '' to let the report choose
// its default. The report analyses the indicator's total on DeSO, so the
// indicator must have a total breakdown (age_group_pct, split by age only,
// has none), values on DeSO when the store says per level, and more than
// one area with a value in the view (once the view is loaded).
export function reportIndicator(s, meta, view) {
  if (s.mode === 'typ' || !s.ind || s.ind === 'omradestyp') return '';
  const ind = meta?.indicators?.find((i) => i.id === s.ind);
  if (!ind || !(ind.breakdowns || []).includes('total')) return '';
  if (ind.years_by_level && !ind.years_by_level.deso?.length) return '';
  if (view) {
    const withValue = view.rows.filter((r) => r.value !== null && r.value !== undefined && !Number.isNaN(r.value)).length;
    if (withValue <= 1) return '';
  }
  return ind.id;
}

// reportURL is the /report URL for the view: its kommuner, language, and the
// indicator on the map as the report's cluster (and change) indicator when
// the report can use it (see reportIndicator).
export function reportURL(s, meta, view) {
  const q = { kommun: s.kommun, lang: s.lang === 'en' ? 'en' : '' };
  const ind = reportIndicator(s, meta, view);
  if (ind) q.indicator = ind;
  if (ind && s.mode === 'change' && s.year2 && s.year && s.year2 !== s.year) {
    q.change = ind;
    q.from = Math.min(s.year, s.year2);
    q.to = Math.max(s.year, s.year2);
  }
  return url('report', q);
}

// viewKey names the data a view shows.
const viewKey = (s) => [s.mode, s.level, s.kommun, s.ind, s.year, s.year2, s.bd].join('|');

// currentView is the app's loaded view when it shows the current state's
// data (the controls are redrawn before a changed view has loaded).
function currentView(app) {
  return app.view && app.view.reportKey === viewKey(app.state) ? app.view : null;
}

// updateReportLink brings the link up to date when a view has loaded (call
// it right after: the view is then the state's).
export function updateReportLink(app) {
  if (app.view) app.view.reportKey = viewKey(app.state);
  const a = document.getElementById('report-link');
  if (a) a.href = reportURL(app.state, app.meta, app.view);
}

export function reportLink(app) {
  const s = app.state;
  const wrap = document.createElement('div');
  wrap.className = 'report-box';
  if (!s.kommun) {
    const p = Object.assign(document.createElement('p'), { className: 'hint', textContent: t(s.lang, 'reportPick') });
    p.id = 'report-pick';
    wrap.append(p);
    return wrap;
  }
  const a = Object.assign(document.createElement('a'), {
    href: reportURL(s, app.meta, currentView(app)), target: '_blank', rel: 'noopener', className: 'btn report-btn', textContent: t(s.lang, 'report'),
  });
  a.id = 'report-link';
  a.title = t(s.lang, 'reportHint');
  wrap.append(a);
  return wrap;
}

// loadNotes returns an area's notes, or [] when they cannot be read (e.g.
// the server keeps them private).
export async function loadNotes(level, code) {
  try {
    const r = await getJSON(`api/areas/${encodeURIComponent(level)}/${encodeURIComponent(code)}/notes`);
    return r.notes || [];
  } catch {
    return [];
  }
}

const TOKEN_KEY = 'segmap-api-token';

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

async function send(method, path, token, body) {
  const res = await fetch(path, {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, accept: 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try { msg = (await res.json()).error?.message || msg; } catch { /* not JSON */ }
    throw new Error(msg);
  }
  return res.status === 204 ? null : res.json();
}

// noteForm lets a planner add a note to the area (and delete notes); writes
// need the server's API token, kept for the browser session only.
export function noteForm(lang, level, code, year, notes, onChange) {
  const base = `api/areas/${encodeURIComponent(level)}/${encodeURIComponent(code)}/notes`;
  const token = el('input', { type: 'password', id: 'note-token', autocomplete: 'off' });
  token.value = sessionStorage.getItem(TOKEN_KEY) || '';
  const yr = el('input', { type: 'number', id: 'note-year', min: '1900', max: '2100', required: '' });
  yr.value = String(year || new Date().getFullYear());
  const text = el('textarea', { id: 'note-text', rows: '2', maxlength: '2000', required: '' });
  const status = el('p', { class: 'note-status', role: 'status' });
  const form = el('form', { class: 'note-form', id: 'note-form' },
    el('label', { for: 'note-year' }, t(lang, 'noteYear')), yr,
    el('label', { for: 'note-text' }, t(lang, 'noteText')), text,
    el('label', { for: 'note-token' }, t(lang, 'apiToken')), token,
    el('button', { type: 'submit', id: 'note-save' }, t(lang, 'save')), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value);
    try {
      await send('POST', base, token.value, { year: Number(yr.value), text: text.value });
      status.textContent = t(lang, 'noteSaved');
      status.classList.remove('error');
      await onChange();
    } catch (e) {
      status.textContent = `${t(lang, 'error')}: ${e.message}`;
      status.classList.add('error');
    }
  });
  const del = (n) => el('button', {
    type: 'button', class: 'icon-btn small', 'aria-label': `${t(lang, 'deleteNote')} ${n.year}`, title: t(lang, 'deleteNote'),
    onclick: async () => {
      try {
        await send('DELETE', `${base}/${n.id}`, token.value || sessionStorage.getItem(TOKEN_KEY) || '');
        await onChange();
      } catch (e) {
        status.textContent = `${t(lang, 'error')}: ${e.message}`;
        status.classList.add('error');
      }
    },
  }, '×');
  return { form: el('details', { class: 'note-add' }, el('summary', {}, t(lang, 'addNote')), form), del };
}
