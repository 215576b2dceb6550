/**
 * The lifecycle of one execution environment, as a transition table. Whatever the table does
 * not list is forbidden: a Runtime API call that arrives in the wrong state is answered 403
 * (as the RIE's `core/states.go` does), a late internal signal is ignored.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 *   Starting ─launched→ Initializing ─nextParked→ Idle ─invoke→ Busy ─response/error→ Finishing
 *                                                  ↑                                   │   │
 *                                                  └──────────── nextParked ───────────┘   │invoke
 *                                          Busy ←── nextParked ── Reserved ←───────────────┘
 *   failures (initError, initTimeout, timeout, processExited) → Failed;  stop → Stopping → Stopped
 */

/** Where an environment is in its life. */
export type EnvironmentState =
  /** The Runtime API endpoint is being opened; no process yet. */
  | 'Starting'
  /** The runtime process runs its init phase; it has not asked for an event yet. */
  | 'Initializing'
  /** The runtime waits in GET /next with nothing to do: ready for an invocation. */
  | 'Idle'
  /** An invocation was handed to the runtime; its response or error is awaited. */
  | 'Busy'
  /** The runtime answered; it has not come back to GET /next yet. Reusable. */
  | 'Finishing'
  /** An invocation is assigned to a Finishing environment; it is delivered at the next GET /next. */
  | 'Reserved'
  /** Being shut down on purpose (retire, keep-alive expiry, drain). */
  | 'Stopping'
  /** Shut down on purpose. Terminal. */
  | 'Stopped'
  /** Broke (init error, timeout, process exit) and was discarded. Terminal. */
  | 'Failed';

/** What can happen to an environment. */
export type EnvironmentEvent =
  | 'launched'
  | 'launchFailed'
  | 'nextParked'
  | 'invoke'
  | 'response'
  | 'error'
  | 'initError'
  | 'initTimeout'
  | 'timeout'
  | 'processExited'
  | 'stop';

/** Every state, for exhaustive tests and stats. */
export const ENVIRONMENT_STATES: readonly EnvironmentState[] = [
  'Starting',
  'Initializing',
  'Idle',
  'Busy',
  'Finishing',
  'Reserved',
  'Stopping',
  'Stopped',
  'Failed',
];

/** Every event, for exhaustive tests. */
export const ENVIRONMENT_EVENTS: readonly EnvironmentEvent[] = [
  'launched',
  'launchFailed',
  'nextParked',
  'invoke',
  'response',
  'error',
  'initError',
  'initTimeout',
  'timeout',
  'processExited',
  'stop',
];

type Table = { readonly [S in EnvironmentState]: { readonly [E in EnvironmentEvent]?: EnvironmentState } };

/** The transition table: the only allowed moves. */
export const TRANSITIONS: Table = {
  Starting: { launched: 'Initializing', launchFailed: 'Failed', stop: 'Stopped' },
  Initializing: {
    nextParked: 'Idle',
    initError: 'Failed',
    initTimeout: 'Failed',
    processExited: 'Failed',
    stop: 'Stopping',
  },
  // A second GET /next while one is parked replaces it (the runtime gave up on the first).
  Idle: { nextParked: 'Idle', invoke: 'Busy', processExited: 'Failed', stop: 'Stopping' },
  // No stop while an invocation is owed an answer: callers wait for it (drain) or retire later.
  Busy: { response: 'Finishing', error: 'Finishing', timeout: 'Failed', processExited: 'Failed' },
  Finishing: { nextParked: 'Idle', invoke: 'Reserved', processExited: 'Failed', stop: 'Stopping' },
  Reserved: { nextParked: 'Busy', timeout: 'Failed', processExited: 'Failed' },
  Stopping: { processExited: 'Stopped' },
  Stopped: {},
  Failed: {},
};

/** The state after `event`, or undefined when the table forbids it. */
export function transition(state: EnvironmentState, event: EnvironmentEvent): EnvironmentState | undefined {
  return TRANSITIONS[state][event];
}

/** Whether an environment in `state` can take an invocation now or after its current answer. */
export function isReusable(state: EnvironmentState): boolean {
  return state === 'Idle' || state === 'Finishing';
}

/** Whether an environment in `state` is on its way out or gone. */
export function isGone(state: EnvironmentState): boolean {
  return state === 'Stopping' || state === 'Stopped' || state === 'Failed';
}
