// Swedish-first UI strings; English as a choice.
const STRINGS = {
  sv: {
    subtitle: 'Segregation och levnadsvillkor', language: 'Språk', settings: 'Inställningar',
    mapLabel: 'Karta', skipToTable: 'Hoppa till tabellen',
    mode: 'Kartläge', modeInd: 'Indikator', modeTyp: 'Områdestyper', modeLisa: 'LISA-kluster', modeChange: 'Förändring',
    level: 'Nivå', kommun: 'Kommun', kommunAll: 'Alla kommuner', kommunMapped: 'Kommuner på kartan ({n})', contextLayers: 'Kontextlager', kommunSearch: 'Sök kommun',
    indicator: 'Indikator', year: 'År', baseYear: 'Jämförelseår', breakdown: 'Uppdelning',
    method: 'Klassindelning', k: 'Antal klasser', scheme: 'Färgskala', alpha: 'Signifikansnivå',
    legend: 'Teckenförklaring', noData: 'Uppgift saknas', suppressed: 'Skyddad uppgift',
    downloads: 'Ladda ner det som visas', csv: 'CSV', xlsx: 'Excel (xlsx)', geojson: 'GeoJSON',
    table: 'Tabell', code: 'Kod', name: 'Namn', value: 'Värde', klass: 'Klass', change: 'Förändring',
    cluster: 'Kluster', type: 'Områdestyp', population: 'Befolkning', share: 'Andel av befolkningen',
    areas: 'områden', loading: 'Laddar …', error: 'Fel', close: 'Stäng',
    profile: 'Områdesprofil', allIndicators: 'Alla indikatorer', riket: 'Riket', area: 'Området',
    omradestyp: 'Områdestyp', latest: 'Senaste', chartFor: 'Utveckling över tid', sortBy: 'Sortera efter',
    showChart: 'Visa diagram', moran: 'Morans I', notSignificant: 'Inte signifikant', island: 'Saknar grannar',
    HH: 'Högt omgivet av högt', LL: 'Lågt omgivet av lågt', HL: 'Högt omgivet av lågt', LH: 'Lågt omgivet av högt',
    total: 'Totalt', women: 'Kvinnor', men: 'Män', bd_europa: 'Europa utom Sverige', bd_ovriga: 'Övriga världen', bd_sverige: 'Sverige', ageYears: 'år', ageOver: '{n} år och äldre', rows: 'rader', selected: 'Valt område',
    m_quantile: 'Kvantiler (lika många)', m_equal: 'Lika intervall', m_fisher: 'Fisher–Jenks (naturliga brytpunkter)',
    m_jenks: 'Jenks', m_sd: 'Standardavvikelse', m_pretty: 'Jämna tal', m_headtails: 'Head/tails',
    changeNote: 'Skillnad i procentenheter/enheter mellan åren', typNote: 'Områdestyper 2022 (RegSO)',
    noSelection: 'Klicka på ett område i kartan eller en rad i tabellen.',
    showAll: 'Visa alla', pooled: 'Samma klassgränser alla år', source: 'Källa',
    typViaDeso: 'visas på DeSO efter deras RegSO; antal = RegSO',
    // Embedding and pictures.
    shareMap: 'Dela kartan', embed: 'Bädda in', picture: 'Ladda ner bild', embedTitle: 'Bädda in kartan',
    embedIntro: 'Klistra in HTML-koden på er webbsida. Kartan visar det som visas nu:',
    embedSize: 'Storlek', embedResponsive: 'Full bredd (anpassar sig), höjd enligt nedan', embedCustom: 'Egen storlek',
    width: 'Bredd (px)', height: 'Höjd (px)', embedShow: 'Visa i kartan',
    embedControls: 'Zoomknappar', embedHover: 'Värdet när muspekaren är över ett område',
    embedClick: 'Klick på ett område visar områdesprofilen', embedCamera: 'Samma kartutsnitt som nu',
    embedCode: 'HTML-kod', embedCopy: 'Kopiera koden', embedCopied: 'Koden är kopierad.', embedCopyFailed: 'Kunde inte kopiera – markera koden och kopiera själv.',
    embedPreview: 'Förhandsgranska i ny flik', embedOEmbed: 'Publiceringssystem med oEmbed kan i stället få adressen:',
    embedTable: 'Visa som tabell', embedCSV: 'Ladda ner data (CSV)',
    pictureTitle: 'Ladda ner kartan som bild', pictureFormat: 'Format', pictureSVG: 'vektorgrafik, för tryck och redigering',
    pictureSize: 'Storlek', pictureScreen: 'Som kartan på skärmen', picture_slide: 'Presentation 16:9', picture_a4l: 'A4 liggande', picture_a4p: 'A4 stående',
    pictureDPI: 'Upplösning', pictureDPIScreen: 'skärm', pictureDPIPrint: 'tryck',
    picturePixels: 'Bilden blir {w} × {h} pixlar.', pictureVector: 'SVG skalas utan att bli suddig.',
    pictureAlt: 'Alternativtext till bilden', pictureDownload: 'Ladda ner bilden',
    pictureOnlyInd: 'Bilder kan laddas ner för kartläget Indikator.',
    report: 'Skapa nulägesbild', reportHint: 'En utskriftsvänlig rapport (A4) om de valda kommunerna öppnas i en ny flik.', reportPick: 'Välj en eller flera kommuner för att skapa en nulägesbild.', notes: 'Anteckningar', noteChart: 'Anteckning', changePP: 'procentenheter',
    dlNoLisa: 'LISA-klustren kan inte laddas ner. Välj kartläget Indikator för att ladda ner värdena för ett år; klustren finns i tabellen.',
    dlNoChange: 'Förändringen kan inte laddas ner. Välj kartläget Indikator och ladda ner de två åren var för sig; förändringen per område finns i tabellen.',
    kommunUnmapped: '{name} har inga gränser i databasen – visas bara i tabellen.', unmappedMark: 'ingen karta',
    lan: 'Län', docTitle: 'segmap – segregationskarta', sitesLabel: 'Planerade bostäder', siteSummary: 'Planerad plats',
    addNote: 'Lägg till anteckning', noteYear: 'År', noteText: 'Lokal kunskap om området', apiToken: 'API-nyckel', save: 'Spara', deleteNote: 'Ta bort anteckningen', noteSaved: 'Anteckningen sparades',
    trendOpen: 'Utveckling över tid', trendTitle: 'Utveckling över tid', trendNone: 'Inga indikatorer med flera år på den här nivån.', trendAdd: 'Jämför med område', trendAddHint: 'kod, t.ex. 0180R001', trendAddBtn: 'Lägg till', trendRemove: 'Ta bort', trendTable: 'ett år per kolumn', trendExcel: 'Ladda ner Excel (xlsx)', trendTypes: 'Områdestyper', trendTypesNote: 'Rad = typ första året, kolumn = typ andra året (antal RegSO; befolkning i verktygstipset). {better} fick bättre typ, {worse} sämre, {unchanged} oförändrade.', trendBetter: 'bättre', trendWorse: 'sämre', trendPersons: 'personer',
    side_better: 'förbättring', side_worse: 'försämring', side_increase: 'ökning', side_decrease: 'minskning', changeMeaning_higher_is_better: 'Grönt = förbättring, lila = försämring (högre värde är bättre)', changeMeaning_lower_is_better: 'Grönt = förbättring, lila = försämring (lägre värde är bättre)', changeMeaning_neutral: 'Neutral färgskala: indikatorn har ingen bättre eller sämre riktning (blått = minskning, rött = ökning)', largestTitle: 'Största förändringar', largest_better: 'Störst förbättring', largest_worse: 'Störst försämring', largest_increase: 'Störst ökning', largest_decrease: 'Störst minskning', largestNone: 'Inga områden med förändring.', smTitle: 'Kartor per år', smNote: 'Samma klassgränser alla år ({years})', smPrint: 'Alla år på en sida (SVG, för utskrift)',
    // Development sites (sites.js).
    siteTitle: 'Planerade bostäder', siteToken: 'API-nyckel (för att ladda upp, byta namn och ta bort)', siteTokenSaved: 'Nyckeln sparas bara i den här fliken.',
    siteFile: 'Fil (GeoJSON, GeoPackage eller zippad Shapefile)', siteLayerName: 'Namn på lagret', siteUpload: 'Ladda upp',
    siteDraw: 'Rita på kartan', siteDrawPolygon: 'Rita område', siteDrawPoint: 'Rita punkt', siteFinish: 'Klar', siteCancel: 'Avbryt',
    siteDrawHint: 'Klicka för att lägga till hörn; dubbelklicka eller tryck Klar för att avsluta.', siteDrawPointHint: 'Klicka där huset ska ligga.',
    siteSiteName: 'Namn', siteDwellings: 'Antal bostäder', siteTenure: 'Upplåtelseform', siteYear: 'Inflyttningsår', siteSave: 'Spara ritad plats',
    siteLayers: 'Lager', siteNoLayers: 'Inga lager ännu.', siteShow: 'Visa', siteRename: 'Byt namn', siteRemove: 'Ta bort', siteConfirmDelete: 'Ta bort lagret {name}?',
    siteNewName: 'Nytt namn på lagret', siteSite: 'plats', siteSites: 'platser', siteBuffers: 'Buffertar (meter)', siteUploaded: 'Lagret {name} laddades upp ({n} {sites}).',
    siteBadBuffers: 'Ange 1–5 avstånd mellan 1 och 5 000 meter, åtskilda med komma (t.ex. 500,1000).', siteCrossesItself: 'polygonen korsar sig själv vid',
    siteClickSite: 'Klicka på en plats i kartan för att se dess sammanställning.', siteSummaryTitle: 'Sammanställning', siteLoading: 'Laddar …',
    siteAreas: 'Områden som berörs', siteLevel: 'Nivå', siteCode: 'Kod', siteName: 'Namn', siteShareSite: 'Andel av platsen', siteShareArea: 'Andel av området',
    siteType: 'Områdestyp', siteEstimates: 'Skattningar', siteInSite: 'Inom platsen', siteBuffer: 'Inom {d} m', siteIndicator: 'Indikator',
    siteNearest: 'Närmaste område med områdestyp 1 eller 2', siteDistance: 'avstånd', siteTouches: 'platsen berör området',
    siteTenureMix: 'Upplåtelseform: före och efter', siteBefore: 'Före', siteAfter: 'Efter', siteRental: 'Hyresrätt', siteTenantOwned: 'Bostadsrätt', siteOwnerOccupied: 'Äganderätt',
    siteMethod: 'Metod', siteDownload: 'Ladda ner', sitePoint: 'punkt', siteArea: 'Yta', siteNone: 'saknas', siteCovered: 'täckt av DeSO',
    siteRentalL: 'hyresrätt', siteTenantL: 'bostadsrätt', siteOwnerL: 'äganderätt', siteUnknownL: 'okänd', siteNeedToken: 'Ange API-nyckeln först.',
    siteDrawn: 'Ritade platser', siteDwellingsShort: 'bostäder', siteClose: 'Stäng',
  },
  en: {
    subtitle: 'Segregation and living conditions', language: 'Language', settings: 'Settings',
    mapLabel: 'Map', skipToTable: 'Skip to the table',
    mode: 'Map mode', modeInd: 'Indicator', modeTyp: 'Area types', modeLisa: 'LISA clusters', modeChange: 'Change',
    level: 'Level', kommun: 'Municipality', kommunAll: 'All municipalities', kommunMapped: 'Municipalities on the map ({n})', contextLayers: 'Context layers', kommunSearch: 'Find municipality',
    indicator: 'Indicator', year: 'Year', baseYear: 'Compare with year', breakdown: 'Breakdown',
    method: 'Classification', k: 'Number of classes', scheme: 'Colour scheme', alpha: 'Significance level',
    legend: 'Legend', noData: 'No data', suppressed: 'Suppressed',
    downloads: 'Download what is shown', csv: 'CSV', xlsx: 'Excel (xlsx)', geojson: 'GeoJSON',
    table: 'Table', code: 'Code', name: 'Name', value: 'Value', klass: 'Class', change: 'Change',
    cluster: 'Cluster', type: 'Area type', population: 'Population', share: 'Population share',
    areas: 'areas', loading: 'Loading …', error: 'Error', close: 'Close',
    profile: 'Area profile', allIndicators: 'All indicators', riket: 'Sweden', area: 'The area',
    omradestyp: 'Area type', latest: 'Latest', chartFor: 'Over time', sortBy: 'Sort by',
    showChart: 'Show chart', moran: "Moran's I", notSignificant: 'Not significant', island: 'No neighbours',
    HH: 'High among high', LL: 'Low among low', HL: 'High among low', LH: 'Low among high',
    total: 'Total', women: 'Women', men: 'Men', bd_europa: 'Europe except Sweden', bd_ovriga: 'Rest of the world', bd_sverige: 'Sweden', ageYears: 'years', ageOver: '{n} years and over', rows: 'rows', selected: 'Selected area',
    m_quantile: 'Quantiles', m_equal: 'Equal intervals', m_fisher: 'Fisher–Jenks (natural breaks)',
    m_jenks: 'Jenks', m_sd: 'Standard deviation', m_pretty: 'Pretty breaks', m_headtails: 'Head/tails',
    changeNote: 'Difference between the years (units of the indicator)', typNote: 'Area types 2022 (RegSO)',
    noSelection: 'Click an area on the map or a row in the table.',
    showAll: 'Show all', pooled: 'Same class breaks for all years', source: 'Source',
    typViaDeso: 'shown on DeSO by their RegSO; counts = RegSO',
    // Embedding and pictures.
    shareMap: 'Share the map', embed: 'Embed', picture: 'Download picture', embedTitle: 'Embed the map',
    embedIntro: 'Paste the HTML code into your web page. The map shows what is shown now:',
    embedSize: 'Size', embedResponsive: 'Full width (responsive), height below', embedCustom: 'Custom size',
    width: 'Width (px)', height: 'Height (px)', embedShow: 'Show in the map',
    embedControls: 'Zoom buttons', embedHover: 'The value when the pointer is over an area',
    embedClick: 'Clicking an area shows its profile', embedCamera: 'The current map extent',
    embedCode: 'HTML code', embedCopy: 'Copy the code', embedCopied: 'The code is copied.', embedCopyFailed: 'Could not copy – select the code and copy it yourself.',
    embedPreview: 'Preview in a new tab', embedOEmbed: 'Publishing systems with oEmbed can use this address instead:',
    embedTable: 'Show as a table', embedCSV: 'Download data (CSV)',
    pictureTitle: 'Download the map as a picture', pictureFormat: 'Format', pictureSVG: 'vector graphics, for print and editing',
    pictureSize: 'Size', pictureScreen: 'As the map on screen', picture_slide: 'Slide 16:9', picture_a4l: 'A4 landscape', picture_a4p: 'A4 portrait',
    pictureDPI: 'Resolution', pictureDPIScreen: 'screen', pictureDPIPrint: 'print',
    picturePixels: 'The picture will be {w} × {h} pixels.', pictureVector: 'SVG scales without blurring.',
    pictureAlt: 'Text alternative for the picture', pictureDownload: 'Download the picture',
    pictureOnlyInd: 'Pictures can be downloaded in the Indicator map mode.',
    report: 'Create situation report', reportHint: 'A printable report (A4) on the selected municipalities opens in a new tab.', reportPick: 'Choose one or more municipalities to create a situation report.', notes: 'Notes', noteChart: 'Note', changePP: 'percentage points',
    dlNoLisa: 'LISA clusters cannot be downloaded. Choose the Indicator map mode to download the values of one year; the clusters are in the table.',
    dlNoChange: 'The change cannot be downloaded. Choose the Indicator map mode and download the two years one at a time; the change per area is in the table.',
    kommunUnmapped: '{name} has no boundaries in the database – shown in the table only.', unmappedMark: 'no map',
    lan: 'County', docTitle: 'segmap – segregation map', sitesLabel: 'Planned housing', siteSummary: 'Planned site',
    addNote: 'Add a note', noteYear: 'Year', noteText: 'Local knowledge about the area', apiToken: 'API token', save: 'Save', deleteNote: 'Delete the note', noteSaved: 'The note was saved',
    trendOpen: 'Over time', trendTitle: 'Over time', trendNone: 'No indicators with several years at this level.', trendAdd: 'Compare with area', trendAddHint: 'code, e.g. 0180R001', trendAddBtn: 'Add', trendRemove: 'Remove', trendTable: 'one year per column', trendExcel: 'Download Excel (xlsx)', trendTypes: 'Area types', trendTypesNote: 'Row = type in the first year, column = type in the second (number of RegSO; population in the tooltip). {better} got a better type, {worse} a worse one, {unchanged} unchanged.', trendBetter: 'better', trendWorse: 'worse', trendPersons: 'persons',
    side_better: 'improvement', side_worse: 'deterioration', side_increase: 'increase', side_decrease: 'decrease', changeMeaning_higher_is_better: 'Green = improvement, purple = deterioration (a higher value is better)', changeMeaning_lower_is_better: 'Green = improvement, purple = deterioration (a lower value is better)', changeMeaning_neutral: 'Neutral colours: the indicator has no better or worse direction (blue = decrease, red = increase)', largestTitle: 'Largest changes', largest_better: 'Largest improvement', largest_worse: 'Largest deterioration', largest_increase: 'Largest increase', largest_decrease: 'Largest decrease', largestNone: 'No areas with a change.', smTitle: 'Maps by year', smNote: 'Same class breaks for all years ({years})', smPrint: 'All years on one page (SVG, for print)',
    // Development sites (sites.js).
    siteTitle: 'Planned housing', siteToken: 'API token (to upload, rename and delete)', siteTokenSaved: 'The token is kept in this tab only.',
    siteFile: 'File (GeoJSON, GeoPackage or zipped Shapefile)', siteLayerName: 'Layer name', siteUpload: 'Upload',
    siteDraw: 'Draw on the map', siteDrawPolygon: 'Draw area', siteDrawPoint: 'Draw point', siteFinish: 'Done', siteCancel: 'Cancel',
    siteDrawHint: 'Click to add corners; double-click or press Done to finish.', siteDrawPointHint: 'Click where the building goes.',
    siteSiteName: 'Name', siteDwellings: 'Dwellings', siteTenure: 'Tenure', siteYear: 'Year of completion', siteSave: 'Save drawn site',
    siteLayers: 'Layers', siteNoLayers: 'No layers yet.', siteShow: 'Show', siteRename: 'Rename', siteRemove: 'Delete', siteConfirmDelete: 'Delete the layer {name}?',
    siteNewName: 'New layer name', siteSite: 'site', siteSites: 'sites', siteBuffers: 'Buffers (metres)', siteUploaded: 'Layer {name} uploaded ({n} {sites}).',
    siteBadBuffers: 'Give 1–5 distances between 1 and 5,000 metres, separated by commas (e.g. 500,1000).', siteCrossesItself: 'the polygon crosses itself at',
    siteClickSite: 'Click a site on the map to see its summary.', siteSummaryTitle: 'Summary', siteLoading: 'Loading …',
    siteAreas: 'Areas touched', siteLevel: 'Level', siteCode: 'Code', siteName: 'Name', siteShareSite: 'Share of site', siteShareArea: 'Share of area',
    siteType: 'Area type', siteEstimates: 'Estimates', siteInSite: 'In the site', siteBuffer: 'Within {d} m', siteIndicator: 'Indicator',
    siteNearest: 'Nearest area of type 1 or 2', siteDistance: 'distance', siteTouches: 'the site touches it',
    siteTenureMix: 'Tenure: before and after', siteBefore: 'Before', siteAfter: 'After', siteRental: 'Rental', siteTenantOwned: 'Tenant-owned', siteOwnerOccupied: 'Owner-occupied',
    siteMethod: 'Method', siteDownload: 'Download', sitePoint: 'point', siteArea: 'Area', siteNone: 'none', siteCovered: 'covered by DeSO',
    siteRentalL: 'rental', siteTenantL: 'tenant-owned', siteOwnerL: 'owner-occupied', siteUnknownL: 'unknown', siteNeedToken: 'Enter the API token first.',
    siteDrawn: 'Drawn sites', siteDwellingsShort: 'dwellings', siteClose: 'Close',
  },
};

