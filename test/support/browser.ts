/**
 * Debian's Chromium driven by playwright-core for screenshot tests: headless,
 * without sandbox, GPU or background networking, in a fresh profile. Tests
 * skip with a counted message when Chromium is not installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Path of Debian's Chromium, installed by scripts/install-chromium.sh. */
export const chromiumPath = process.env.GROOVIEST_CHROMIUM ?? '/usr/bin/chromium';

/** Message of tests skipped for lack of a browser. */
export const NO_CHROMIUM = `Chromium not found at ${chromiumPath} (run scripts/install-chromium.sh)`;

/** Returns true when Chromium is installed. */
export function hasChromium(): boolean {
  return existsSync(chromiumPath);
}

/** Runs `fn` with a browser context in a fresh profile and closes both afterwards. */
export async function withBrowser<T>(fn: (context: BrowserContext) => Promise<T>, viewport = { width: 1600, height: 900 }): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'grooviest-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
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
  try {
    return await fn(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
