/**
 * Security suites (sandbox, escapes, egress) never skip silently. A host that cannot run one
 * says why (the probe's reason): on CI (`CI=true` or `CI=1`, as `.ci/run` sets) the suite then
 * FAILS with that reason, since a green run that never tried isolation proves nothing; on a
 * developer's machine it is skipped, with the reason in the skipped title and on stderr.
 */
import { describe, it } from 'vitest';

/** What to do with a suite or test, given why it cannot run here (undefined: it can). */
export type SecurityGate = { mode: 'run'; title: string } | { mode: 'fail' | 'skip'; title: string; reason: string };

/** Whether this run is CI's, by the variable CI services and `.ci/run` set. */
export function onCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(true|1)$/i.test(env.CI ?? '');
}

/** Decides run, fail (on CI) or skip (elsewhere) for `name`; pure, for its own test. */
export function securityGate(name: string, whyNot: string | undefined, ci: boolean): SecurityGate {
  if (whyNot === undefined) return { mode: 'run', title: name };
  if (ci) return { mode: 'fail', title: name, reason: `cannot run on this CI host: ${whyNot}` };
  return { mode: 'skip', title: `${name} [skipped: ${whyNot}]`, reason: whyNot };
}

/** `describe(name, fn)` where the host can run it; else a failing test on CI, a titled skip elsewhere. */
export function securitySuite(name: string, whyNot: string | undefined, fn: () => void): void {
  const gate = securityGate(name, whyNot, onCi());
  if (gate.mode === 'run') return void describe(name, fn);
  if (gate.mode === 'fail') return void describe(name, () => it('runs on this host', () => fail(gate.reason)));
  warn(name, gate.reason);
  describe.skip(gate.title, fn);
}

/** `it(name, fn, timeout)` where the host can run it; else a failing test on CI, a titled skip elsewhere. */
export function securityTest(name: string, whyNot: string | undefined, fn: () => Promise<void> | void, timeout?: number): void {
  const gate = securityGate(name, whyNot, onCi());
  if (gate.mode === 'run') return void it(name, fn, timeout);
  if (gate.mode === 'fail') return void it(name, () => fail(gate.reason));
  warn(name, gate.reason);
  it.skip(gate.title, fn, timeout);
}

function fail(reason: string): never {
  throw new Error(reason);
}

// A skipped title is easy to miss in a summary line; stderr is shown with the file's name.
function warn(name: string, reason: string): void {
  console.warn(`skipped "${name}" (on CI it would fail): ${reason}`);
}
