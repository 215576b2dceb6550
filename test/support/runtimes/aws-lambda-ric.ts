/**
 * AWS's own Node.js runtime interface client (npm `aws-lambda-ric`), built once per machine for
 * the integration test that runs it as a `provided.al2023` bootstrap. Its install script
 * compiles curl, aws-lambda-cpp and a node-gyp addon (about a minute or two), so the result is
 * cached in node_modules/.cache: gitignored, and gone with a clean clone or `npm ci`.
 *
 * The cache is lock-free: a build happens in a private temp directory, writes its marker file
 * last, and is renamed into place in one step, so a killed build never leaves a half cache and
 * two concurrent builds only waste time (the loser's rename fails and it uses the winner's).
 * https://github.com/aws/aws-lambda-nodejs-runtime-interface-client
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { ROOT } from '../server/nimbus.js';
import type { ZipEntry } from '../zip.js';

/** 3.3.0 is the newest release whose engines include Node 20. */
export const AWS_LAMBDA_RIC_VERSION = '3.3.0';
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', `nimbus-aws-lambda-ric-${AWS_LAMBDA_RIC_VERSION}`);
/** Written last: its presence means the directory holds a complete, verified build. */
const MARKER = '.nimbus-complete';
/** Relative to the install directory. */
export const AWS_LAMBDA_RIC_PACKAGE = join('node_modules', 'aws-lambda-ric');
/** The compiled addon; postinstall copies it from build/Release and then deletes build/. */
const ADDON = join(AWS_LAMBDA_RIC_PACKAGE, 'dist', 'rapid-client.node');

let pending: Promise<string> | undefined;

/** A directory containing `node_modules/aws-lambda-ric`, with its native addon built. */
export function ensureAwsLambdaRic(): Promise<string> {
  pending ??= ensure().catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function ensure(): Promise<string> {
  if (existsSync(join(CACHE_DIR, MARKER))) return CACHE_DIR;
  removeAbandonedBuilds();
  const tmp = `${CACHE_DIR}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    if (!publish(tmp)) log('another process finished the build first; using its result');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return CACHE_DIR;
}

/** Renames the finished build into place; false when a complete cache got there first. */
function publish(tmp: string): boolean {
  try {
    renameSync(tmp, CACHE_DIR);
    return true;
  } catch (err) {
    if (existsSync(join(CACHE_DIR, MARKER))) return false;
    if (!existsSync(CACHE_DIR)) throw err;
    // A directory without the marker never becomes complete in place (builds arrive whole,
    // by rename), so it is debris, e.g. from an older layout: move it aside and retry.
    const stale = `${CACHE_DIR}.stale-${process.pid}-${Date.now()}`;
    renameSync(CACHE_DIR, stale);
    rmSync(stale, { recursive: true, force: true });
    renameSync(tmp, CACHE_DIR);
    return true;
  }
}

/** Deletes temp dirs of builds whose process is gone (killed mid-build); each is ~150 MB. */
function removeAbandonedBuilds(): void {
  const parent = dirname(CACHE_DIR);
  if (!existsSync(parent)) return;
  const prefix = `${basename(CACHE_DIR)}.`;
  for (const name of readdirSync(parent)) {
    const m = name.startsWith(prefix) ? /^(?:tmp|stale)-(\d+)-/.exec(name.slice(prefix.length)) : null;
    if (m && !alive(Number(m[1]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function build(dir: string): Promise<void> {
  // npm 11 skips dependency install scripts unless package.json's allowScripts approves them;
  // the ric's preinstall (curl, aws-lambda-cpp) and postinstall (node-gyp) are the whole build.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: 'nimbus-aws-lambda-ric-cache', version: '0.0.0', private: true, allowScripts: { 'aws-lambda-ric': true } },
      null,
      2,
    ),
  );
  const logFile = join(dir, 'build.log');
  log(`building aws-lambda-ric@${AWS_LAMBDA_RIC_VERSION} into ${relative(ROOT, CACHE_DIR)} (once per machine, about 1-2 minutes)`);
  const started = Date.now();
  const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--foreground-scripts', '--prefix', dir, `aws-lambda-ric@${AWS_LAMBDA_RIC_VERSION}`];
  const code = await run('npm', args, dir, logFile, started);
  if (code !== 0) throw new Error(`npm ${args.join(' ')} exited with ${code}:\n${tail(logFile)}`);
  if (!existsSync(join(dir, ADDON))) {
    throw new Error(`aws-lambda-ric installed but its native addon ${ADDON} was not built (install scripts skipped?):\n${tail(logFile)}`);
  }
  // Prove the addon links against this Node before the build is accepted. Loading it reads
  // AWS_LAMBDA_RUNTIME_API (aws-lambda-cpp aborts on a missing one) but does not connect.
  const load = `require(${JSON.stringify(join(dir, ADDON))})`;
  const loads = await run(process.execPath, ['-e', load], dir, logFile, started, { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' });
  if (loads !== 0) throw new Error(`${ADDON} was built but does not load:\n${tail(logFile)}`);
  writeFileSync(join(dir, MARKER), `aws-lambda-ric@${AWS_LAMBDA_RIC_VERSION} built ${new Date().toISOString()}\n`);
  log(`built aws-lambda-ric in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs a command with its output appended to `logFile`, reporting progress to stderr. */
function run(command: string, args: string[], cwd: string, logFile: string, started: number, extraEnv: Record<string, string> = {}): Promise<number | null> {
  // Without npm's own variables: under `npm test` they name this repository's prefix and
  // config, which must not steer the nested install back into the project.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), ...extraEnv };
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const timer = setInterval(() => log(`still building (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearInterval(timer);
      out.end();
      reject(err);
    });
    child.once('close', (code) => {
      clearInterval(timer);
      out.end(() => resolve(code));
    });
  });
}

function tail(file: string, lines = 60): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no build log)';
  }
}

function log(message: string): void {
  process.stderr.write(`[aws-lambda-ric] ${message}\n`);
}

/**
 * What the ric needs at run time, as zip entries under node_modules/aws-lambda-ric: its
 * package.json, bin/ and dist/ (the esbuild bundle and the addon). Its dependencies
 * (node-gyp, node-addon-api) and the vendored curl/aws-lambda-cpp sources are build-only.
 */
export function awsLambdaRicRuntimeEntries(installDir: string): ZipEntry[] {
  const pkg = join(installDir, AWS_LAMBDA_RIC_PACKAGE);
  const files = ['package.json', 'LICENSE', 'NOTICE', ...walk(pkg, 'bin'), ...walk(pkg, 'dist')];
  return files.map((file) => {
    const path = join(pkg, file);
    return { name: `node_modules/aws-lambda-ric/${file}`, content: readFileSync(path), mode: statSync(path).mode & 0o777 };
  });
}

function walk(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? walk(root, rel) : [rel];
  });
}
