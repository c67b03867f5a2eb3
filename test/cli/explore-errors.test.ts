import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, temporaryDir } from '../support/cli.js';

const HEADER = 'id,name,artist,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms';
const ROW = (id: string, artist = 'Yes', danceability = '0.5') => `${id},Song ${id},${artist},${danceability},0.6,5,-7.5,1,0.04,0.2,0.01,0.1,0.5,120.5,200000`;

function file(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Asserts a one-line error with exit code 2 and no stack trace. */
function assertUsageError(result: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('error:'));
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.equal(result.stdout, '');
}

describe('explore bad input', () => {
  const dir = temporaryDir();

  test('missing file', async () => {
    assertUsageError(await runCli(['explore', '-i', join(dir, 'nope.csv')]), /input not found: .*nope\.csv/);
  });

  test('unreadable file', { skip: process.getuid?.() === 0 && 'root reads files without read permission' }, async () => {
    const path = file(dir, 'locked.csv', `${HEADER}\n${ROW('a')}\n`);
    chmodSync(path, 0o000);
    assertUsageError(await runCli(['explore', '-i', path]), /cannot read locked\.csv/);
  });

  test('corrupt gzip file', async () => {
    assertUsageError(await runCli(['explore', '-i', file(dir, 'broken.csv.gz', 'not gzip at all')]), /cannot read .*broken\.csv\.gz .*valid gzip/);
  });

  test('empty named file', async () => {
    assertUsageError(await runCli(['explore', '-i', file(dir, 'empty.csv', '')]), /empty\.csv is empty/);
  });

  test('file holding only two quotes', async () => {
    assertUsageError(await runCli(['explore', '-i', file(dir, 'quotes.csv', '""\n')]), /quotes\.csv is empty/);
  });

  test('header without rows', async () => {
    assertUsageError(await runCli(['explore', '-i', file(dir, 'header.csv', `${HEADER}\n`)]), /header\.csv has a header but no rows/);
  });

  test('unquoted comma names the shifted row', async () => {
    // Row 2's name contains a comma, so its values shift one column to the right.
    const shifted = ROW('b').replace('Song b', 'Song b, Part 2');
    const path = file(dir, 'comma.csv', `${HEADER}\n${ROW('a')}\n${shifted}\n${ROW('c')}\n`);
    assertUsageError(await runCli(['explore', '-i', path]), /comma\.csv: row 2 \(line 3\) has 16 fields where the header has 15, .*unquoted ","/);
  });

  test('non-numeric feature cell names file, row and column', async () => {
    const path = file(dir, 'text.csv', `${HEADER}\n${ROW('a')}\n${ROW('b', 'Yes', 'high')}\n${ROW('c', 'Yes', 'low')}\n`);
    assertUsageError(await runCli(['explore', '-i', path]), /text\.csv: row 2 \(line 3\), column "danceability": invalid value "high" .*1 more invalid/);
  });

  test('duplicated column', async () => {
    const path = file(dir, 'dup.csv', `${HEADER},energy\n${ROW('a')},0.3\n`);
    assertUsageError(await runCli(['explore', '-i', path]), /duplicated column "energy"/);
  });

  test('glob matching nothing', async () => {
    assertUsageError(await runCli(['explore', '-i', join(dir, 'none-*.csv')]), /no input files match/);
  });

  test('unknown layout lists columns and the fix', async () => {
    const path = file(dir, 'other.csv', 'Title,Performer,Danceability\nx,y,0.5\n');
    assertUsageError(await runCli(['explore', '-i', path]), /unknown layout in other\.csv: .*Columns found: Title, Performer, Danceability.*--column/);
  });

  test('unknown artist suggests names', async () => {
    const path = file(dir, 'ok.csv', `${HEADER}\n${ROW('a', 'King Crimson')}\n${ROW('b', 'Camel')}\n`);
    assertUsageError(await runCli(['explore', '-i', path, '--artist', 'King Krimson']), /unknown artist "King Krimson"; did you mean "King Crimson"/);
  });

  test('invalid format exits 2', async () => {
    const path = file(dir, 'fmt.csv', `${HEADER}\n${ROW('a')}\n`);
    assertUsageError(await runCli(['explore', '-i', path, '--format', 'xml']), /invalid --format "xml"/);
  });

  test('empty SQL', async () => {
    const path = file(dir, 'sql.csv', `${HEADER}\n${ROW('a')}\n`);
    assertUsageError(await runCli(['query', '', '-i', path]), /empty SQL/);
  });

  test('out file equal to the input', async () => {
    const path = file(dir, 'same.csv', `${HEADER}\n${ROW('a')}\n`);
    assertUsageError(await runCli(['query', 'SELECT * FROM tracks', '-i', path, '--out', path]), /is also an --input/);
  });

  test('binary file named csv', async () => {
    assertUsageError(await runCli(['explore', '-i', file(dir, 'binary.csv', '\u0000\u0001\u0002abc')]), /is not a text CSV file/);
  });

  test('unquoted glob expanded by the shell', async () => {
    const a = file(dir, 'glob-a.csv', `${HEADER}\n${ROW('a')}\n`);
    const b = file(dir, 'glob-b.csv', `${HEADER}\n${ROW('b')}\n`);
    const result = await runCli(['explore', '-i', a, b, '--view', 'summary', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as Record<string, unknown>).rows, 2);
  });

  test('debug shows the stack trace', async () => {
    const result = await runCli(['explore', '-i', join(dir, 'nope.csv'), '--debug']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\n\s+at /);
  });
});

describe('explore warnings', () => {
  const dir = temporaryDir();

  test('out-of-range values warn once with a count and an example', async () => {
    const path = file(dir, 'range.csv', `${HEADER}\n${ROW('a', 'Yes', '1.5')}\n${ROW('b', 'Yes', '2')}\n${ROW('c')}\n`);
    const result = await runCli(['explore', '-i', path, '--view', 'summary']);
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /2 values of danceability outside 0\.\.1, e\.g\. 1\.5 for "Song a" by Yes/);
  });

  test('empty files in a folder are skipped with a warning', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    file(folder, 'a.csv', `${HEADER}\n${ROW('a')}\n`);
    file(folder, 'b.csv', '""\n');
    file(folder, 'c.csv', `${HEADER}\n`);
    const result = await runCli(['explore', '-i', folder, '--view', 'summary', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: skipped 2 empty files \(no rows\): b\.csv, c\.csv/);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(summary.rows, 1);
  });

  test('columns of several files align by name', async () => {
    const folder = join(dir, 'aligned');
    mkdirSync(folder);
    file(folder, 'a.csv', `${HEADER},extra_a\n${ROW('a')},1\n`);
    const reordered = HEADER.split(',').reverse().join(',');
    file(folder, 'b.csv', `${reordered}\n${ROW('b', 'Camel').split(',').reverse().join(',')}\n`);
    const result = await runCli(['query', 'SELECT id, artist, tempo, extra_a FROM tracks ORDER BY id', '-i', folder, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [
      { id: 'a', artist: 'Yes', tempo: 120.5, extra_a: 1 },
      { id: 'b', artist: 'Camel', tempo: 120.5, extra_a: null },
    ]);
  });
});
