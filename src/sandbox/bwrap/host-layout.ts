/**
 * Finds, once at start-up, what of the host a sandbox must show for runtimes to work: the
 * system's binaries and libraries (/usr, and /bin, /lib... as symlinks on a merged-/usr host),
 * the interpreters' own prefixes when they live elsewhere (e.g. a pyenv Python under /root),
 * and the few /etc files the dynamic linker and TLS need. Nothing else: no home directories,
 * no data directory, no /etc secrets.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostInterpreters } from '../../runtimes/catalogue.js';
import type { HostLayout } from './bwrap-args.js';

const TOP_LEVEL = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/pki',
  '/etc/crypto-policies',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/localtime',
  '/etc/mime.types',
];

/** The layout of this host, for the interpreters the runtimes use. */
export function findHostLayout(host: HostInterpreters): HostLayout {
  const symlinks: Record<string, string> = {};
  const readOnlyDirs = ['/usr'];
  for (const path of TOP_LEVEL) {
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) symlinks[path] = readlinkSync(path);
      else if (st.isDirectory()) readOnlyDirs.push(path);
    } catch {
      // absent on this host
    }
  }
  for (const interpreter of [host.node, host.python3]) {
    const prefix = installPrefix(interpreter);
    if (prefix && !readOnlyDirs.some((d) => prefix === d || prefix.startsWith(`${d}/`))) readOnlyDirs.push(prefix);
  }
  return {
    symlinks,
    readOnlyDirs,
    etc: ETC.filter((p) => existsSync(p)),
    setpriv: findTool('setpriv'),
    socat: findTool('socat'),
  };
}

/** `<prefix>/bin/<interpreter>` → `<prefix>`: where its own libraries live. */
function installPrefix(executable: string): string | undefined {
  try {
    return dirname(dirname(realpathSync(executable)));
  } catch {
    return undefined;
  }
}

/** Absolute path of a system tool, or its bare name when it is missing (the probe reports it). */
export function findTool(name: string): string {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return name;
}
