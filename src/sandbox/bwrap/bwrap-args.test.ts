import { describe, expect, it } from 'vitest';
import { argsFile, bwrapArgs, relayScript, type HostLayout } from './bwrap-args.js';

const layout: HostLayout = {
  symlinks: { '/bin': 'usr/bin', '/lib': 'usr/lib' },
  readOnlyDirs: ['/usr', '/root/.pyenv/versions/3.12.1'],
  etc: ['/etc/ld.so.cache', '/etc/ssl'],
  setpriv: '/usr/bin/setpriv',
  socat: '/usr/bin/socat',
};

const request = {
  mounts: { codeDir: '/data/code/abc', layerDirs: [], runtimeDir: '/srv/nimbus/dist/runtimes' },
  endpoint: '/tmp/nimbus-run-x/e1.sock',
  tmpMb: 512,
  uid: 200_007,
  argv: ['/usr/bin/node', '/var/runtime/nodejs/bootstrap.mjs'],
  env: { AWS_SECRET_ACCESS_KEY: 'secret', LD_PRELOAD: '/var/task/x.so' },
  cwd: '/var/task',
};

/** `flag a b` triples of the options, for lookups. */
function pairs(options: string[], flag: string): string[][] {
  const out: string[][] = [];
  options.forEach((o, i) => o === flag && out.push([options[i + 1]!, options[i + 2]!]));
  return out;
}

describe('bwrapArgs', () => {
  it('mounts exactly the system, the code, the runtime clients and the endpoint, read-only where it can', () => {
    const { options } = bwrapArgs(layout, request);
    expect(pairs(options, '--ro-bind')).toEqual([
      ['/usr', '/usr'],
      ['/root/.pyenv/versions/3.12.1', '/root/.pyenv/versions/3.12.1'],
      ['/etc/ld.so.cache', '/etc/ld.so.cache'],
      ['/etc/ssl', '/etc/ssl'],
      ['/data/code/abc', '/var/task'],
      ['/srv/nimbus/dist/runtimes', '/var/runtime'],
    ]);
    expect(pairs(options, '--bind')).toEqual([['/tmp/nimbus-run-x/e1.sock', '/run/nimbus/runtime-api.sock']]);
    expect(pairs(options, '--symlink')).toEqual([['usr/bin', '/bin'], ['usr/lib', '/lib']]);
    // Parents of mount points are traversable for the unprivileged uid; /root's contents are not mounted.
    expect(options.join(' ')).toContain('--perms 0755 --dir /root --perms 0755 --dir /root/.pyenv');
    expect(options.join(' ')).toContain(`--perms 1777 --size ${512 * 1024 * 1024} --tmpfs /tmp`);
  });

  it('unshares every namespace but the user one when root, and drops to the uid with no capabilities', () => {
    const { options, command } = bwrapArgs(layout, request);
    for (const flag of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent', '--new-session', '--clearenv']) {
      expect(options).toContain(flag);
    }
    expect(options).not.toContain('--unshare-user');
    expect(command.slice(0, 7)).toEqual(['/usr/bin/setpriv', '--reuid=200007', '--regid=200007', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--']);
    expect(command.slice(-2)).toEqual(request.argv);
  });

  it('maps an unprivileged uid through a user namespace when not root', () => {
    const { options, command } = bwrapArgs(layout, { ...request, uid: undefined });
    expect(options.join(' ')).toContain('--unshare-user --uid 993 --gid 990');
    expect(command[0]).toBe('/bin/sh');
  });

  it("passes the function's variables as options (fed through --args), never on the host side", () => {
    const { options, command } = bwrapArgs(layout, request);
    expect(pairs(options, '--setenv')).toEqual([
      ['AWS_SECRET_ACCESS_KEY', 'secret'],
      ['LD_PRELOAD', '/var/task/x.so'],
    ]);
    expect(command.join(' ')).not.toContain('secret');
    expect(argsFile(['a', 'b c']).toString()).toBe('a\0b c\0');
  });

  it('relays the API port too when the server has an API socket', () => {
    const { options, command } = bwrapArgs(layout, { ...request, api: { socket: '/tmp/nimbus-run-x/api.sock', port: 4566 } });
    expect(pairs(options, '--bind')).toContainEqual(['/tmp/nimbus-run-x/api.sock', '/run/nimbus/api.sock']);
    expect(command.join(' ')).toContain('TCP-LISTEN:4566,bind=127.0.0.1');
  });

  it('with egress, shows slirp\'s resolver and waits for the tap0 default route before the runtime starts', () => {
    const { options, command } = bwrapArgs(layout, { ...request, egress: { resolvConf: '/tmp/nimbus-run-x/resolv.conf' } });
    expect(pairs(options, '--ro-bind')).toContainEqual(['/tmp/nimbus-run-x/resolv.conf', '/etc/resolv.conf']);
    const script = command[command.indexOf('-c') + 1]!;
    expect(script).toContain('/proc/net/route');
    expect(script).toContain('[ "$iface" = tap0 ] && [ "$dest" = 00000000 ]');
    // Without egress: no resolver, no wait for a route that will never come.
    const plain = bwrapArgs(layout, request);
    expect(pairs(plain.options, '--ro-bind').map(([, to]) => to)).not.toContain('/etc/resolv.conf');
    expect(plain.command.join(' ')).not.toContain('/proc/net/route');
  });

  it('with a disk /tmp, mounts the loop device with the one capability it keeps, then drops everything', () => {
    const { options, command } = bwrapArgs(layout, { ...request, tmpDevice: { mount: '/usr/bin/mount' } });
    expect(options).not.toContain('--tmpfs');
    expect(options.join(' ')).toContain('--dir /tmp --cap-add CAP_SYS_ADMIN');
    // The mount comes first, as root; setpriv (no capabilities, the environment's uid) follows.
    expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(command[2]).toMatch(/^\/usr\/bin\/mount -o nosuid,nodev,noatime \/dev\/nimbus-tmp \/tmp && /);
    expect(command[4]).toBe('/usr/bin/setpriv');
    expect(command).toContain('--bounding-set=-all');
    // Without a uid to drop to (a server that is not root), no capability is ever added.
    const unprivileged = bwrapArgs(layout, { ...request, uid: undefined, tmpDevice: { mount: '/usr/bin/mount' } });
    expect(unprivileged.options).not.toContain('--cap-add');
    expect(unprivileged.options).toContain('--tmpfs');
  });

  it('waits for every relay port in /proc/net/tcp notation', () => {
    expect(relayScript([9001, 4566])).toContain('0100007F:2329|0100007F:11D6');
  });

  it('refuses more than one layer until /opt can be merged', () => {
    expect(() => bwrapArgs(layout, { ...request, mounts: { ...request.mounts, layerDirs: ['/l1', '/l2'] } })).toThrow(/merged \/opt/);
  });
});
