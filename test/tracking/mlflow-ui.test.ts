/**
 * The MLflow UI as a user sees it: a grooviest parent run with its child runs
 * (one per trial) in the runs table of a real MLflow server. The screenshot is
 * saved to test-output/mlflow-ui-runs.png; docs/images/mlflow-ui-runs.png is a
 * copy of it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TrackingClient } from '../../src/tracking/client.js';
import { hasChromium, NO_CHROMIUM, withBrowser } from '../support/browser.js';
import { hasMlflow, startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { experimentId } from '../support/mlflow-rest.js';
import { repoRoot } from '../support/shared-data.js';

const outputDir = join(repoRoot, 'test-output');

describe('MLflow UI', () => {
  let server: MlflowServer | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grooviest-ui-'));
    if (hasMlflow() && hasChromium()) server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('mlflow ui: parent run with child runs', async (t) => {
    if (!hasChromium()) return t.skip(NO_CHROMIUM);
    if (!server) return t.skip('MLflow server unavailable: .venv-reference/bin/mlflow missing (run scripts/reference-env.sh)');

    // A search over k as the run command records it: one parent run, one child run per trial.
    const client = TrackingClient.open({ trackingDir: join(dir, '.grooviest'), trackingUri: server.url, experimentName: 'grooviest-kmeans' });
    const parent = await client.startRun({ runName: 'k_means' });
    const trials = [
      { k: 3, silhouette: 0.2714 },
      { k: 11, silhouette: 0.1392 },
      { k: 7, silhouette: 0.1688 },
      { k: 4, silhouette: 0.2231 },
    ];
    for (const [index, trial] of trials.entries()) {
      await client.withRun({ runName: `trial-${index}`, parent, tags: { 'hyperopt.trial': String(index) } }, async (run) => {
        await run.logParam('k', trial.k);
        await run.logMetrics({ loss: -trial.silhouette, silhouette: trial.silhouette });
      });
    }
    await parent.logParams({ k_value: 3, max_evals: trials.length, algo: 'tpe.suggest' });
    await parent.logMetric('silhouette', 0.2714);
    await parent.end();
    await client.close();

    const id = await experimentId(server.url, 'grooviest-kmeans');
    mkdirSync(outputDir, { recursive: true });
    const path = join(outputDir, 'mlflow-ui-runs.png');
    const seen = await withBrowser(async (context) => {
      const page = await context.newPage();
      // The UI polls the server, so the network may never go idle: wait for the runs table instead.
      await page.goto(`${server!.url}/#/experiments/${id}/runs`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await page.getByText('k_means', { exact: true }).first().waitFor({ timeout: 120_000 });
      // The assistant panel of MLflow 3.x covers the right of the table; close it when it is open.
      const closeAssistant = page.locator('button[data-component-id="mlflow.assistant.chat_panel.close"]');
      if (await closeAssistant.count()) await closeAssistant.first().click();

      // Child runs are folded under their parent until the "+" button of its run name cell is clicked.
      await page.locator('button[data-component-id*="runnamecellrenderer"]').first().click();
      await page.getByText('trial-0', { exact: true }).first().waitFor({ timeout: 60_000 });

      // Show every metric and param column, as a user comparing trials would.
      await page.locator('button[data-testid="column-selection-dropdown"]').first().click();
      await page.getByText(/^Metrics \(\d+\)$/).first().click();
      await page.getByText(/^Parameters \(\d+\)$/).first().click();
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
      await page.screenshot({ path });
      return page.locator('body').innerText();
    }, { width: 1920, height: 640 });

    assert.match(seen, /k_means/);
    assert.match(seen, /silhouette/);
    for (const [index] of trials.entries()) assert.match(seen, new RegExp(`trial-${index}`));
    assert.ok(statSync(path).size > 10_000);
  });
});
