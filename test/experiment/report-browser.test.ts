import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { RunSummary } from '../../src/experiment/summary.js';
import { hasChromium, NO_CHROMIUM, withBrowser } from '../support/browser.js';
import { runCli, temporaryDir } from '../support/cli.js';
import { DISCOGRAPHIES, repoRoot, sharedData } from '../support/shared-data.js';

const skip = !hasChromium() && NO_CHROMIUM;
const screenshots = join(repoRoot, 'test-output', 'report');
let summary: RunSummary;

before(async () => {
  const cwd = temporaryDir();
  const result = await runCli(['run', '-i', sharedData(DISCOGRAPHIES), '--out-dir', join(cwd, 'out'), '--no-covers', '--json', '--quiet'], { cwd, timeoutMs: 300_000 });
  assert.equal(result.code, 0, result.stderr);
  summary = JSON.parse(result.stdout) as RunSummary;
});

test('report renders every chart without errors', { skip }, async () => {
  const charts = readdirSync(join(summary.outputs.dir, 'charts')).filter((name) => name.endsWith('.vl.json')).map((name) => name.replace('.vl.json', ''));
  await withBrowser(async (context) => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    await page.goto(`file://${summary.outputs.report}`);

    assert.deepEqual(problems, []);
    for (const chart of charts) {
      const box = await page.locator(`#chart-${chart} svg`).boundingBox();
      assert.ok(box, `chart ${chart} is drawn`);
      assert.ok(box.width > 100, `chart ${chart} width ${box.width}`);
      assert.ok(box.height > 100, `chart ${chart} height ${box.height}`);
    }
    assert.equal(await page.locator('img').count(), await page.locator('img[src^="data:"]').count(), 'every image is embedded');

    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'report-full.png'), fullPage: true });
    for (const chart of charts) await page.locator(`#chart-${chart}`).screenshot({ path: join(screenshots, `${chart}.png`) });
  }, { width: 1200, height: 900 });
});
