// The whole view state lives in the URL query string (the map camera in the
// hash, managed by MapLibre), so a copied URL reproduces the view.
export const MODES = ['ind', 'typ', 'lisa', 'change'];
export const METHODS = ['quantile', 'equal', 'fisher', 'jenks', 'sd', 'pretty', 'headtails'];
export const DEFAULT_SCHEMES = ['YlGnBu', 'YlOrRd', 'Blues', 'Greens', 'Purples', 'OrRd', 'PuBuGn', 'RdYlBu', 'RdBu', 'BrBG', 'PiYG'];

const KEYS = ['lang', 'mode', 'level', 'kommun', 'ind', 'year', 'year2', 'bd', 'method', 'k', 'scheme', 'alpha', 'pool', 'sel', 'sort', 'dir', 'ctx', 'page'];

export function defaults(meta) {
  const d = meta.defaults || {};
  const ind = d.indicator || meta.indicators?.[0]?.id || '';
  return {
    lang: 'sv', mode: 'ind', level: d.level || 'deso', kommun: d.kommun || '', ind,
    year: d.year || 0, year2: 0, bd: 'total', method: d.method || 'quantile', k: d.k || 5,
    scheme: d.scheme || 'YlGnBu', alpha: 0.05, pool: '', sel: '', sort: 'value', dir: 'desc', ctx: '', page: '',
  };
}

export function parse(search, base) {
  const p = new URLSearchParams(search);
  const s = { ...base };
  for (const k of KEYS) {
    if (!p.has(k)) continue;
    const v = p.get(k);
    if (k === 'kommun' && v === 'all') { s.kommun = ''; continue; } // explicitly all kommuner
    s[k] = ['year', 'year2', 'k'].includes(k) ? parseInt(v, 10) || base[k] : k === 'alpha' ? parseFloat(v) || base[k] : v;
  }
  if (!MODES.includes(s.mode)) s.mode = 'ind';
  if (!['sv', 'en'].includes(s.lang)) s.lang = 'sv';
  if (s.page !== 'data') s.page = ''; // the data page (datapage.js) or the map
  return s;
}

export function serialize(s, base) {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    if (k === 'kommun' && s[k] === '' && base[k]) { p.set(k, 'all'); continue; } // default is a subset
    if (s[k] === undefined || s[k] === '' || s[k] === base[k]) continue;
    if ((k === 'year2' && s.mode !== 'change') || (k === 'alpha' && s.mode !== 'lisa')) continue; // derived or unused
    p.set(k, String(s[k]));
  }
  return p.toString();
}

// yearsFor lists the years the indicator has values for at the level (all
// its years when the server does not say).
export function yearsFor(ind, level) {
  const y = ind?.years_by_level?.[level];
  return y?.length ? y : (ind?.years || []);
}

// contextLayers are the overlay levels (e.g. the police's utsatta områden)
// that can be shown as outlines over the map.
export function contextLayers(meta) {
  return meta.levels.filter((l) => l.tiles && l.kind === 'overlay');
}

// normalise makes the state consistent with the metadata (valid indicator, year, ...).
export function normalise(s, meta) {
  // Only levels with boundaries (a tile URL) can be drawn; overlays are
  // context outlines, never the choropleth.
  const levels = meta.levels.filter((l) => l.tiles && l.kind !== 'overlay').map((l) => l.id);
  const overlays = contextLayers(meta).map((l) => l.id);
  s.ctx = (s.ctx || '').split(',').filter((id) => overlays.includes(id)).join(',');
  if (!levels.includes(s.level)) s.level = levels.includes('deso') ? 'deso' : levels[0];
  let ind = meta.indicators.find((i) => i.id === s.ind);
  if (s.mode === 'change' && !(yearsFor(ind, s.level).length > 1)) {
    // Change needs two years: take the first indicator that has them.
    const two = meta.indicators.find((i) => yearsFor(i, s.level).length > 1 && i.id !== 'omradestyp');
    if (two) { ind = two; s.ind = two.id; }
  }
  if (!ind) { ind = meta.indicators.find((i) => i.id === meta.defaults?.indicator) || meta.indicators[0]; s.ind = ind?.id || ''; }
  const years = yearsFor(ind, s.level);
  if (years.length && !years.includes(s.year)) s.year = years[years.length - 1];
  // year2 is the comparison year: it must differ from year (the API needs
  // from < to). Default to the latest year before year, else another year.
  if (years.length && (!years.includes(s.year2) || s.year2 === s.year)) {
    const before = years.filter((y) => y < s.year);
    s.year2 = before.length ? Math.max(...before) : (years.find((y) => y !== s.year) ?? years[0]);
  }
  const bds = ind?.breakdowns?.length ? ind.breakdowns : ['total'];
  if (!bds.includes(s.bd)) s.bd = bds.includes('total') ? 'total' : bds[0];
  if (!METHODS.includes(s.method)) s.method = 'quantile';
  s.k = Math.max(2, Math.min(9, s.k | 0 || 5));
  // Områdestyper are RegSO types: drawn on RegSO, or on DeSO through its RegSO.
  if (s.mode === 'typ') s.level = levels.includes('regso') ? 'regso' : levels.includes('deso') ? 'deso' : s.level;
  return s;
}
