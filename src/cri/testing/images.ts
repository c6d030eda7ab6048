// The built test images (scripts/build-images.sh → build/images/), built on
// demand when a test runs from a checkout that has not run setup yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../agent/run-command.js';
import { IMAGE_ARCHIVES } from '../../agent/images/names.js';
import { BUILT_IMAGES_DIR, PACKAGE_ROOT } from '../../agent/images/builtin.js';

export { BUILT_IMAGES_DIR };

let building: Promise<string> | undefined;

/** Returns build/images, running scripts/build-images.sh first if an archive is missing. */
export function ensureBuiltImages(): Promise<string> {
  const missing = Object.values(IMAGE_ARCHIVES).some((f) => !existsSync(join(BUILT_IMAGES_DIR, f)));
  if (!missing) return Promise.resolve(BUILT_IMAGES_DIR);
  building ??= runCommand('bash', [join(PACKAGE_ROOT, 'scripts', 'build-images.sh')], { timeoutMs: 300_000 }).then(() => BUILT_IMAGES_DIR);
  return building;
}
