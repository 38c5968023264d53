import { describe, expect, it } from 'vitest';
import { pathOnly } from './request-logging.js';

describe('pathOnly', () => {
  it.each([
    ['/schools/3/gaps?year=2024', '/schools/3/gaps'],
    ['/invitations/abcDEF123_-', '/invitations/:token'],
    ['/invitations/abcDEF123?x=1', '/invitations/:token'],
    ['/health', '/health'],
  ])('logs %s as %s', (url, expected) => {
    expect(pathOnly(url)).toBe(expected);
  });
});
