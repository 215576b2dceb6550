/**
 * Which stem cells (decision 9) can become the environment a launch asks for, as a pure
 * function of the launch. A cell is started before its function is known, so everything that
 * shapes an interpreter's start-up must already be what the function would have started with:
 * the command (the runtime's stem shim in place of its bootstrap), the variables read at
 * start-up (`NODE_OPTIONS`, `PYTHON*`, `LD_*`, the locale …), the working directory and /tmp's
 * size (fixed when the tmpfs is mounted). Those make the family's key; launches with the same
 * key share cells, and a function that sets, say, `NODE_OPTIONS` simply forms its own family.
 * The variables the shims apply after release (`NODE_PATH`, `PYTHONPATH`) and everything else
 * of the function travel in the release message.
 */
import type { LaunchSpec } from '../launcher.js';

/** What starts every cell of one family. */
export interface StemCellFamily {
  key: string;
  argv: string[];
  /** The start-up variables only: a cell carries nothing of any function. */
  env: Record<string, string>;
  cwd: string;
  tmpMb: number;
  runtimeDir: string;
}

/** Variables an interpreter or the C library reads once, while starting. */
const STARTUP_PREFIXES = ['NODE_', 'PYTHON', 'LD_', 'UV_', 'MALLOC_', 'GLIBC_', 'OPENSSL_', 'LC_'];
const STARTUP_NAMES = new Set(['PATH', 'LANG', 'LANGUAGE', 'TZ', 'HOME', 'TMPDIR']);
/** Read again by the shims once released, so they may differ between a family's functions. */
const APPLIED_AT_RELEASE = new Set(['NODE_PATH', 'PYTHONPATH']);

export function isStartupVariable(name: string): boolean {
  if (APPLIED_AT_RELEASE.has(name)) return false;
  return STARTUP_NAMES.has(name) || STARTUP_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * The family a launch's environment can come from, or undefined when no cell can serve it: the
 * runtime has no stem shim (a custom runtime runs the zip's own executable). A function's layers
 * come as one merged directory, linked into the cell's /opt like its code into /var/task; their
 * paths in PATH and LD_LIBRARY_PATH put functions with layers in a family of their own.
 */
export function stemCellFamilyOf(spec: LaunchSpec): StemCellFamily | undefined {
  if (!spec.stemArgv || spec.stemArgv.length === 0 || spec.mounts.layerDirs.length > 1) return undefined;
  const env: Record<string, string> = {};
  for (const name of Object.keys(spec.env).sort()) if (isStartupVariable(name)) env[name] = spec.env[name]!;
  const family = { argv: spec.stemArgv, env, cwd: spec.cwd, tmpMb: spec.limits.tmpMb, runtimeDir: spec.mounts.runtimeDir };
  return { key: JSON.stringify(family), ...family };
}
