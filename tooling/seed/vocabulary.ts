/** Dutch place data the generator draws from: a city, its municipality, first postcode digits and centre. */
export interface City {
  name: string;
  municipality: string;
  /** First postcode of the area; the generator adds 0-89 to it. */
  postcodeBase: number;
  code: string;
  lat: number;
  lon: number;
}

export const CITIES: readonly City[] = [
  { name: 'Utrecht', municipality: 'Utrecht', postcodeBase: 3511, code: 'UTR', lat: 52.0907, lon: 5.1214 },
  { name: 'Amersfoort', municipality: 'Amersfoort', postcodeBase: 3811, code: 'AMF', lat: 52.1561, lon: 5.3878 },
  { name: 'Zwolle', municipality: 'Zwolle', postcodeBase: 8011, code: 'ZWL', lat: 52.5168, lon: 6.083 },
  { name: 'Deventer', municipality: 'Deventer', postcodeBase: 7411, code: 'DEV', lat: 52.2551, lon: 6.1639 },
  { name: 'Apeldoorn', municipality: 'Apeldoorn', postcodeBase: 7311, code: 'APD', lat: 52.2112, lon: 5.9699 },
  { name: 'Groningen', municipality: 'Groningen', postcodeBase: 9711, code: 'GRN', lat: 53.2194, lon: 6.5665 },
  { name: 'Leeuwarden', municipality: 'Leeuwarden', postcodeBase: 8911, code: 'LWD', lat: 53.2012, lon: 5.7999 },
  { name: 'Eindhoven', municipality: 'Eindhoven', postcodeBase: 5611, code: 'EHV', lat: 51.4416, lon: 5.4697 },
  { name: 'Tilburg', municipality: 'Tilburg', postcodeBase: 5011, code: 'TLB', lat: 51.5555, lon: 5.0913 },
  { name: 'Breda', municipality: 'Breda', postcodeBase: 4811, code: 'BRD', lat: 51.5719, lon: 4.7683 },
  { name: 'Nijmegen', municipality: 'Nijmegen', postcodeBase: 6511, code: 'NMG', lat: 51.8126, lon: 5.8372 },
  { name: 'Arnhem', municipality: 'Arnhem', postcodeBase: 6811, code: 'ARN', lat: 51.9851, lon: 5.8987 },
  { name: 'Haarlem', municipality: 'Haarlem', postcodeBase: 2011, code: 'HLM', lat: 52.3874, lon: 4.6462 },
  { name: 'Leiden', municipality: 'Leiden', postcodeBase: 2311, code: 'LDN', lat: 52.1601, lon: 4.497 },
  { name: 'Delft', municipality: 'Delft', postcodeBase: 2611, code: 'DLF', lat: 52.0116, lon: 4.3571 },
  { name: 'Almere', municipality: 'Almere', postcodeBase: 1311, code: 'ALM', lat: 52.3508, lon: 5.2647 },
  { name: 'Enschede', municipality: 'Enschede', postcodeBase: 7511, code: 'ENS', lat: 52.2215, lon: 6.8937 },
  { name: 'Maastricht', municipality: 'Maastricht', postcodeBase: 6211, code: 'MST', lat: 50.8514, lon: 5.691 },
  { name: 'Den Bosch', municipality: "'s-Hertogenbosch", postcodeBase: 5211, code: 'DBS', lat: 51.6978, lon: 5.3037 },
  { name: 'Alkmaar', municipality: 'Alkmaar', postcodeBase: 1811, code: 'ALK', lat: 52.6324, lon: 4.7534 },
  { name: 'Hoogeveen', municipality: 'Hoogeveen', postcodeBase: 7901, code: 'HGV', lat: 52.7225, lon: 6.4764 },
  { name: 'Middelburg', municipality: 'Middelburg', postcodeBase: 4331, code: 'MDB', lat: 51.4988, lon: 3.6136 },
];

export const STREETS: readonly string[] = [
  'Dorpsstraat',
  'Kerkstraat',
  'Molenweg',
  'Stationsweg',
  'Schoolstraat',
  'Julianastraat',
  'Wilhelminastraat',
  'Beatrixlaan',
  'Oranjestraat',
  'Hoofdstraat',
  'Nieuwstraat',
  'Lindelaan',
  'Eikenlaan',
  'Berkenlaan',
  'Parallelweg',
  'Industrieweg',
  'Sportlaan',
  'Prinses Irenestraat',
  'Van Goghlaan',
  'Rembrandtlaan',
  'Burgemeester de Withstraat',
  'Kastanjelaan',
  'Esdoornstraat',
  'Spoorstraat',
  'Havenkade',
  'Dijkweg',
  'Weidelaan',
  'Tulpstraat',
  'Zonnebloemstraat',
  'Vondellaan',
];

export const PROJECT_AREAS: readonly string[] = ['Oost', 'West', 'Noord', 'Zuid', 'Centrum', 'Buitengebied', 'Binnenstad'];

export const CONTRACTOR_NAMES: readonly string[] = [
  'Van der Veen Infra B.V.',
  'Glasvezelbouw Noord B.V.',
  'Bakker Kabelwerken',
  'De Jong Telecom Techniek',
  'Visser Grondwerken B.V.',
  'Mulder Netwerkbouw',
  'Jansen Civiel B.V.',
  'Smit Fiber Solutions',
  'Bos & Zn. Installatie',
  'Meijer Montage',
  'Van Dijk Lastechniek',
  'Hendriks Infra Oost',
];

export const TEAMS: readonly string[] = [
  'Graafploeg 1',
  'Graafploeg 2',
  'Lasteam A',
  'Lasteam B',
  'Schouwteam Noord',
  'Schouwteam Zuid',
  'Activatieteam',
  'Ploeg Smit',
  'Ploeg De Vries',
];

export const REMARKS: readonly string[] = [
  'Klant niet thuis, nieuwe afspraak maken',
  'Sleutel ligt bij de buren (nr. 12)',
  'Tuin opengebroken, herstel volgt volgende week',
  'Kruipruimte niet toegankelijk',
  'Let op: hond aanwezig',
  'Meterkast vol, extra ruimte nodig',
  'Boring onder de oprit akkoord gegeven',
  'Huurwoning: toestemming woningcorporatie aanwezig',
];

/** Text in several scripts with emoji and right-to-left runs: must arrive byte-exact. */
export const UNICODE_TEXTS: readonly string[] = [
  'Bewoner spreekt Arabisch: مرحبا، شكراً 🏠✅',
  'Afspraak bevestigd via WhatsApp 👍 — שלום, תודה רבה',
  'Café “De Gouden Leeuw” – Ĳsselmeer 🚧 Zoë & Chloë',
  'Klant: 王小明 (Chinees), tolk nodig 🗣️ مرحبا',
];

/** Letters that never follow the digits in a Dutch postcode pair (SA, SD, SS are not issued). */
const BANNED_PAIRS = new Set(['SA', 'SD', 'SS']);
const LETTERS = 'ABCDEFGHJKLMNPRSTVWXZ';

/** A plausible postcode letter pair for an index. */
export function postcodeLetters(index: number): string {
  let i = index;
  for (;;) {
    const pair = `${LETTERS[i % LETTERS.length]}${LETTERS[Math.floor(i / LETTERS.length) % LETTERS.length]}`;
    if (!BANNED_PAIRS.has(pair)) return pair;
    i += 1;
  }
}
