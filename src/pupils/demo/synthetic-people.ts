/**
 * Names, ethnicities and languages for synthetic pupils. The names are common first names and
 * surnames combined at random, so no record describes a real child. The lists include
 * apostrophes, hyphens and accented letters, because import files carry them.
 */
import type { Random } from './random.js';

// prettier-ignore
export const FORENAMES = {
  F: [
    'Amelia', 'Olivia', 'Isla', 'Ava', 'Freya', 'Zoë', 'Chloé', 'Siân', 'Renée', 'Aoife',
    'Niamh', 'Fatima', 'Amira', 'Aisha', 'Maja', 'Zuzanna', 'Priya', 'Ananya', 'Chiamaka', 'Adaeze',
    'Grace', 'Ruby', 'Mei', 'Leila', 'Inès', 'Ffion', 'Hannah', 'Sofia', 'Élodie', 'Nia',
  ],
  M: [
    'Oliver', 'Jack', 'Leo', 'Noah', 'Harry', 'Muhammad', 'Yusuf', 'Ibrahim', 'José', 'Seán',
    'Dáire', 'Rhys', 'Oluwaseun', 'Chidi', 'Kwame', 'Jakub', 'Szymon', 'Arjun', 'Rohan', 'Hamza',
    'Finley', 'Alfie', 'Theo', 'Kai', 'Wei', 'Mateo', 'Jérôme', 'Callum', 'Alexander', 'Thomas',
  ],
} as const;

/** Short forms some pupils go by, written as the preferred forename. */
export const PREFERRED_FORENAMES: Readonly<Record<string, string>> = {
  Alexander: 'Alex',
  Thomas: 'Tom',
  Oliver: 'Ollie',
  Oluwaseun: 'Seun',
  Zuzanna: 'Zuzia',
  Amelia: 'Millie',
  Muhammad: 'Mo',
  Chiamaka: 'Amaka',
};

// prettier-ignore
export const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown-Lee', 'Williams', "O'Brien", "O'Connor", "D'Souza", 'McAllister', 'Evans',
  'Khan', 'Ahmed', 'Hussain', 'Begum', 'Patel', 'Shah', 'Okafor', 'Adeyemi', 'Mensah', 'Nowak',
  'Kowalczyk', 'Wiśniewska', 'Müller', 'Núñez', 'García', 'Chen', 'Nguyen', 'Da Silva', 'Walker', 'Hughes',
  'Wright', 'Green', 'Ní Bhriain', 'Lefèvre', 'Ali', 'Campbell', 'Roberts', 'Thompson', 'Murphy', 'Kaur',
] as const;

/**
 * Four-letter DfE ethnicity codes with illustrative weights for a town school. The weights are
 * not national shares. They give about 37% of pupils an ethnicity other than White British and,
 * with `EAL_BY_ETHNICITY`, about one in five English as an additional language.
 */
export const ETHNICITY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['WBRI', 62],
  ['WIRI', 1],
  ['WIRT', 0.2],
  ['WROM', 0.5],
  ['WOTH', 7],
  ['MWBC', 1.5],
  ['MWBA', 1],
  ['MWAS', 1.5],
  ['MOTH', 2],
  ['AIND', 3.5],
  ['APKN', 4.5],
  ['ABAN', 2],
  ['AOTH', 2],
  ['BAFR', 4],
  ['BCRB', 1],
  ['BOTH', 0.5],
  ['CHNE', 0.7],
  ['OOTH', 2],
  ['REFU', 0.8],
  ['NOBT', 0.6],
];

/**
 * For each ethnicity, the chance that a pupil's first language is not English and the
 * languages to choose from. Language codes follow DfE's first-language code set as far as the
 * demo needs; `OTB` means "believed to be other than English". Ethnicities not listed use
 * `DEFAULT_EAL`.
 */
export const EAL_BY_ETHNICITY: Readonly<
  Record<string, { chance: number; languages: readonly string[] }>
> = {
  WBRI: { chance: 0.01, languages: ['OTB'] },
  WIRI: { chance: 0.02, languages: ['OTB'] },
  WIRT: { chance: 0.1, languages: ['OTB'] },
  WROM: { chance: 0.8, languages: ['OTB'] },
  WOTH: { chance: 0.7, languages: ['POL', 'POR', 'TUR'] },
  AIND: { chance: 0.6, languages: ['GUJ', 'PNJ', 'TAM'] },
  APKN: { chance: 0.75, languages: ['URD', 'PNJ'] },
  ABAN: { chance: 0.85, languages: ['BNG'] },
  AOTH: { chance: 0.7, languages: ['TAM', 'ARA'] },
  BAFR: { chance: 0.6, languages: ['SOM', 'YOR', 'ARA'] },
  BCRB: { chance: 0.05, languages: ['OTB'] },
  BOTH: { chance: 0.4, languages: ['FRN'] },
  CHNE: { chance: 0.7, languages: ['CHI'] },
  OOTH: { chance: 0.8, languages: ['ARA', 'TUR'] },
};

const DEFAULT_EAL = { chance: 0.1, languages: ['OTB'] } as const;

/**
 * Primary types of need, weighted. Speech, language and communication needs are the most common
 * need on SEN support, and autistic spectrum disorder the most common with an EHC plan (DfE
 * "Special educational needs in England" 2024/25, as reported). The other weights are
 * illustrative.
 */
export const SEN_NEED_WEIGHTS = {
  K: [
    ['SLCN', 26],
    ['SEMH', 20],
    ['MLD', 15],
    ['SPLD', 15],
    ['ASD', 10],
    ['OTH', 5],
    ['PD', 3],
    ['HI', 2],
    ['VI', 1],
    ['NSA', 3],
  ],
  E: [
    ['ASD', 34],
    ['SLCN', 20],
    ['SEMH', 15],
    ['SLD', 10],
    ['MLD', 8],
    ['PD', 5],
    ['PMLD', 3],
    ['HI', 2],
    ['VI', 1],
    ['MSI', 1],
    ['OTH', 1],
  ],
} as const satisfies Record<'K' | 'E', readonly (readonly [string, number])[]>;

export interface SyntheticName {
  surname: string;
  forename: string;
  preferredForename: string | null;
}

/** Picks a name; about one pupil in four with a listed short form goes by it. */
export function pickName(random: Random, sex: 'F' | 'M'): SyntheticName {
  const forename = random.pick(FORENAMES[sex]);
  const surname = random.pick(SURNAMES);
  const shortForm = PREFERRED_FORENAMES[forename];
  const preferredForename = shortForm !== undefined && random.chance(0.25) ? shortForm : null;
  return { surname, forename, preferredForename };
}

/** Picks a first language for a pupil of the given ethnicity: `ENG`, `ENB` or another code. */
export function pickFirstLanguage(random: Random, ethnicity: string): string {
  const eal = EAL_BY_ETHNICITY[ethnicity] ?? DEFAULT_EAL;
  if (random.chance(eal.chance)) return random.pick(eal.languages);
  return random.chance(0.03) ? 'ENB' : 'ENG';
}
