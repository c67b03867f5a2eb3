import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openEngine } from '../../src/frame/engines.js';
import type { TrackFrame } from '../../src/frame/engine.js';
import { artistAverages } from '../../src/frame/explore.js';
import { hasReferenceEnv, referencePython, referenceScriptEnv } from '../support/reference-env.js';
import { DISCOGRAPHIES, repoRoot, sharedData } from '../support/shared-data.js';
import { temporaryDir } from '../support/cli.js';

let frame: TrackFrame;
before(async () => {
  frame = await openEngine('local').load({ inputs: [sharedData(DISCOGRAPHIES)], cacheDir: temporaryDir() });
});
after(() => frame.close());

test('artist averages match pandas to 1e-9', { skip: !hasReferenceEnv() && 'reference venv missing: run scripts/reference-env.sh' }, async () => {
  const script = join(repoRoot, 'reference', 'frame', 'artist_averages.py');
  const expected = JSON.parse(
    execFileSync(referencePython, [script, sharedData(DISCOGRAPHIES), 'cp1252'], { env: referenceScriptEnv(), maxBuffer: 16 * 1024 * 1024 }).toString(),
  ) as Record<string, Record<string, number>>;

  const averages = await artistAverages(frame, { limit: 1000 });
  assert.equal(averages.rows.length, Object.keys(expected).length);
  assert.equal(averages.omittedArtists, 0);
  for (const row of averages.rows) {
    const reference = expected[String(row.artist)];
    assert.ok(reference, `artist ${String(row.artist)} in the pandas result`);
    assert.equal(row.tracks, reference.tracks, `${String(row.artist)} tracks`);
    assert.ok(!('key' in row), 'key is not averaged');
    assert.ok(!('time_signature' in row), 'time_signature is not averaged');
    for (const [column, value] of Object.entries(reference)) {
      if (column === 'tracks' || column === 'key' || column === 'time_signature') continue;
      assert.ok(Math.abs(Number(row[column]) - value) <= 1e-9, `${String(row.artist)} ${column}: ${String(row[column])} vs ${value}`);
    }
  }
});
