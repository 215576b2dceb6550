import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeOrphans } from './orphans.js';

let parent: string;
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe('removeOrphans', () => {
  it('removes what a dead server left, keeps a live one\'s and anything not named by a pid', () => {
    parent = mkdtempSync(join(tmpdir(), 'nimbus-orphans-'));
    // A pid that was just used and is gone.
    const dead = spawnSync('/bin/true').pid;
    const names = [`${dead}-1a2b`, `${process.pid}-3c4d`, `nimbus-run-${dead}-XyZ123`, `nimbus-run-${process.pid}-Abc999`, 'nimbus-run-AbCdEf', 'unrelated'];
    for (const name of names) mkdirSync(join(parent, name));
    const removed: string[] = [];
    const remove = (path: string) => {
      removed.push(path.slice(parent.length + 1));
      rmSync(path, { recursive: true });
    };
    removeOrphans(parent, remove);
    removeOrphans(parent, remove, 'nimbus-run-');
    expect(removed).toEqual([`${dead}-1a2b`, `nimbus-run-${dead}-XyZ123`]);
    expect(readdirSync(parent).sort()).toEqual([`${process.pid}-3c4d`, 'nimbus-run-AbCdEf', `nimbus-run-${process.pid}-Abc999`, 'unrelated'].sort());
  });
});
