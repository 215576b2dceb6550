import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkTree } from './task-links.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('linkTree', () => {
  it('recreates directories, hard-links files and keeps symlinks as symlinks, never following them', () => {
    root = mkdtempSync(join(tmpdir(), 'nimbus-links-'));
    const source = join(root, 'code');
    const target = join(root, 'task');
    mkdirSync(join(source, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(target);
    writeFileSync(join(source, 'index.js'), 'exports.handler = 1');
    writeFileSync(join(source, 'node_modules', 'dep', 'index.js'), 'module.exports = 2');
    writeFileSync(join(source, 'bootstrap'), '#!/bin/sh\n');
    chmodSync(join(source, 'bootstrap'), 0o755);
    chmodSync(join(source, 'node_modules'), 0o555);
    // A link pointing outside stays a link: the walk does not copy what it points at.
    writeFileSync(join(root, 'secret'), 'host secret');
    symlinkSync('../secret', join(source, 'outside'));
    symlinkSync('node_modules/dep', join(source, 'dep'));

    linkTree(source, target);

    expect(lstatSync(join(target, 'index.js')).ino).toBe(lstatSync(join(source, 'index.js')).ino);
    expect(readFileSync(join(target, 'node_modules', 'dep', 'index.js'), 'utf8')).toBe('module.exports = 2');
    expect(lstatSync(join(target, 'bootstrap')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(target, 'node_modules')).mode & 0o777).toBe(0o555);
    expect(lstatSync(join(target, 'outside')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(target, 'outside'))).toBe('../secret');
    expect(readlinkSync(join(target, 'dep'))).toBe('node_modules/dep');
    expect(existsSync(join(target, 'secret'))).toBe(false);
    chmodSync(join(target, 'node_modules'), 0o755);
    chmodSync(join(source, 'node_modules'), 0o755);
  });
});
