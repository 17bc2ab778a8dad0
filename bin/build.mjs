#!/usr/bin/env node
/**
 * Builds the command line into dist/ (`npm run build`; `npm ci` runs it through `prepare`).
 *
 * One ES module per command (code splitting on the dynamic imports in cli/main.ts), so a command
 * loads only what it runs and `--help` loads no AWS SDK client. Dependencies stay external: they
 * load from node_modules as they are, which keeps the build small and the stack traces readable.
 * Plain JavaScript on purpose: it runs before anything else is installed or compiled.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
