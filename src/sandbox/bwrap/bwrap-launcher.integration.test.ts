import { describe } from 'vitest';
import { launcherSuite } from '../launcher.case.js';
import { TEST_HOST } from '../../../test/support/function-spec.js';
import { sandboxSupport } from './sandbox-probe.js';

const support = sandboxSupport(TEST_HOST);

// Hosts without bubblewrap (a developer's laptop) skip with the probe's reason.
describe.skipIf(!support.launcher)(`BwrapLauncher (${support.reason ?? 'available'})`, () => {
  launcherSuite('BwrapLauncher', () => support.launcher!);
});
