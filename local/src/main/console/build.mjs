// Builds the console's UI for the local module, called by Maven (exec-maven-plugin) as
//   node build.mjs <outDir> <workDir>
// Installs the pinned packages (package.json, package-lock.json) with `npm ci` into <workDir> (under target/,
// never the source tree; again only when the lock file changed), then bundles src/ with esbuild into
// <outDir>: index.html, app.js, app.css, favicon.svg, which ConsoleServer serves from the classpath.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [outDir, workDir] = process.argv.slice(2).map((p) => resolve(p));
if (!outDir || !workDir) {
  console.error('usage: node build.mjs <outDir> <workDir>');
  process.exit(2);
}

mkdirSync(workDir, { recursive: true });
for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(here, file), join(workDir, file));
const lock = createHash('sha256').update(readFileSync(join(here, 'package-lock.json'))).digest('hex');
const stamp = join(workDir, 'node_modules', '.console-lock-sha256');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: workDir, stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error(`npm ci failed in ${workDir} (status ${npm.status}${npm.error ? `, ${npm.error.message}` : ''})`);
    process.exit(1);
  }
  writeFileSync(stamp, lock);
}

const esbuild = createRequire(join(workDir, 'package.json'))('esbuild');
mkdirSync(outDir, { recursive: true });
await esbuild.build({
  entryPoints: { app: join(here, 'src', 'main.jsx') },
  outdir: outDir,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  nodePaths: [join(workDir, 'node_modules')],
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css', 'favicon.svg']) copyFileSync(join(here, 'src', file), join(outDir, file));
console.log(`console UI built into ${outDir}`);
