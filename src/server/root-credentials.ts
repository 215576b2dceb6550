/**
 * The root access key. Taken from NIMBUS_ACCESS_KEY_ID / NIMBUS_SECRET_ACCESS_KEY when set;
 * otherwise generated on first start, kept in `<data-dir>/credentials.json` (mode 0600) and
 * printed once so the operator can configure their AWS clients.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** True when this start generated them (the caller prints them, once). */
  generated: boolean;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function loadRootCredentials(dataDir: string, env: NodeJS.ProcessEnv = process.env): RootCredentials {
  if (env.NIMBUS_ACCESS_KEY_ID && env.NIMBUS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.NIMBUS_ACCESS_KEY_ID, secretAccessKey: env.NIMBUS_SECRET_ACCESS_KEY, generated: false };
  }
  if (env.NIMBUS_ACCESS_KEY_ID || env.NIMBUS_SECRET_ACCESS_KEY) {
    throw new Error('set both NIMBUS_ACCESS_KEY_ID and NIMBUS_SECRET_ACCESS_KEY, or neither');
  }
  const file = credentialsFile(dataDir);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    return { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey, generated: false };
  }
  const accessKeyId = 'NIMB' + Array.from({ length: 16 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('');
  const secretAccessKey = randomBytes(30).toString('base64');
  writeFileSync(file, JSON.stringify({ accessKeyId, secretAccessKey }, null, 2) + '\n', { mode: 0o600 });
  return { accessKeyId, secretAccessKey, generated: true };
}

export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');
