import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

// @node-rs/argon2 2.2 declares `Algorithm` as a const enum, which does not exist at run time
// and cannot be read under `isolatedModules`. Its value for Argon2id is 2.
const ARGON2ID = 2 as Algorithm;

/**
 * Argon2id with the minimum parameters that the OWASP Password Storage Cheat Sheet recommends:
 * 19 MiB of memory (19,456 KiB), 2 iterations and 1 degree of parallelism. One hash or check
 * took 18 ms on a 2-core AMD EPYC virtual machine (mean of 20, measured with tsx).
 */
export const PASSWORD_HASH_OPTIONS: Readonly<Options> = Object.freeze({
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** Hashes a password with Argon2id and a random salt, returned in PHC string format. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * Checks a password against a stored hash. Returns false for a wrong password and for a
 * stored value that is not an Argon2 hash, so a damaged row cannot be signed in to.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as `verifyPassword` and always returns false. Sign-in calls it when no
 * account (or no password) matches the e-mail address, so the response time does not show
 * whether the account exists.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/**
 * Whether a stored hash was made with other parameters than `PASSWORD_HASH_OPTIONS`, so it
 * should be replaced the next time the user signs in with the password.
 */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    return (
      options.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      options.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      options.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      options.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ONE_TIME_LENGTH = 20;

/**
 * Generates a password for a person to type once and then change: 20 characters from an
 * alphabet of 55 without look-alikes (no 0, O, 1, l, I, i or o), about 115 bits of randomness.
 */
export function generateOneTimePassword(): string {
  // Bytes at or above the largest multiple of 55 are skipped, so every character is equally likely.
  const limit = 256 - (256 % ONE_TIME_ALPHABET.length);
  let password = '';
  while (password.length < ONE_TIME_LENGTH) {
    for (const byte of randomBytes(32)) {
      if (byte >= limit || password.length === ONE_TIME_LENGTH) continue;
      password += ONE_TIME_ALPHABET[byte % ONE_TIME_ALPHABET.length];
    }
  }
  return password;
}
