import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkUpn, computeUpnCheckLetter } from './upn.js';

const examplesUrl = new URL(
  '../../../shared/acceptance/foundation/upn-examples.csv',
  import.meta.url,
);
const examplesPath = fileURLToPath(examplesUrl);
const examples: { upn: string; valid: string; note: string }[] = existsSync(examplesPath)
  ? parse(readFileSync(examplesPath), { columns: true, bom: true })
  : [];

describe('checkUpn on the acceptance examples', () => {
  if (examples.length === 0) {
    it.skip(`skipped because ${examplesPath} is absent`, () => {});
  }

  it.each(examples)('$upn is valid: $valid ($note)', ({ upn, valid }) => {
    const check = checkUpn(upn);
    expect(check.valid).toBe(valid === 'yes');
    expect(check.reason === null).toBe(valid === 'yes');
  });

  it.each(examples.filter((example) => example.note.startsWith('temporary')))(
    '$upn is temporary',
    ({ upn }) => {
      expect(checkUpn(upn).temporary).toBe(true);
    },
  );
});

describe('checkUpn', () => {
  it.each([
    { upn: 'H801200001001', valid: true, temporary: false, reason: null },
    { upn: 'G80120000101A', valid: true, temporary: true, reason: null },
    { upn: 'X801400121001', valid: true, temporary: false, reason: null },
    { upn: 'W80140012101A', valid: true, temporary: true, reason: null },
    { upn: '', valid: false, temporary: false, reason: 'the UPN is empty' },
    {
      upn: 'H8012000010011',
      valid: false,
      temporary: false,
      reason: 'it has 14 characters, but a UPN has 13',
    },
    {
      upn: 'h801200001001',
      valid: false,
      temporary: false,
      reason: 'it contains lower-case letters, but UPN letters are capitals',
    },
    {
      upn: 'O801200001001',
      valid: false,
      temporary: false,
      reason: 'character 1 is "O", but UPNs never use the letters I, O or S',
    },
    {
      upn: '1801200001001',
      valid: false,
      temporary: false,
      reason: 'character 1 is "1", which must be a capital letter other than I, O or S',
    },
    {
      upn: 'H80120000100S',
      valid: false,
      temporary: true,
      reason: 'character 13 is "S", but UPNs never use the letters I, O or S',
    },
    {
      upn: 'H8012000 1001',
      valid: false,
      temporary: false,
      reason: 'character 9 is " ", but characters 2 to 12 must be digits',
    },
    {
      upn: 'Z801200001001',
      valid: false,
      temporary: false,
      reason: 'the check letter is Z, but the other characters give H, so a character is mistyped',
    },
  ])('"$upn"', ({ upn, valid, temporary, reason }) => {
    expect(checkUpn(upn)).toEqual({ valid, temporary, reason });
  });
});

describe('computeUpnCheckLetter', () => {
  it('matches the DfE worked example', () => {
    // 8×2 + 1×4 + 2×5 + 1×10 + 1×13 = 53, and 53 mod 23 = 7, the index of H.
    expect(computeUpnCheckLetter('801200001001')).toBe('H');
  });

  it('counts a final letter by its alphabet index', () => {
    expect(computeUpnCheckLetter('80120000101A')).toBe('G');
  });
});
