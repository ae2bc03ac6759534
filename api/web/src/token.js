// The API token for writes (site layers, the data page): kept in
// sessionStorage, so it is gone when the tab closes, and shared by every
// panel that writes. authRequest sends it as a bearer token.
import { APIError, url } from './api.js';

const TOKEN_KEY = 'segmap.apiToken';

export function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(v) {
  try { sessionStorage.setItem(TOKEN_KEY, String(v || '').trim()); } catch { /* private mode */ }
}

// authRequest: fetch with the token (when there is one) and the UI
// language; answers the parsed JSON (null for 204), or the Response itself
// with raw. A failure throws an APIError with the API's message.
export async function authRequest(method, path, { params, body, headers = {}, raw = false, lang = 'sv', signal } = {}) {
  const h = { accept: 'application/json', 'accept-language': lang, ...headers };
  const tok = getToken();
  if (tok) h.authorization = `Bearer ${tok}`;
  const res = await fetch(url(path, params), { method, headers: h, body, signal });
  if (res.status === 204) return null;
  if (raw && res.ok) return res;
  let j = null;
  const ct = res.headers.get('content-type') || '';
  if (ct.includes('json')) { try { j = await res.json(); } catch { /* not JSON */ } }
  if (!res.ok) throw new APIError(res.status, j?.error?.code || 'http', j?.error?.message || `${res.status} ${res.statusText}`);
  return j ?? res;
}
