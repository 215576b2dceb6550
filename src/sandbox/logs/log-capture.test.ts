import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualTime } from '../../../test/support/sandbox/manual-time.js';
import { RecordingLogSink } from '../../../test/support/sandbox/recording-log-sink.js';
import { turn } from '../../../test/support/wait.js';
import { MAX_LOG_LINE_CHARS } from '../limits.js';
import { LogCapture } from './log-capture.js';
import { LogTail } from './log-tail.js';

function setup(maxInvocationChars?: number) {
  const sink = new RecordingLogSink();
  const time = new ManualTime();
  const capture = new LogCapture(sink, { accountId: '000000000000', region: 'us-east-1' }, '/aws/lambda/fn', 'stream', time, maxInvocationChars);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  capture.attach(stdout, stderr);
  return { sink, time, capture, stdout, stderr };
}

describe('LogCapture', () => {
  it('makes one event per line, from both streams, under the group and stream', async () => {
    const t = setup();
    t.stdout.write('one\ntw');
    t.stdout.write('o\n\nthree');
    t.stderr.write('err line\n');
    await turn();
    expect(t.sink.messages()).toEqual(['one', 'two', 'err line']);
    t.capture.flushPartials();
    expect(t.sink.messages()).toEqual(['one', 'two', 'err line', 'three']);
    expect(t.sink.events[0]).toMatchObject({ logGroupName: '/aws/lambda/fn', logStreamName: 'stream', timestamp: t.time.now() });
  });

  it('keeps multi-byte characters split across chunks whole', async () => {
    const t = setup();
    const bytes = Buffer.from('héllo\n');
    t.stdout.write(bytes.subarray(0, 2));
    t.stdout.write(bytes.subarray(2));
    await turn();
    expect(t.sink.messages()).toEqual(['héllo']);
  });

  it('splits lines longer than a CloudWatch event and never buffers more than one', async () => {
    const t = setup();
    t.stdout.write('x'.repeat(MAX_LOG_LINE_CHARS * 2 + 10));
    await turn();
    expect(t.sink.messages().map((m) => m.length)).toEqual([MAX_LOG_LINE_CHARS, MAX_LOG_LINE_CHARS]);
    t.stdout.write('y\n');
    await turn();
    expect(t.sink.messages().at(-1)).toBe('x'.repeat(10) + 'y');
  });

  it('collects a tail only between beginTail and endTail, platform lines included', async () => {
    const t = setup();
    t.stdout.write('before\n');
    await turn();
    t.capture.beginTail();
    t.capture.platform('START');
    t.stdout.write('during\n');
    await turn();
    t.capture.platform('END');
    expect(Buffer.from(t.capture.endTail()!, 'base64').toString()).toBe('START\nduring\nEND\n');
    expect(t.capture.endTail()).toBeUndefined();
  });

  it('drops and counts output past the per-invocation cap, then reports it once and starts afresh', async () => {
    const t = setup(20);
    t.stdout.write('0123456789\nabcdefghi\nover the cap\nmore\n');
    t.stdout.write('x'.repeat(100) + '\npartial');
    t.stderr.write('err\n');
    await turn();
    expect(t.sink.messages()).toEqual(['0123456789', 'abcdefghi']);
    t.capture.flushPartials();
    const [line] = t.capture.endInvocation('req-1');
    expect(line).toBe(
      'LOGS RequestId: req-1\tDropped: 4 lines\tDropped Size: 0.00 MB\tReason: over the limit of 0.00 MB of log output per invocation',
    );
    expect(t.capture.endInvocation('req-2')).toEqual([]);
    t.stdout.write('next\n');
    await turn();
    expect(t.sink.messages().at(-1)).toBe('next');
  });

  it('counts a flood without keeping it', async () => {
    const t = setup(1024 * 1024);
    const mb = 'y'.repeat(1024 * 1024 - 1) + '\n';
    for (let i = 0; i < 64; i++) t.stdout.write(mb);
    await turn();
    const kept = t.sink.messages().join('').length;
    expect(kept).toBeLessThanOrEqual(1024 * 1024);
    expect(t.capture.endInvocation('r')[0]).toMatch(/^LOGS RequestId: r\tDropped: 6[34] lines\tDropped Size: 6[34]\.\d\d MB\t/);
  });

  it('settles closed when both streams end', async () => {
    const t = setup();
    t.stdout.end();
    t.stderr.end();
    t.stdout.resume();
    await t.capture.closed;
  });
});

describe('LogTail', () => {
  it('keeps the last 4 KB of text, bounded in memory', () => {
    const tail = new LogTail(4096);
    for (let i = 0; i < 10_000; i++) tail.add(`line ${i} ${'z'.repeat(50)}`);
    const text = Buffer.from(tail.base64(), 'base64').toString();
    expect(Buffer.byteLength(text)).toBe(4096);
    expect(text.endsWith(`line 9999 ${'z'.repeat(50)}\n`)).toBe(true);
    expect((tail as unknown as { lines: string[] }).lines.length).toBeLessThan(100);
  });

  it('returns everything when short', () => {
    const tail = new LogTail();
    tail.add('a');
    tail.add('b');
    expect(Buffer.from(tail.base64(), 'base64').toString()).toBe('a\nb\n');
  });
});
