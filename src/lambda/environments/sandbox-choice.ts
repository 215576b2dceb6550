/**
 * Chooses how functions run, once at start-up: in bubblewrap sandboxes with cgroup limits
 * (`auto`, the default, and `bwrap`), or as plain processes only when told (`none`). A host
 * that cannot sandbox makes the server refuse to start rather than run functions unisolated.
 */
import type { HostInterpreters } from '../../runtimes/catalogue.js';
import type { BwrapLauncherOptions } from '../../sandbox/bwrap/bwrap-launcher.js';
import { sandboxSupport } from '../../sandbox/bwrap/sandbox-probe.js';
import type { Launcher } from '../../sandbox/launcher.js';
import { ProcessLauncher } from '../../sandbox/process-launcher.js';
import { HttpRuntimeApiTransport } from '../../sandbox/runtime-api/http-transport.js';
import type { RuntimeApiTransport } from '../../sandbox/runtime-api/types.js';

/** `auto`: bubblewrap when it works here, else refuse to start; `none`: plain processes. */
export type SandboxMode = 'auto' | 'bwrap' | 'none';

/** The launcher and Runtime API transport that go together, and what they enforce. */
export interface SandboxChoice {
  mode: 'bwrap' | 'none';
  launcher: Launcher;
  transport: RuntimeApiTransport;
  /** What is enforced, for the start-up log. */
  enforced: Record<string, string>;
}

/** Probes the host for `mode`; throws, with the reason, when sandboxing was asked for and does not work. */
export function chooseSandbox(
  mode: SandboxMode,
  host: HostInterpreters,
  socketDir: string,
  options: { api: BwrapLauncherOptions['api']; stemCells?: BwrapLauncherOptions['stemCells']; egress: boolean; diskTmpDir?: string },
): SandboxChoice {
  if (mode === 'none') {
    return { mode: 'none', launcher: new ProcessLauncher(), transport: new HttpRuntimeApiTransport(), enforced: {} };
  }
  const support = sandboxSupport(host, {
    api: options.api,
    ...(options.stemCells ? { stemCells: options.stemCells } : {}),
    // The sandboxes' resolv.conf lives with the sockets, gone with the server.
    ...(options.egress ? { egressDir: socketDir } : {}),
    ...(options.diskTmpDir !== undefined ? { diskTmpDir: options.diskTmpDir } : {}),
  });
  if (!support.launcher) {
    throw new Error(
      `cannot isolate functions on this host: ${support.reason}. ` +
        'Install bubblewrap and socat, or start with --sandbox none to run functions as plain, unisolated processes.',
    );
  }
  return {
    mode: 'bwrap',
    launcher: support.launcher,
    // Each environment's endpoint is a socket in a directory only the server can enter.
    transport: new HttpRuntimeApiTransport({ socketDir }),
    enforced: support.enforced,
  };
}
