/**
 * The esbuild options serverless.yml bundles the functions with (`custom.esbuild`), for the benches
 * that measure code as it ships: the cold-start bench and the throughput bench.
 */
import type { BuildOptions } from 'esbuild';

export const SHIPPED_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: false,
  banner: {
    js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;
