import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { pathOnly, requestLoggingOptions } from './request-logging.js';

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

describe('requestLoggingOptions', () => {
  it.each([
    ['on', '203.0.113.9'],
    ['off', '127.0.0.1'],
  ] as const)('with TRUST_PROXY %s sees %s', async (trustProxy, expected) => {
    const app = Fastify(requestLoggingOptions({ LOG_LEVEL: 'silent', TRUST_PROXY: trustProxy }));
    app.get('/ip', async (request) => request.ip);

    const response = await app.inject({
      method: 'GET',
      url: '/ip',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });

    expect(response.body).toBe(expected);
    await app.close();
  });
});
