/** Lambda's log stream names: `YYYY/MM/DD/[VERSION]<32 hex>`, dated in UTC. */

/** The stream name an environment started at `now` writes to. `hex32` is 32 random hex digits. */
export function logStreamName(now: number, version: string, hex32: string): string {
  const d = new Date(now);
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${d.getUTCFullYear()}/${mm}/${dd}/[${version}]${hex32}`;
}
