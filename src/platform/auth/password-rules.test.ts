import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords.js';
import {
  checkNewPassword,
  isCommonPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from './password-rules.js';

const USER = { email: 'jo.bloggs@brookfield.sch.uk' };

// 256 letters that are not one short piece repeated.
const LONGEST = Array.from({ length: MAX_PASSWORD_LENGTH }, (_, index) =>
  String.fromCharCode(97 + ((index * 7) % 26)),
).join('');

describe('checkNewPassword', () => {
  it.each([
    ['three random words', 'lantern orbit pebble'],
    ['exactly 12 characters', 'tq8#Lm2vZr0w'],
    ['256 characters', LONGEST],
    ['12 emoji and letters', '🦊🐢🦉 river kettle'],
    ['short email part inside', 'jo went up the hill'],
  ])('accepts %s', (_case, password) => {
    expect(checkNewPassword(password, USER)).toBeNull();
  });

  it.each([
    ['empty', '', /^Enter a new password$/],
    ['11 characters', 'tq8#Lm2vZr0', /must be 12 characters or more/],
    ['257 characters', 'x'.repeat(MAX_PASSWORD_LENGTH) + 'y', /must be 256 characters or fewer/],
    ['common and long', '123456789012', /one of the most used passwords/],
    ['common word with digits', 'Liverpool1234', /one of the most used passwords/],
    ['common word with symbols', 'Password123!!', /one of the most used passwords/],
    ['common word repeated', 'passwordpassword', /one of the most used passwords/],
    ['one character repeated', 'aaaaaaaaaaaaaa', /one of the most used passwords/],
    ['digits repeated', '121212121212', /one of the most used passwords/],
    ['service name', 'Commissioner2025', /one of the most used passwords/],
    ['whole local part', 'my jo.bloggs secret', /must not contain your email address/],
    ['word of local part', 'Bloggs family holiday', /must not contain your email address/],
  ])('rejects %s', (_case, password, message) => {
    expect(checkNewPassword(password, USER)).toMatch(message);
  });

  it('counts emoji as one character', () => {
    const elevenCharacters = '🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊';

    expect(checkNewPassword(elevenCharacters, USER)).toMatch(/12 characters or more/);
  });

  it('states the minimum length', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
  });
});

describe('isCommonPassword', () => {
  it.each([
    ['password', true],
    ['QWERTY', true],
    ['Superman2024!', true],
    ['blink182blink182', true],
    ['abcabcabcabc', true],
    ['river1river1', false],
    ['lantern orbit pebble', false],
    ['liverpool street station', false],
  ])('%s is %s', (password, expected) => {
    expect(isCommonPassword(password)).toBe(expected);
  });

  it('list is lower case', () => {
    for (const entry of COMMON_PASSWORDS) expect(entry).toBe(entry.toLowerCase());
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(400);
  });
});
