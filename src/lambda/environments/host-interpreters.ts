/**
 * Finds the interpreters our runtimes run on, once at start-up. Functions get a clean
 * environment, so these must be absolute paths (a pyenv shim, for one, needs variables the
 * function will not have: resolve it to the real executable).
 */
import { execFileSync } from 'node:child_process';
import type { HostInterpreters } from '../../runtimes/catalogue.js';

/** The interpreters, `python` being the command the setting names (NIMBUS_PYTHON, default `python3` on PATH). */
export function findHostInterpreters(python: string): HostInterpreters {
  return { node: process.execPath, python3: findPython(python) };
}

function findPython(candidate: string): string {
  try {
    return execFileSync(candidate, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    // Python functions will fail with Runtime.InvalidEntrypoint; the server still serves Node.js.
    return '/usr/bin/python3';
  }
}
