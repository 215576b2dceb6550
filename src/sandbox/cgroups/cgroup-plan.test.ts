import { describe, expect, it } from 'vitest';
import { limitsOf } from '../resource-limits.js';
import { describePlan, environmentDirs, limitWrites, oomFile, oomKills, parseCgroupMounts, peakFile, planCgroups } from './cgroup-plan.js';

const HYBRID = [
  'tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0',
  'cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0',
  'cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0',
  'cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0',
  'cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0',
  'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
].join('\n');
const V2 = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n';
const SYSTEMD_V1 = 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0\n';

describe('cgroup plan', () => {
  it('reads v1 hierarchies per controller and the v2 mount', () => {
    expect(parseCgroupMounts(HYBRID)).toEqual({
      v1: { cpu: '/sys/fs/cgroup/cpu', memory: '/sys/fs/cgroup/memory', pids: '/sys/fs/cgroup/pids' },
      v2: '/sys/fs/cgroup/unified',
    });
    expect(parseCgroupMounts(SYSTEMD_V1).v1).toEqual({ cpu: '/sys/fs/cgroup/cpu,cpuacct' });
    expect(parseCgroupMounts('cgroup2 /a\\040b cgroup2 rw 0 0').v2).toBe('/a b');
  });

  it('prefers the v1 hierarchy that has a controller, else v2 when its root offers it', () => {
    const hybrid = planCgroups(parseCgroupMounts(HYBRID), []);
    expect(hybrid.memory).toEqual({ version: 1, base: '/sys/fs/cgroup/memory/nimbus' });
    const v2 = planCgroups(parseCgroupMounts(V2), ['cpuset', 'cpu', 'io', 'memory', 'pids']);
    expect(v2).toEqual({
      memory: { version: 2, base: '/sys/fs/cgroup/nimbus' },
      pids: { version: 2, base: '/sys/fs/cgroup/nimbus' },
      cpu: { version: 2, base: '/sys/fs/cgroup/nimbus' },
    });
    expect(planCgroups(parseCgroupMounts(V2), ['memory'])).not.toHaveProperty('pids');
    expect(describePlan(planCgroups(parseCgroupMounts(V2), ['memory']))).toEqual({
      memory: 'cgroup v2',
      pids: 'not enforced',
      cpu: 'not enforced',
    });
  });

  it('puts an environment in one directory per hierarchy', () => {
    expect(environmentDirs(planCgroups(parseCgroupMounts(HYBRID), []), 'e1')).toEqual([
      '/sys/fs/cgroup/memory/nimbus/e1',
      '/sys/fs/cgroup/pids/nimbus/e1',
      '/sys/fs/cgroup/cpu/nimbus/e1',
    ]);
    expect(environmentDirs(planCgroups(parseCgroupMounts(V2), ['memory', 'pids', 'cpu']), 'e1')).toEqual(['/sys/fs/cgroup/nimbus/e1']);
  });

  it('limits memory (without swap), pids and a CPU weight proportional to memory (v1)', () => {
    const plan = planCgroups(parseCgroupMounts(HYBRID), []);
    expect(limitWrites(plan, 'e1', limitsOf({ memorySize: 1769, ephemeralStorage: 512 }))).toEqual([
      { path: '/sys/fs/cgroup/memory/nimbus/e1/memory.limit_in_bytes', value: String(1769 * 1024 * 1024) },
      { path: '/sys/fs/cgroup/memory/nimbus/e1/memory.memsw.limit_in_bytes', value: String(1769 * 1024 * 1024), optional: true },
      { path: '/sys/fs/cgroup/pids/nimbus/e1/pids.max', value: '1024' },
      { path: '/sys/fs/cgroup/cpu/nimbus/e1/cpu.shares', value: '1024' },
    ]);
    const small = limitWrites(plan, 'e1', limitsOf({ memorySize: 128, ephemeralStorage: 512 }));
    expect(small.at(-1)).toMatchObject({ value: '74' });
  });

  it('writes the v2 files', () => {
    const plan = planCgroups(parseCgroupMounts(V2), ['memory', 'pids', 'cpu']);
    expect(limitWrites(plan, 'e1', limitsOf({ memorySize: 3538, ephemeralStorage: 512 }))).toEqual([
      { path: '/sys/fs/cgroup/nimbus/e1/memory.max', value: String(3538 * 1024 * 1024) },
      { path: '/sys/fs/cgroup/nimbus/e1/memory.swap.max', value: '0', optional: true },
      { path: '/sys/fs/cgroup/nimbus/e1/pids.max', value: '1024' },
      { path: '/sys/fs/cgroup/nimbus/e1/cpu.weight', value: '200' },
    ]);
    expect(peakFile(plan, 'e1')).toBe('/sys/fs/cgroup/nimbus/e1/memory.peak');
    expect(oomFile(plan, 'e1')).toBe('/sys/fs/cgroup/nimbus/e1/memory.events');
  });

  it('reads the OOM kill count of either version', () => {
    expect(oomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n')).toBe(2);
    expect(oomKills('low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n')).toBe(1);
    expect(oomKills('oom_kill_disable 0\nunder_oom 0\n')).toBe(0);
    expect(peakFile(planCgroups(parseCgroupMounts(HYBRID), []), 'e1')).toBe('/sys/fs/cgroup/memory/nimbus/e1/memory.max_usage_in_bytes');
  });
});
