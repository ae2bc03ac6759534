// Load errors in the user's language. The API answers in the language the
// client asks for (Accept-Language, see api.js); the UI shows a headline
// for the causes it knows and keeps the server's message as detail.
const MESSAGES = {
  sv: { sameYears: 'Välj två olika år.', noValues: 'Inga värden för urvalet.', generic: 'Kartan kunde inte laddas: {msg}' },
  en: { sameYears: 'Choose two different years.', noValues: 'No values for the selection.', generic: 'The map could not be loaded: {msg}' },
};

// loadErrorMessage returns {text, detail}: detail is the server's message
// when the text does not already carry it.
export function loadErrorMessage(lang, e) {
  const m = MESSAGES[lang] || MESSAGES.sv;
  const msg = String(e?.message || e || '');
  if (/must be an earlier year than|needs two years|måste vara ett tidigare år än|kräver två år/i.test(msg)) return { text: m.sameYears, detail: msg };
  if (/no values|inga värden/i.test(msg)) return { text: m.noValues, detail: msg };
  return { text: m.generic.replace('{msg}', msg), detail: '' };
}
