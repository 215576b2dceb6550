/**
 * Layer names and ARNs: `arn:aws:lambda:REGION:ACCOUNT:layer:NAME` for a layer and
 * `…:layer:NAME:VERSION` for one of its versions. LayerName parameters take a name or a
 * layer ARN. https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html
 */
import type { Scope } from '../../shared/scope.js';

/** A parsed layer version ARN. */
export interface LayerVersionRef {
  region: string;
  accountId: string;
  layerName: string;
  version: number;
}

const LAYER_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)$/;
const LAYER_VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/;

export function layerArn(p: Scope, layerName: string): string {
  return `arn:aws:lambda:${p.region}:${p.accountId}:layer:${layerName}`;
}

export function layerVersionArn(p: Scope, layerName: string, version: number): string {
  return `${layerArn(p, layerName)}:${version}`;
}

/** Parses a layer version ARN; undefined when it is not one (the model's pattern checks the wire). */
export function parseLayerVersionArn(arn: string): LayerVersionRef | undefined {
  const m = LAYER_VERSION_ARN.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, accountId: m[2]!, layerName: m[3]!, version: Number(m[4]) };
}

/**
 * The layer a LayerName parameter names in this account and region, or undefined when it is
 * an ARN of another account or region (which this node cannot hold).
 */
export function localLayerName(input: string, p: Scope): string | undefined {
  const m = LAYER_ARN.exec(input);
  if (!m) return input;
  return m[1] === p.region && m[2] === p.accountId ? m[3]! : undefined;
}
