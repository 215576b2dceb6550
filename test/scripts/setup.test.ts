/**
 * scripts/setup.sh, the set-up `npm start` and `npm test` run first, on the paths that install
 * nothing: everything there, not root, no apt-get. The package list is replaced by
 * NIMBUS_SETUP_PACKAGES so that no case depends on this host's packages or touches them. (As
 * root with something missing it runs apt-get: .ci/run proves that path on a fresh machine.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/server/nimbus.js';

const SCRIPT = readFileSync(join(ROOT, 'scripts', 'setup.sh'), 'utf8');
const MISSING = 'nimbus-no-such-package:nimbus-no-such-command';
const PRESENT = 'coreutils:ls bash:/bin/sh';

// An apt-get that must never run: the unprivileged path only names it.
const fakeBin = mkdtempSync(join(tmpdir(), 'nimbus-setup-test-'));
writeFileSync(join(fakeBin, 'apt-get'), '#!/bin/sh\necho "apt-get ran" >&2\nexit 99\n', { mode: 0o755 });
chmodSync(fakeBin, 0o755);
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

/** Runs the script (fed on stdin, so any uid can read it) as an unprivileged user. */
function setup(mode: string, packages: string, path = `${fakeBin}:/usr/bin:/bin`) {
  // As root, drop to nobody with util-linux's setpriv; as anyone else, run as is.
  const asUser = process.getuid?.() === 0 ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const [command, ...args] = [...asUser, '/bin/bash', '-s', mode];
  const run = spawnSync(command!, args, {
    input: SCRIPT,
    encoding: 'utf8',
    env: { PATH: path, NIMBUS_SETUP_PACKAGES: packages },
    timeout: 10_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

describe('scripts/setup.sh', () => {
  it('does nothing, silently, when everything is there', () => {
    expect(setup('test', PRESENT)).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('prints the sudo apt-get command for what is missing and fails, when not root', () => {
    const out = setup('server', `${PRESENT} ${MISSING}`);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('nimbus setup: missing: nimbus-no-such-package\n');
    expect(out.stderr).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends nimbus-no-such-package\n');
    expect(out.stderr).not.toContain('apt-get ran');
  });

  it('leaves out an optional package that apt cannot install', () => {
    expect(setup('test', `${PRESENT} nimbus-no-such-package?:nimbus-no-such-command`)).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('says what is missing and fails where there is no apt-get', () => {
    const out = setup('server', MISSING, '/nonexistent');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('nimbus setup: missing: nimbus-no-such-package');
    expect(out.stderr).toContain("install them with this system's package manager");
  });

  it('refuses an unknown set', () => {
    const out = setup('everything', PRESENT);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('usage:');
  });
});
