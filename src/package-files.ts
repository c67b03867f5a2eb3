/**
 * Finds the files grooviest ships beside its code (package.json, the
 * WebAssembly kernels, the kernel thread's module). The code runs either from
 * the compiled module tree (`dist/src`) or from the single-file bundle
 * (`dist/bundle`), so paths are taken from the package root, not from the
 * calling module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'grooviest';

let root: string | undefined;

/** Returns the folder of grooviest's package.json: the nearest package.json above this module whose name is grooviest. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`grooviest's package.json was not found above ${fileURLToPath(import.meta.url)}; reinstall grooviest`);
    dir = parent;
  }
}

/** Returns the path of a file of the compiled module tree, given relative to `dist/src`. */
export function compiledFile(relative: string): string {
  return join(packageRoot(), 'dist', 'src', relative);
}
