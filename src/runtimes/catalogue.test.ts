import { describe, expect, it } from 'vitest';
import type { EnvironmentView } from './catalogue.js';
import { findRuntime } from './catalogue.js';

const view = (layerRoots: string[]): EnvironmentView => ({
  taskRoot: '/var/task',
  layerRoots,
  runtimeDir: '/var/runtime',
  host: { node: '/usr/bin/node', python3: '/usr/bin/python3' },
  runtimeApi: '127.0.0.1:9001',
});
const filesAt = (...paths: string[]) => (path: string) => paths.includes(path);

describe('provided runtimes’ entry point', () => {
  const provided = findRuntime('provided.al2023')!;

  it('runs the package’s bootstrap when it has one, even with a layer’s', () => {
    expect(provided.command(view(['/opt']), filesAt('/var/task/bootstrap', '/opt/bootstrap'))).toEqual(['/var/task/bootstrap']);
  });

  it('runs a layer’s /opt/bootstrap when the package has none', () => {
    expect(provided.command(view(['/opt']), filesAt('/opt/bootstrap'))).toEqual(['/opt/bootstrap']);
  });

  it('falls back to the package’s path (to fail as InvalidEntrypoint) when neither has one', () => {
    expect(provided.command(view(['/opt']), filesAt())).toEqual(['/var/task/bootstrap']);
    expect(provided.command(view([]), filesAt())).toEqual(['/var/task/bootstrap']);
    expect(provided.command(view(['/opt']))).toEqual(['/var/task/bootstrap']);
  });

  it('is the same rule for every provided identifier, and other runtimes ignore it', () => {
    for (const id of ['provided', 'provided.al2']) expect(findRuntime(id)!.command(view(['/opt']), filesAt('/opt/bootstrap'))).toEqual(['/opt/bootstrap']);
    expect(findRuntime('nodejs20.x')!.command(view(['/opt']), filesAt('/opt/bootstrap'))[0]).toBe('/usr/bin/node');
  });
});
