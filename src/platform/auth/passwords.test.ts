import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  generateOneTimePassword,
  hashPassword,
  needsRehash,
  verifyDummyPassword,
  verifyPassword,
} from './passwords.js';

describe('hashPassword', () => {
  it('uses argon2id with OWASP minimum parameters', async () => {
    const passwordHash = await hashPassword('lantern orbit pebble');

    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('salts each hash', async () => {
    const first = await hashPassword('lantern orbit pebble');
    const second = await hashPassword('lantern orbit pebble');

    expect(first).not.toBe(second);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password', async () => {
    const passwordHash = await hashPassword('lantern orbit pebble');

    expect(await verifyPassword(passwordHash, 'lantern orbit pebble')).toBe(true);
  });

  it.each([
    ['wrong password', 'lantern orbit pebbles'],
    ['other letter case', 'Lantern orbit pebble'],
    ['empty password', ''],
  ])('rejects %s', async (_case, attempt) => {
    const passwordHash = await hashPassword('lantern orbit pebble');

    expect(await verifyPassword(passwordHash, attempt)).toBe(false);
  });

  it('rejects a damaged hash', async () => {
    expect(await verifyPassword('not a hash', 'lantern orbit pebble')).toBe(false);
  });
});

describe('verifyDummyPassword', () => {
  it('always returns false', async () => {
    expect(await verifyDummyPassword('lantern orbit pebble')).toBe(false);
    expect(await verifyDummyPassword('')).toBe(false);
  });
});

describe('needsRehash', () => {
  it('is false for current parameters', async () => {
    expect(needsRehash(await hashPassword('lantern orbit pebble'))).toBe(false);
  });

  it('is true for weaker parameters', async () => {
    const weak = await hash('lantern orbit pebble', { memoryCost: 4096, timeCost: 1 });

    expect(needsRehash(weak)).toBe(true);
  });

  it('is true for a damaged hash', () => {
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('generateOneTimePassword', () => {
  it('is 20 characters without look-alikes', () => {
    for (let i = 0; i < 200; i += 1) {
      const password = generateOneTimePassword();
      expect(password).toHaveLength(20);
      expect(password).toMatch(/^[a-hjkmnp-zA-HJ-NP-Z2-9]+$/);
    }
  });

  it('differs each time', () => {
    const passwords = new Set(Array.from({ length: 100 }, () => generateOneTimePassword()));

    expect(passwords.size).toBe(100);
  });
});
