import { describe, expect, it } from 'vitest';

import { textOrNotGiven, wordSafeText } from './word-parts.js';

describe('wordSafeText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'Reading & writing', 'Reading & writing'],
    ['tab and line breaks', 'a\tb\r\nc', 'a\tb\r\nc'],
    ['null character', 'a\u0000b', 'a\uFFFDb'],
    ['vertical tab', 'a\u000Bb', 'a\uFFFDb'],
    ['escape', 'a\u001Bb', 'a\uFFFDb'],
    ['U+FFFE', 'a\uFFFEb', 'a\uFFFDb'],
    ['U+FFFF', 'a\uFFFFb', 'a\uFFFDb'],
    ['lone high surrogate', 'a\uD83Db', 'a\uFFFDb'],
    ['lone low surrogate', 'a\uDCDAb', 'a\uFFFDb'],
    ['emoji pair', 'books 📚', 'books 📚'],
    ['accents', 'Zoë Ñúñez', 'Zoë Ñúñez'],
  ])('%s', (_name, text, expected) => {
    expect(wordSafeText(text)).toBe(expected);
  });
});

describe('textOrNotGiven', () => {
  it.each<[string, string | null | undefined, string]>([
    ['text', 'Ms Patel', 'Ms Patel'],
    ['text with spaces kept', '  Ms Patel ', '  Ms Patel '],
    ['empty string', '', 'Not given'],
    ['only spaces', '   ', 'Not given'],
    ['only a line break', '\n', 'Not given'],
    ['null', null, 'Not given'],
    ['undefined', undefined, 'Not given'],
  ])('%s', (_name, text, expected) => {
    expect(textOrNotGiven(text)).toBe(expected);
  });
});
