import { describe, expect, it } from 'vitest';
import { pageAfter } from './list-marker.js';

describe('pageAfter', () => {
  it('pages through a sorted list and resumes after the last key', () => {
    const items = ['1', '2', 'live', 'test'];
    const first = pageAfter(items, (x) => x, undefined, 2);
    expect(first.page).toEqual(['1', '2']);
    const second = pageAfter(items, (x) => x, first.nextMarker, 2);
    expect(second).toEqual({ page: ['live', 'test'] });
  });

  it('refuses a marker it did not make', () => {
    expect(() => pageAfter(['a'], (x) => x, 'garbage', 2)).toThrow(/Invalid Marker/);
  });
});
