import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; playwright-core does not download a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches headless Chromium with a fresh temporary profile and with the background
 * services that would otherwise reach the internet (updates, sync, QUIC probes) switched off.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
