/**
 * Writes measured results into BENCHMARKS.md: each benchmark owns a block
 * between `<!-- name -->` and `<!-- /name -->` markers inside the
 * "Spark ML pipeline" section, and replaces only that block.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/files/atomic-write.js';
import { repoRoot } from '../../test/support/shared-data.js';

const SECTION = '## Spark ML pipeline';

/** Replaces (or appends) the block `name` of the Spark ML pipeline section with `markdown`. */
export async function writeBenchmarkBlock(name: string, markdown: string): Promise<void> {
  const path = join(repoRoot, 'BENCHMARKS.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  if (!text.includes(SECTION)) text = `${text.trimEnd()}\n\n${SECTION}\n`;
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start) text = text.slice(0, start) + block + text.slice(end + close.length);
  else {
    // Append the block at the end of the Spark ML pipeline section.
    const sectionStart = text.indexOf(SECTION);
    const nextSection = text.indexOf('\n## ', sectionStart + SECTION.length);
    const insertAt = nextSection < 0 ? text.length : nextSection;
    text = `${text.slice(0, insertAt).trimEnd()}\n\n${block}\n${text.slice(insertAt)}`;
  }
  await writeFileAtomic(path, text.endsWith('\n') ? text : text + '\n');
}
