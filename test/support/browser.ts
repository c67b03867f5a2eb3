/**
 * Headless Debian Chromium driven by playwright-core, for tests that look at
 * pages as a user would. Tests skip with a visible reason when Chromium is
 * not installed (scripts/install-chromium.sh installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Path of Debian's Chromium. */
export const CHROMIUM_PATH = process.env.GROOVIEST_CHROMIUM ?? '/usr/bin/chromium';

/** The reason browser tests are skipped, or false when Chromium is available. */
export function browserSkipReason(): string | false {
  return existsSync(CHROMIUM_PATH) ? false : `Chromium not found at ${CHROMIUM_PATH} (run scripts/install-chromium.sh)`;
}

/** Launches headless Chromium with the flags this sandbox needs (no sandbox, no background networking); playwright gives each launch a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
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