const BREAKDOWNS = {
  total: 'total', kvinnor: 'women', women: 'women', man: 'men', men: 'men', 'män': 'men',
  europa: 'bd_europa', ovriga: 'bd_ovriga', 'övriga': 'bd_ovriga', sverige: 'bd_sverige',
};

export function t(lang, key) {
  return (STRINGS[lang] && STRINGS[lang][key]) ?? STRINGS.sv[key] ?? key;
}

export function breakdownLabel(lang, id) {
  const key = BREAKDOWNS[id];
  if (key) return t(lang, key);
  // Age groups as the demo names them: "20-34", "80+".
  let m = /^(\d+)-(\d+)$/.exec(id || '');
  if (m) return `${m[1]}–${m[2]} ${t(lang, 'ageYears')}`;
  m = /^(\d+)\+$/.exec(id || '');
  if (m) return t(lang, 'ageOver').replace('{n}', m[1]);
  return id;
}

export function indicatorName(lang, ind) {
  if (!ind) return '';
  return (lang === 'en' ? ind.name_en : ind.name_sv) || ind.name_sv || ind.id;
}

export function levelName(lang, lvl) {
  return (lang === 'en' ? lvl.name_en : lvl.name_sv) || lvl.id;
}

// applyStatic translates the static elements of index.html.
export function applyStatic(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(lang, el.dataset.i18nAria));
}
