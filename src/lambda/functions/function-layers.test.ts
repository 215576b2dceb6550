import { describe, expect, it } from 'vitest';
import { checkCodeSize, checkLayerCount, layersReference } from './function-layers.js';

const layer = (unzippedSize: number) => ({ arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:1', codeSha256: 'ab', codeSize: 10, unzippedSize });

describe('function layer rules', () => {
  it('allows five layers, not six', () => {
    expect(() => checkLayerCount(Array(5).fill('a'))).not.toThrow();
    expect(() => checkLayerCount(Array(6).fill('a'))).toThrow('Cannot reference more than 5 layers.');
  });

  it('counts the function and its layers against 250 MB', () => {
    expect(() => checkCodeSize(262_144_000 - 100, [layer(100)])).not.toThrow();
    expect(() => checkCodeSize(262_144_000 - 100, [layer(60), layer(41)])).toThrow(
      'Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is 262144001 bytes.',
    );
  });

  it('shows Layers only when there are some', () => {
    expect(layersReference(undefined)).toEqual({});
    expect(layersReference([])).toEqual({});
    expect(layersReference([layer(1)])).toEqual({ Layers: [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:1', CodeSize: 10 }] });
  });
});
