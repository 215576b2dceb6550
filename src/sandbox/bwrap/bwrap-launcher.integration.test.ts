import { launcherSuite } from '../launcher.case.js';
import { TEST_HOST } from '../../../test/support/sandbox/function-spec.js';
import { securitySuite } from '../../../test/support/security-suite.js';
import { sandboxSupport } from './sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);

// A host that cannot sandbox fails this on CI and skips it elsewhere, with the probe's reason.
securitySuite('BwrapLauncher', support.reason, () => {
  launcherSuite('BwrapLauncher', () => support.launcher!);
});
