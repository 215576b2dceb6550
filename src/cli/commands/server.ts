/** `nimbus server`: runs everything on one port in the foreground; SIGTERM drains and exits 0. */
import { resolveConfig, type GlobalServerOptions } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/nimbus-server.js';

export async function serverCommand(options: Record<string, unknown> & GlobalServerOptions): Promise<void> {
  const config = resolveConfig(options);
  // Handlers go in before start-up, so a SIGTERM that arrives while starting still drains.
  let server: RunningServer | undefined;
  let stopRequested: string | undefined;
  const stop = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (server) drain(server, signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  server = await startServer(config);
  if (server.credentials.generated) {
    // Printed once, on the start that generated them; they live in the data directory.
    process.stdout.write(
      [
        `Nimbus generated root credentials (stored in ${config.dataDir}/credentials.json):`,
        `  export AWS_ACCESS_KEY_ID=${server.credentials.accessKeyId}`,
        `  export AWS_SECRET_ACCESS_KEY=${server.credentials.secretAccessKey}`,
        `  export AWS_ENDPOINT_URL=${server.url}`,
        `  export AWS_REGION=${config.region}`,
        '',
      ].join('\n'),
    );
  }
  if (stopRequested) drain(server, stopRequested);
}

function drain(server: RunningServer, signal: string): void {
  server.logger.info('draining', { signal });
  server.close().then(
    () => process.exit(0),
    (err) => {
      server.logger.error('shutdown failed', { error: String(err) });
      process.exit(1);
    },
  );
}
