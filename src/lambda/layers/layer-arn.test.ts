import { describe, expect, it } from 'vitest';
import { layerArn, layerVersionArn, localLayerName, parseLayerVersionArn } from './layer-arn.js';

const p = { region: 'us-east-1', accountId: '000000000000' };

describe('layer ARNs', () => {
  it('formats layer and layer version ARNs', () => {
    expect(layerArn(p, 'deps')).toBe('arn:aws:lambda:us-east-1:000000000000:layer:deps');
    expect(layerVersionArn(p, 'deps', 3)).toBe('arn:aws:lambda:us-east-1:000000000000:layer:deps:3');
  });

  it('parses a layer version ARN, and nothing else', () => {
    expect(parseLayerVersionArn('arn:aws:lambda:eu-west-1:123456789012:layer:my-layer_2:17')).toEqual({
      region: 'eu-west-1',
      accountId: '123456789012',
      layerName: 'my-layer_2',
      version: 17,
    });
    expect(parseLayerVersionArn('arn:aws:lambda:eu-west-1:123456789012:layer:my-layer')).toBeUndefined();
    expect(parseLayerVersionArn('arn:aws:lambda:eu-west-1:123456789012:function:f:1')).toBeUndefined();
  });

  it('takes LayerName as a name or an ARN of this account and region', () => {
    expect(localLayerName('deps', p)).toBe('deps');
    expect(localLayerName('arn:aws:lambda:us-east-1:000000000000:layer:deps', p)).toBe('deps');
    expect(localLayerName('arn:aws:lambda:us-east-1:111111111111:layer:deps', p)).toBeUndefined();
    expect(localLayerName('arn:aws:lambda:eu-west-1:000000000000:layer:deps', p)).toBeUndefined();
  });
});
