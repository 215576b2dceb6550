/**
 * RUNTIMES: the one table of supported runtimes. Each entry says how to start the runtime's
 * bootstrap for a function and which runtime-specific variables it needs. Adding a runtime is
 * adding an entry here (see CONTRIBUTING.md, "How to add a runtime").
 *
 * Every runtime talks to its environment only through the Lambda Runtime API; our own Node.js
 * and Python bootstraps are ordinary Runtime API clients.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Interpreters found on the host at start-up (read once at the composition root). */
export interface HostInterpreters {
  node: string;
  python3: string;
}

/**
 * What an environment's processes see, as the launcher decides it (a sandbox shows the code at
 * /var/task, the plain launcher the host paths): runtimes build their argv and variables from it.
 */
export interface EnvironmentView {
  /** LAMBDA_TASK_ROOT and the working directory. */
  taskRoot: string;
  /** Where each layer is seen, in order. */
  layerRoots: string[];
  /** Where Nimbus's runtime clients are seen. */
  runtimeDir: string;
  /** Interpreters, as paths valid inside the environment. */
  host: HostInterpreters;
  /** `host:port` of the Runtime API, the value of AWS_LAMBDA_RUNTIME_API. */
  runtimeApi: string;
}

export interface RuntimeDefinition {
  /** Lambda's identifier, e.g. `nodejs20.x`. */
  id: string;
  family: 'nodejs' | 'python' | 'provided';
  /**
   * The process to start, in the paths the environment sees: argv[0] is absolute. `exists`
   * tells whether a file is at a path of the view, for a runtime whose entry point depends on
   * the code and layers; without it, the code is taken to hold what the runtime looks for first.
   */
  command(view: EnvironmentView, exists?: (path: string) => boolean): string[];
  /**
   * The same process started as a stem cell (decision 9): a shim that waits for the function,
   * then runs the bootstrap `command` would have. Absent when the runtime has none.
   */
  stemCommand?(view: EnvironmentView): string[];
  /** Variables this runtime adds to the standard Lambda set, in the paths the environment sees. */
  env(view: EnvironmentView): Record<string, string>;
}

/** Host directory of our runtime clients (a sandbox shows it read-only as /var/runtime). */
export const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));
/** Our Node.js runtime client, relative to the runtime directory (plain ESM, copied to dist as is). */
const NODE_CLIENT = join('nodejs', 'bootstrap.mjs');
/** Our Python runtime client (stdlib only), relative to the runtime directory. */
const PYTHON_CLIENT = join('python', 'bootstrap.py');
/** The stem-cell shims, beside the clients they release into. */
const NODE_STEM = join('nodejs', 'stem.mjs');
const PYTHON_STEM = join('python', 'stem.py');
/** Our Node.js runtime client on the host. */
export const NODE_BOOTSTRAP = join(RUNTIME_DIR, NODE_CLIENT);
/** Our Python runtime client on the host. */
export const PYTHON_BOOTSTRAP = join(RUNTIME_DIR, PYTHON_CLIENT);

function nodejs(major: number): RuntimeDefinition {
  const id = `nodejs${major}.x`;
  return {
    id,
    family: 'nodejs',
    command: (view) => [view.host.node, join(view.runtimeDir, NODE_CLIENT)],
    stemCommand: (view) => [view.host.node, join(view.runtimeDir, NODE_STEM)],
    env: (view) => ({
      AWS_EXECUTION_ENV: `AWS_Lambda_${id}`,
      // Lambda's search order: layer paths first, then the function's own node_modules.
      NODE_PATH: [
        ...view.layerRoots.flatMap((d) => [join(d, 'nodejs', `node${major}`, 'node_modules'), join(d, 'nodejs', 'node_modules')]),
        join(view.taskRoot, 'node_modules'),
        view.taskRoot,
      ].join(':'),
    }),
  };
}

function python(minor: number): RuntimeDefinition {
  const id = `python3.${minor}`;
  return {
    id,
    family: 'python',
    command: (view) => [view.host.python3, '-u', join(view.runtimeDir, PYTHON_CLIENT)],
    stemCommand: (view) => [view.host.python3, '-u', join(view.runtimeDir, PYTHON_STEM)],
    env: (view) => ({
      AWS_EXECUTION_ENV: `AWS_Lambda_${id}`,
      PYTHONPATH: [
        view.taskRoot,
        ...view.layerRoots.flatMap((d) => [join(d, 'python'), join(d, 'python', 'lib', id, 'site-packages')]),
      ].join(':'),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    }),
  };
}

function provided(id: string): RuntimeDefinition {
  return {
    id,
    family: 'provided',
    // OS-only runtimes run the package's executable `bootstrap`, or, when it has none, a
    // layer's `/opt/bootstrap`; with neither, starting the task's fails (Runtime.InvalidEntrypoint).
    // https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
    command: (view, exists) => {
      const task = join(view.taskRoot, 'bootstrap');
      if (!exists || exists(task)) return [task];
      return [view.layerRoots.map((root) => join(root, 'bootstrap')).find(exists) ?? task];
    },
    env: () => ({}),
  };
}

export const RUNTIMES: Readonly<Record<string, RuntimeDefinition>> = Object.freeze(
  Object.fromEntries(
    [
      nodejs(18),
      nodejs(20),
      nodejs(22),
      python(9),
      python(10),
      python(11),
      python(12),
      python(13),
      provided('provided'),
      provided('provided.al2'),
      provided('provided.al2023'),
    ].map((r) => [r.id, r]),
  ),
);

/**
 * The runtime version Nimbus reports (INIT_START, RuntimeVersionConfig): one per runtime
 * identifier, since Nimbus runs each on the host's interpreter rather than on versioned images.
 */
export function runtimeVersionOf(region: string, runtimeId: string): { version: string; arn: string } {
  return { version: `nimbus:${runtimeId}`, arn: `arn:aws:lambda:${region}::runtime:nimbus-${runtimeId}` };
}

export function findRuntime(id: string): RuntimeDefinition | undefined {
  return Object.hasOwn(RUNTIMES, id) ? RUNTIMES[id] : undefined;
}
