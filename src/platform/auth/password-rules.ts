import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * Minimum password length, in characters. The NCSC's Cyber Essentials requirements accept
 * password-only sign-in when passwords have at least 12 characters with no short maximum, and
 * the NCSC's password guidance prefers length (for example three random words) to rules about
 * symbols and digits. So there are no such composition rules here.
 */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Maximum password length, in characters: long enough for any passphrase or password
 * manager, short enough that hashing one cannot tie up the server.
 */
export const MAX_PASSWORD_LENGTH = 256;

/** Maximum length of a piece that, repeated to make a whole password, makes it common. */
const MAX_REPEATED_UNIT_LENGTH = 4;

/** Minimum length of a part of the e-mail address that a password may not contain. */
const MIN_EMAIL_PART_LENGTH = 3;

/**
 * Checks a new password and returns what is wrong with it, as a message for the form, or null
 * when it is acceptable. It rejects a password shorter than 12 or longer than 256 characters,
 * and a common password (see `isCommonPassword`). It also rejects a password that contains the
 * part of the user's e-mail address before the @, or a word of 3 or more characters from it.
 * Characters are counted as Unicode code points, so an emoji is one character.
 */
export function checkNewPassword(password: string, user: { email: string }): string | null {
  const length = [...password].length;
  if (length === 0) return 'Enter a new password';
  if (length < MIN_PASSWORD_LENGTH) {
    return `Password must be ${MIN_PASSWORD_LENGTH} characters or more. Three or four random words together make a long password that is easy to remember`;
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  }
  if (isCommonPassword(password)) {
    return 'Password is one of the most used passwords, so it is easy to guess. Choose a different password, for example three or four random words';
  }
  if (containsEmailPart(password, user.email)) {
    return 'Password must not contain your email address or the part of it before the @. Choose a different password';
  }
  return null;
}

/**
 * Checks whether a password is on the common-passwords list, compared in lower case: as it is, with
 * everything after its last letter removed (`Liverpool123!` is `liverpool`), or as one listed
 * piece repeated (`passwordpassword`). A password that repeats digits only, or a piece of at
 * most 4 characters (`abcabcabcabc`), counts as common too.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;

  const stem = lower.replace(/[^\p{L}]+$/u, '');
  if (stem !== '' && COMMON_PASSWORDS.has(stem)) return true;

  const unit = repeatedUnit(lower);
  return (
    unit !== null &&
    ([...unit].length <= MAX_REPEATED_UNIT_LENGTH ||
      COMMON_PASSWORDS.has(unit) ||
      /^\d+$/.test(unit))
  );
}

/** Returns the shortest piece that, repeated two or more times, makes `text`, or null. */
function repeatedUnit(text: string): string | null {
  const characters = [...text];
  for (let size = 1; size <= characters.length / 2; size += 1) {
    if (characters.length % size !== 0) continue;
    const unit = characters.slice(0, size).join('');
    if (unit.repeat(characters.length / size) === text) return unit;
  }
  return null;
}

function containsEmailPart(password: string, email: string): boolean {
  const at = email.lastIndexOf('@');
  const localPart = (at === -1 ? email : email.slice(0, at)).toLowerCase();
  const lower = password.toLowerCase();
  const parts = [localPart, ...localPart.split(/[._+-]+/)];
  return parts.some((part) => part.length >= MIN_EMAIL_PART_LENGTH && lower.includes(part));
}
