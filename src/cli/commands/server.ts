/** `nimbus server`: runs everything on one port in the foreground; SIGTERM drains and exits 0. */
import { resolveConfig, type ServerOptions } from '../../server/config.js';
import { startServer } from '../../server/nimbus-server.js';

export async function serverCommand(options: ServerOptions): Promise<void> {
  const config = resolveConfig(options);
  const server = await startServer(config);
  if (server.credentials.generated) {
    // Printed once, on the start that generated them; they live in the data directory.
    process.stdout.write(
      [
        'Nimbus generated root credentials (stored in ' + config.dataDir + '/credentials.json):',
        `  export AWS_ACCESS_KEY_ID=${server.credentials.accessKeyId}`,
        `  export AWS_SECRET_ACCESS_KEY=${server.credentials.secretAccessKey}`,
        `  export AWS_ENDPOINT_URL=${server.url}`,
        `  export AWS_REGION=${config.region}`,
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info('draining', { signal });
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.logger.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
