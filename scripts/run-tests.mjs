#!/usr/bin/env node
// Runs every compiled test file under dist/test with Node's test runner and
// ends with one plain "N passed, N failed, N skipped" line.
// Usage: node scripts/run-tests.mjs [substring filter ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const root = new URL('../dist/test/', import.meta.url).pathname;
const filters = process.argv.slice(2);

function listTestFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listTestFiles(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files;
}

const files = listTestFiles(root).filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);

let passed = 0;
let failed = 0;
let skipped = 0;
const stream = run({ files, concurrency: 1, timeout: 30 * 60 * 1000 });
stream.on('test:pass', (event) => {
  if (event.details.type === 'suite') return;
  if (event.skip || event.todo) skipped += 1;
  else passed += 1;
});
stream.on('test:fail', (event) => {
  if (event.details.type === 'suite') return;
  failed += 1;
});
const reporter = stream.compose(spec);
reporter.pipe(process.stdout);
reporter.on('end', () => {
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
