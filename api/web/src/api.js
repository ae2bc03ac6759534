// Thin client for the segmap HTTP API (README: HTTP API). All URLs are
// relative to the page so the client also works under a path prefix.
import { yearsFor } from './state.js';
export class APIError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

// absURL resolves a URL (or a tile template with {z}/{x}/{y}) the server
// gives relative to its base (tiles/deso/{z}/{x}/{y}.mvt) against the
// page, so it stays under the page's path prefix (/segmap/tiles/…).
// MapLibre needs absolute tile URLs (its workers have no page to resolve
// against); the braces are kept, not percent-encoded.
export function absURL(rel, base = document.baseURI) {
  return new URL(rel, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
}

export function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `${path}${s ? `?${s}` : ''}`;
}

// language is the UI's language, sent as Accept-Language so the API's
// error messages are in it (main.js keeps it in step).
let language = 'sv';
export function setLanguage(lang) { language = lang; }

export async function getJSON(path, params, signal) {
  const res = await fetch(url(path, params), { signal, headers: { accept: 'application/json', 'accept-language': language } });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const e = body?.error || {};
    throw new APIError(res.status, e.code || 'http', e.message || `${res.status} ${res.statusText}`);
  }
  return body;
}

// Answers that change only with the data version (classifications,
// values, area lists) are kept here per data version, so a view already
// seen (back to last year, the previous indicator) needs no request at
// all; the browser's cache revalidates the rest with their ETags (304).
// Bounded: the least recently used go first. Shared: callers must not
// modify an answer.
const answers = new Map();
const MAX_ANSWERS = 64;

// getVersioned is getJSON through that cache; version is the data version
// the answer belongs to (meta.data_version). Errors are not kept.
export async function getVersioned(path, params, signal, version) {
  const key = `${version}\u0000${url(path, params)}`;
  const hit = answers.get(key);
  if (hit) {
    answers.delete(key);
    answers.set(key, hit);
    return hit;
  }
  const body = await getJSON(path, params, signal);
  answers.set(key, body);
  while (answers.size > MAX_ANSWERS) answers.delete(answers.keys().next().value);
  return body;
}

// valuesQuery is the query shared by values, classify, lisa and export.
export function valuesQuery(s, year = s.year) {
  return { level: s.level, indicator: s.ind, year, breakdown: s.bd, kommun: s.kommun };
}

// classifyQuery: with s.pool set, class breaks are pooled over every year of
// the indicator at the level so colours are comparable between years.
export function classifyQuery(s, meta) {
  const ind = meta?.indicators?.find((i) => i.id === s.ind);
  const years = yearsFor(ind, s.level);
  const pooled = s.pool && years.length > 1 ? years.join(',') : '';
  return { ...valuesQuery(s), method: s.method, k: s.k, scheme: s.scheme, pooled, lang: s.lang };
}
