/**
 * The platform faults the sandbox reports: an invocation it could not run at all, as opposed to
 * a function that ran and failed (a result). Typed, with no wire code: what a caller sees is the
 * control plane's choice (lambda/invoke/sandbox-faults.ts maps each kind to Lambda's error).
 */
export type SandboxFaultKind =
  /** Environments kept dying before their runtime took the event. */
  | 'no-environment'
  /** The pool is draining: the server is shutting down. */
  | 'draining'
  /** The function would add environments faster than its scaling rate allows. */
  | 'scale-up-rate'
  /** Every environment the pool may hold is leased. */
  | 'capacity'
  /** The runtime is not in the catalogue. */
  | 'unsupported-runtime';

export class SandboxFault extends Error {
  override readonly name = 'SandboxFault';
  constructor(
    readonly kind: SandboxFaultKind,
    message: string,
  ) {
    super(message);
  }
}
