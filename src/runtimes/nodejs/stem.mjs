// @ts-check
/**
 * The stem-cell shim (decision 9): started in a sandbox before any function is known, as
 * `node stem.mjs`, with only the variables that shape Node.js's own start-up. It loads what the
 * runtime client needs, then blocks on stdin for one release message from the server:
 *   {"argv": [...], "env": {...}, "cwd": "/var/task"}
 * It becomes that environment — the function's complete variables, `NODE_PATH` applied again —
 * and imports the ordinary bootstrap, which runs as if it had been started directly.
 * End of input without a message (the server went away) ends the process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Loaded now, while nothing waits: the bootstrap's imports then come from the module cache.
// None of them reads the environment when loaded.
await Promise.all([
  import('node:http'),
  import('./console-log.mjs'),
  import('./errors.mjs'),
  import('./handler-loader.mjs'),
  import('./response-stream.mjs'),
  import('./runtime-api-client.mjs'),
]);

// The CommonJS loader, which the function's handler and NODE_PATH need, is made on first use:
// about 5 ms, spent here rather than after the release.
/** @type {any} */
const { Module } = createRequire(import.meta.url)('node:module');

const text = readFileSync(0, 'utf8');
if (text.length === 0) process.exit(0);
/** @type {{ argv: string[], env: Record<string, string>, cwd: string }} */
const release = JSON.parse(text);

// Only what differs is touched: setting TZ, even to its own value, makes V8 and ICU reload the
// time zone (milliseconds), and the start-up variables are already the function's.
for (const key of Object.keys(process.env)) if (!(key in release.env)) delete process.env[key];
for (const [key, value] of Object.entries(release.env)) if (process.env[key] !== value) process.env[key] = value;
process.chdir(release.cwd);
process.argv = [process.execPath, ...release.argv.slice(1)];
// NODE_PATH is read once at start-up; read it again for the function's module search.
Module._initPaths();

const bootstrap = release.argv[release.argv.length - 1];
if (!bootstrap) throw new Error('stem cell: the release message names no bootstrap');
await import(bootstrap);
