import { describe, expect, it } from 'vitest';
import { createUserWithRole } from '../../../test/helpers/sign-in.js';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp } from '../../../test/helpers/start-app.js';
import { cookieIsSecure, isLoopbackHost, loadConfig } from '../config.js';
import { createSchool } from '../organisations/organisation-store.js';
import { SESSION_COOKIE } from './session-plugin.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.20.30', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['commissioner.example', false],
    ['127.0.0.1.example', false],
  ])('%s is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('cookieIsSecure', () => {
  it.each([
    ['auto', '127.0.0.1', false],
    ['auto', '0.0.0.0', true],
    ['on', '127.0.0.1', true],
    ['off', '0.0.0.0', false],
  ] as const)('%s on %s is %s', (setting, host, expected) => {
    expect(cookieIsSecure({ COOKIE_SECURE: setting, HOST: host })).toBe(expected);
  });
});

describe('session configuration', () => {
  it('has defaults', () => {
    const config = loadConfig({});

    expect(config.COOKIE_SECURE).toBe('auto');
    expect(config.SESSION_IDLE_MINUTES).toBe(60);
    expect(config.SESSION_MAX_HOURS).toBe(12);
  });

  it.each([
    [{ COOKIE_SECURE: 'yes' }, 'COOKIE_SECURE'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES'],
    [{ SESSION_MAX_HOURS: 'twelve' }, 'SESSION_MAX_HOURS'],
  ])('rejects %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(variable);
  });
});

describe('session cookie', () => {
  it('is Secure when COOKIE_SECURE is on', async () => {
    const testApp = await startApp({ env: { COOKIE_SECURE: 'on' } });
    try {
      const school = await createSchool(testApp.database.db, {
        laestab: '8014001',
        name: 'Brookfield Academy',
      });
      await createUserWithRole(testApp.database.db, {
        email: 'jo@brookfield.example',
        password: 'lantern orbit pebble',
        organisationId: school.id,
        role: 'staff',
      });
      const csrf = await fetchCsrf(testApp.app, '/sign-in');

      const response = await testApp.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: csrf.cookie },
        payload: {
          _csrf: csrf.token,
          email: 'jo@brookfield.example',
          password: 'lantern orbit pebble',
        },
      });

      const header = [response.headers['set-cookie']]
        .flat()
        .find((value) => value?.startsWith(`${SESSION_COOKIE}=`));
      expect(response.statusCode).toBe(303);
      expect(header).toMatch(/; Secure/);
      expect(header).toMatch(/; HttpOnly/);
    } finally {
      await testApp.close();
    }
  });

  it('is not read for static files', async () => {
    const testApp = await startApp();
    try {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/favicon.ico',
        headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` },
      });
      const page = await testApp.app.inject({
        method: 'GET',
        url: '/no/such/page',
        headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` },
      });

      expect(response.headers['set-cookie']).toBeUndefined();
      expect(String(page.headers['set-cookie'])).toContain(`${SESSION_COOKIE}=;`);
    } finally {
      await testApp.close();
    }
  });
});
