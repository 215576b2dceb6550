/**
 * A scripted runtime for pool tests without processes: every process the FakeLauncher starts
 * runs a loop over its in-memory Runtime API, answering each event with what `handle` returns.
 */
import type { RapiReply } from '../../../src/sandbox/runtime-api/types.js';
import type { FakeLauncher, FakeProcess } from './fake-launcher.js';
import type { FakeRuntimeApi, InMemoryTransport } from './in-memory-transport.js';

/** What the runtime does with an event: answer (string) or post an error ({ error }). */
export type Handle = (event: { requestId: string; payload: string; proc: FakeProcess }) => string | { error: string } | Promise<string | { error: string }>;

/** Runs the scripted runtime in every process launched from now on. */
export function scriptRuntimes(launcher: FakeLauncher, transport: InMemoryTransport, handle: Handle): void {
  const loop = async (proc: FakeProcess) => {
    await null; // the environment finishes launching before its runtime speaks
    const api: FakeRuntimeApi = transport.api(proc.runtimeApi);
    for (;;) {
      if (proc.hasExited || api.closed) return;
      let event: RapiReply;
      try {
        event = await api.next();
      } catch {
        return;
      }
      if (event.status !== 200 || proc.hasExited || api.closed) return;
      const requestId = event.headers['Lambda-Runtime-Aws-Request-Id']!;
      const answer = await handle({ requestId, payload: event.body.toString(), proc });
      if (proc.hasExited || api.closed) return;
      if (typeof answer === 'string') api.postResponse(requestId, answer);
      else api.postError(requestId, answer.error);
    }
  };
  launcher.onLaunch = (proc) => void loop(proc);
}

/** A promise with its resolver, to hold an invocation busy until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
