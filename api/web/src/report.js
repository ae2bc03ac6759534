// "Skapa nulägesbild": a link that opens the server-rendered report on the
// selected kommun(er) in a new tab, and area notes for the profile.
import { url, getJSON } from './api.js';
import { t } from './i18n.js';

// reportURL is the /report URL for the view: its kommuner, language, and the
// indicator on the map as the report's cluster (and change) indicator.
export function reportURL(s) {
  const q = { kommun: s.kommun, lang: s.lang === 'en' ? 'en' : '' };
  if (s.mode !== 'typ' && s.ind && s.ind !== 'omradestyp') q.indicator = s.ind;
  if (s.mode === 'change' && s.year2 && s.year && s.year2 !== s.year) {
    q.change = s.ind;
    q.from = Math.min(s.year, s.year2);
    q.to = Math.max(s.year, s.year2);
  }
  return url('report', q);
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
    href: reportURL(s), target: '_blank', rel: 'noopener', className: 'btn report-btn', textContent: t(s.lang, 'report'),
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
