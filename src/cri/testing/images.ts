// The built test images (scripts/build-images.sh → build/images/), built on
// demand when a test runs from a checkout that has not run setup yet.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../agent/run-command.js';
import { IMAGE_ARCHIVES } from '../../agent/images/names.js';

/** Repository root (this file runs from dist/src/cri/testing/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const BUILT_IMAGES_DIR = join(REPO_ROOT, 'build', 'images');

let building: Promise<string> | undefined;

/** Returns build/images, running scripts/build-images.sh first if an archive is missing. */
export function ensureBuiltImages(): Promise<string> {
  const missing = Object.values(IMAGE_ARCHIVES).some((f) => !existsSync(join(BUILT_IMAGES_DIR, f)));
  if (!missing) return Promise.resolve(BUILT_IMAGES_DIR);
  building ??= runCommand('bash', [join(REPO_ROOT, 'scripts', 'build-images.sh')], { timeoutMs: 300_000 }).then(() => BUILT_IMAGES_DIR);
  return building;
}
