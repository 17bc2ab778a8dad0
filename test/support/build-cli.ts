/**
 * Vitest global setup: builds the CLI (`npm run build`) before any test runs, so tests that run
 * the real bin run the built JavaScript of the sources under test, never a stale dist/.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['bin/build.mjs'], { cwd: root, stdio: 'inherit' });
}
