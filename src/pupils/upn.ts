/**
 * Unique pupil number (UPN) rules from the DfE "Unique pupil numbers (UPN) guidance".
 *
 * A UPN has 13 characters: a check letter, a 3-digit local-authority number, a 4-digit
 * establishment number, the last two digits of the year of allocation and a 3-digit serial.
 * A temporary UPN ends in a letter instead of the last serial digit. UPNs never use the
 * letters I, O or S.
 */

/** Letters a UPN may use, in check-letter order: A to Z without I, O and S (23 letters). */
export const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export const UPN_LENGTH = 13;

export interface UpnCheck {
  valid: boolean;
  /** True when the 13th character is a letter, which marks a temporary UPN. */
  temporary: boolean;
  /** Reason the UPN is invalid, in plain English, or null when it is valid. */
  reason: string | null;
}

/**
 * Computes the check letter for characters 2 to 13 of a UPN. Each character is multiplied by
 * its position (2 to 13), a final letter counting as its index in `UPN_ALPHABET`. The check
 * letter is the alphabet's letter at the sum modulo 23.
 *
 * @param body the 12 characters after the check letter. The caller must have checked that
 *   characters 1 to 11 of it are digits and the last is a digit or an alphabet letter.
 */
export function computeUpnCheckLetter(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    const character = body.charAt(index);
    const weight = index + 2;
    const digit =
      character >= '0' && character <= '9' ? Number(character) : UPN_ALPHABET.indexOf(character);
    sum += digit * weight;
  }
  return UPN_ALPHABET.charAt(sum % UPN_ALPHABET.length);
}

/**
 * Checks a UPN exactly as given: no spaces are removed and lower-case letters are not
 * accepted, so the reason always describes the value the user's file contains.
 */
export function checkUpn(value: string): UpnCheck {
  const lastCharacter = value.charAt(value.length - 1);
  const temporary = value.length === UPN_LENGTH && /[A-Z]/.test(lastCharacter);
  const reason = findUpnFault(value);
  return { valid: reason === null, temporary, reason };
}

function findUpnFault(value: string): string | null {
  if (value.length === 0) {
    return 'the UPN is empty';
  }
  if (value.length !== UPN_LENGTH) {
    return `it has ${value.length} characters, but a UPN has ${UPN_LENGTH}`;
  }
  if (/[a-z]/.test(value)) {
    return 'it contains lower-case letters, but UPN letters are capitals';
  }

  const first = value.charAt(0);
  if (!UPN_ALPHABET.includes(first)) {
    return describeBadLetter(first, 1);
  }
  for (let position = 2; position <= 12; position += 1) {
    const character = value.charAt(position - 1);
    if (character < '0' || character > '9') {
      return `character ${position} is "${character}", but characters 2 to 12 must be digits`;
    }
  }
  const last = value.charAt(UPN_LENGTH - 1);
  const lastIsDigit = last >= '0' && last <= '9';
  if (!lastIsDigit && !UPN_ALPHABET.includes(last)) {
    return describeBadLetter(last, UPN_LENGTH);
  }

  const expected = computeUpnCheckLetter(value.slice(1));
  if (expected !== first) {
    return `the check letter is ${first}, but the other characters give ${expected}, so a character is mistyped`;
  }
  return null;
}

function describeBadLetter(character: string, position: number): string {
  if (character === 'I' || character === 'O' || character === 'S') {
    return `character ${position} is "${character}", but UPNs never use the letters I, O or S`;
  }
  return `character ${position} is "${character}", which must be a capital letter other than I, O or S`;
}
