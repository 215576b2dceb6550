/**
 * The console's part of "functions are not isolated" (issue 3): a server started with
 * `--sandbox none` says so in `/_nimbus/health`, and the commands that put code on it repeat it
 * on stderr, so nobody deploys to an unisolated server without being told.
 */
import type { ClientConfig } from './client-config.js';

/** Writes a warning to stderr when the server reports that it does not isolate functions; silent otherwise. */
export async function warnIfNotIsolated(config: ClientConfig, write: (text: string) => void = (t) => process.stderr.write(t)): Promise<void> {
  let health: { isolated?: unknown; warning?: unknown };
  try {
    const res = await fetch(new URL('/_nimbus/health', config.endpoint), { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return;
    health = (await res.json()) as typeof health;
  } catch {
    return; // not a Nimbus server, or an older one: nothing to say
  }
  if (health.isolated === false) write(`warning: ${typeof health.warning === 'string' ? health.warning : 'this server does not isolate functions'}\n`);
}
