import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileInView, type EnvironmentView } from './environment-view.js';

const root = mkdtempSync(join(tmpdir(), 'nimbus-view-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fileInView', () => {
  const codeDir = join(root, 'code');
  const layerDir = join(root, 'opt-1');
  mkdirSync(join(codeDir, 'bootstrap'), { recursive: true }); // a directory, not a file
  mkdirSync(layerDir, { recursive: true });
  writeFileSync(join(layerDir, 'bootstrap'), '#!/bin/sh\n');
  writeFileSync(join(codeDir, 'handler.sh'), '');
  const view: EnvironmentView = {
    taskRoot: '/var/task',
    layerRoots: ['/opt'],
    runtimeDir: '/var/runtime',
    host: { node: '/usr/bin/node', python3: '/usr/bin/python3' },
    runtimeApi: '127.0.0.1:9001',
  };
  const exists = fileInView(view, { codeDir, layerDirs: [layerDir], runtimeDir: '/srv/runtimes' });

  it('answers for the host directory behind each root of the view', () => {
    expect(exists('/opt/bootstrap')).toBe(true);
    expect(exists('/var/task/handler.sh')).toBe(true);
    expect(exists('/var/task/missing')).toBe(false);
  });

  it('counts regular files only, and nothing outside the code and layers', () => {
    expect(exists('/var/task/bootstrap')).toBe(false);
    expect(exists('/var/taskbootstrap')).toBe(false);
    expect(exists(join(layerDir, 'bootstrap'))).toBe(false);
  });
});
