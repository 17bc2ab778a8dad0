#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`, which `npm ci` runs through `prepare`).
// Without a build (sources edited and never built, or an install with --ignore-scripts) it falls
// back to the TypeScript sources through tsx, a dev dependency, and says how to build.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const load = async () => {
  try {
    return await import('../dist/cli.mjs');
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.mjs'))
      throw error;
    process.stderr.write(
      'cognito-sentinel: not built (dist/cli.mjs is missing); running from the sources. Run `npm run build` to start fast.\n',
    );
    const { register } = await import('tsx/esm/api');
    register();
    return import('../cli/main.ts');
  }
};

// A reader that stops early (`scan-logs ... | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error) => {
    if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
