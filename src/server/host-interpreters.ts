/**
 * Finds the interpreters our runtimes run on, once at start-up. Functions get a clean
 * environment, so these must be absolute paths (a pyenv shim, for one, needs variables the
 * function will not have: resolve it to the real executable).
 */
import { execFileSync } from 'node:child_process';
import type { HostInterpreters } from '../runtimes/catalogue.js';

export function findHostInterpreters(env: NodeJS.ProcessEnv = process.env): HostInterpreters {
  return { node: process.execPath, python3: findPython(env) };
}

function findPython(env: NodeJS.ProcessEnv): string {
  const candidate = env.NIMBUS_PYTHON ?? 'python3';
  try {
    return execFileSync(candidate, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', env }).trim();
  } catch {
    // Python functions will fail with Runtime.InvalidEntrypoint; the server still serves Node.js.
    return '/usr/bin/python3';
  }
}
