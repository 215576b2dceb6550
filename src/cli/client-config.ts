/**
 * How the CLI reaches a Nimbus server: the endpoint and the credentials, found the way AWS
 * tools find them, plus the key the server generated in its data directory. The CLI talks to
 * the public API only, signing like any AWS client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface GlobalOptions {
  endpointUrl?: string;
  region?: string;
  dataDir?: string;
}

export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function clientConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const endpoint =
    options.endpointUrl ?? env.NIMBUS_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL ?? `http://127.0.0.1:${env.NIMBUS_PORT ?? 4566}`;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? env.NIMBUS_REGION ?? 'us-east-1';
  return { endpoint, region, credentials: findCredentials(options, env) };
}

function findCredentials(options: GlobalOptions, env: NodeJS.ProcessEnv): ClientConfig['credentials'] {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (env.NIMBUS_ACCESS_KEY_ID && env.NIMBUS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.NIMBUS_ACCESS_KEY_ID, secretAccessKey: env.NIMBUS_SECRET_ACCESS_KEY };
  }
  const dataDir = resolve(options.dataDir ?? env.NIMBUS_DATA_DIR ?? join(homedir(), '.nimbus'));
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    return { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey };
  }
  throw new Error(
    `no credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (as printed by \`nimbus server\`), or point --data-dir at the server's data directory (looked in ${file})`,
  );
}
