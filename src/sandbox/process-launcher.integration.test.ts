import { launcherSuite } from './launcher.case.js';
import { ProcessLauncher } from './process-launcher.js';

launcherSuite('ProcessLauncher', () => new ProcessLauncher());
