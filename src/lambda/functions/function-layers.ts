/**
 * A function's Layers: up to five layer versions of this account and region, no two of the
 * same layer, whose unzipped size with the function's own code stays within 250 MB. Checked
 * before anything is written, with Lambda's messages; the merged /opt tree is built before the
 * function record that needs it is stored.
 * https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
 */
import { LambdaErrors } from '../lambda-errors.js';
import type { FunctionLayer } from '../store/function-store.js';
import type { CodeStore } from '../code/code-store.js';
import type { LambdaDeps } from '../deps.js';
import { LIMITS } from './function-rules.js';
import { parseLayerVersionArn } from '../layers/layer-arn.js';

/** Layers one function may reference. */
export const MAX_FUNCTION_LAYERS = 5;

export function checkLayerCount(arns: readonly string[]): void {
  if (arns.length > MAX_FUNCTION_LAYERS) {
    throw LambdaErrors.invalidParameter(`Cannot reference more than ${MAX_FUNCTION_LAYERS} layers.`);
  }
}

/** Looks every ARN up, in order; throws Lambda's error for the first one it cannot use. */
export async function resolveLayers(deps: LambdaDeps, arns: readonly string[]): Promise<FunctionLayer[]> {
  checkLayerCount(arns);
  const { scope } = deps;
  const seen = new Map<string, string>();
  const layers: FunctionLayer[] = [];
  for (const arn of arns) {
    const ref = parseLayerVersionArn(arn);
    if (!ref) throw LambdaErrors.invalidParameter(`Layer version ${arn} does not exist.`);
    if (ref.accountId !== scope.accountId) {
      // One account per node: another account's layer is one no policy lets this caller read.
      throw LambdaErrors.accessDenied(
        `User: arn:aws:iam::${scope.accountId}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} ` +
          'because no resource-based policy allows the lambda:GetLayerVersion action'
      );
    }
    if (ref.region !== scope.region) {
      throw LambdaErrors.invalidParameter(
        `Layers are not in the same region as the function. Layers are expected to be in region ${scope.region}.`,
      );
    }
    const record = await deps.store.layers.get(ref.layerName, ref.version);
    if (!record) throw LambdaErrors.invalidParameter(`Layer version ${arn} does not exist.`);
    const earlier = seen.get(ref.layerName);
    if (earlier !== undefined) {
      throw LambdaErrors.invalidParameter(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier} and ${arn} are versions of the same layer.`,
      );
    }
    seen.set(ref.layerName, arn);
    layers.push({ arn, codeSha256: record.codeSha256, codeSize: record.codeSize, unzippedSize: record.unzippedSize });
  }
  return layers;
}

/** The 250 MB limit counts the function's unzipped code and every layer's. */
export function checkCodeSize(functionUnzippedBytes: number, layers: readonly FunctionLayer[]): void {
  const total = layers.reduce((sum, l) => sum + l.unzippedSize, functionUnzippedBytes);
  if (layers.length > 0 && total > LIMITS.unzippedBytes) {
    throw LambdaErrors.invalidParameter(
      `Function code combined with layers exceeds the maximum allowed size of ${LIMITS.unzippedBytes} bytes. The actual size is ${total} bytes.`,
    );
  }
}

/** Builds the merged /opt of these layers (once per distinct ordered list). */
export async function prepareLayerTree(code: CodeStore, layers: readonly FunctionLayer[]): Promise<void> {
  if (layers.length > 0) await code.putLayerTree(layers.map((l) => l.codeSha256));
}

/** FunctionConfiguration.Layers. */
export function layersReference(layers: readonly FunctionLayer[] | undefined): { Layers?: { Arn: string; CodeSize: number }[] } {
  return layers?.length ? { Layers: layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {};
}
