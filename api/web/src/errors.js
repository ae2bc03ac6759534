// Load errors in the user's language. The API answers in English (its
// messages are for developers and logs); the UI shows a translated headline
// and keeps the server's message as detail.
const MESSAGES = {
  sv: { sameYears: 'Välj två olika år.', noValues: 'Inga värden för urvalet.', generic: 'Kartan kunde inte laddas: {msg}' },
  en: { sameYears: 'Choose two different years.', noValues: 'No values for the selection.', generic: 'The map could not be loaded: {msg}' },
};

// loadErrorMessage returns {text, detail}: detail is the server's message
// when the text does not already carry it.
export function loadErrorMessage(lang, e) {
  const m = MESSAGES[lang] || MESSAGES.sv;
  const msg = String(e?.message || e || '');
  if (/must be an earlier year than|needs two years/i.test(msg)) return { text: m.sameYears, detail: msg };
  if (/no values/i.test(msg)) return { text: m.noValues, detail: msg };
  return { text: m.generic.replace('{msg}', msg), detail: '' };
}
