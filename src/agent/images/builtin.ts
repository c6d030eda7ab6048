// Where the images built by scripts/build-images.sh live: build/images/ at
// the package root (this file runs from dist/src/agent/images/).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const BUILT_IMAGES_DIR = join(PACKAGE_ROOT, 'build', 'images');
