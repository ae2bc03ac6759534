// Number formatting: Swedish uses a decimal comma and a space as thousands separator.
const cache = new Map();

function formatter(lang, decimals) {
  const key = `${lang}:${decimals}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals,
    });
    cache.set(key, f);
  }
  return f;
}

export function fmt(v, decimals = 1, lang = 'sv') {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return formatter(lang, Math.max(0, Math.min(6, decimals | 0))).format(v);
}

export function fmtSigned(v, decimals = 1, lang = 'sv') {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const s = fmt(Math.abs(v), decimals, lang);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}

export function fmtUnit(v, decimals, unit, lang) {
  const s = fmt(v, decimals, lang);
  if (s === '–' || !unit) return s;
  return unit === '%' ? `${s} %` : `${s} ${unit}`;
}
