import { describe, expect, it } from 'vitest';
import { loadModel } from '../models/models.js';
import { ShapeResolver } from '../models/shapes.js';
import { MAX_PROBLEMS, ValidatorCompiler } from './validate.js';
import { MAX_RENDERED, render } from './validate-render.js';

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('values as AWS prints them', () => {
  it.each([
    [null, 'null'],
    [['a', 1, true], '[a, 1, true]'],
    [{ Name: 'n', Values: [1, 2] }, '{Name=n, Values=[1, 2]}'],
    [new Date(0), '1970-01-01T00:00:00.000Z'],
    [Buffer.from('abc'), 'java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]'],
    [{ toString: 'x', constructor: 1 }, '{toString=x, constructor=1}'],
  ])('%j → %s', (value, text) => {
    expect(render(value)).toBe(text);
  });

  it.each([
    ['a huge string', 'x'.repeat(10_000_000)],
    ['a huge list', Array.from({ length: 1_000_000 }, (_, i) => i)],
    ['a huge map', Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 'v'.repeat(100)]))],
  ])('cuts %s at MAX_RENDERED characters', (_what, value) => {
    const text = render(value);
    expect(text.length).toBe(MAX_RENDERED + 3);
    expect(text.endsWith('...')).toBe(true);
  });

  it('stops at a depth no stack can mind', () => {
    expect(render(deep(100_000))).toBe(`${'['.repeat(16)}...${']'.repeat(16)}`);
  });
});

describe('a request with many problems', () => {
  it(`collects at most ${MAX_PROBLEMS}, so a million bad items cost one short message`, () => {
    const logs = loadModel('logs');
    const validate = new ValidatorCompiler({}).input(new ShapeResolver(logs).operationShape(logs.operations.PutLogEvents.input)!);
    const problems = validate({ logGroupName: 'g', logStreamName: 's', logEvents: Array.from({ length: 1_000_000 }, () => ({})) })!;
    expect(problems.type.length + problems.constraint.length).toBe(MAX_PROBLEMS);
    expect(problems.constraint[0]).toMatch(/^Value '\[\{\}, \{\}, .*\.\.\.' at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000$/);
    expect(problems.constraint[1]).toBe("Value null at 'logEvents.1.member.timestamp' failed to satisfy constraint: Member must not be null");
  });
});
