/**
 * A zip uploaded as ZipFile (CreateFunction, UpdateFunctionCode, PublishLayerVersion): checked
 * against Lambda's size limits and stored in the code store, with Lambda's errors.
 */
import { LambdaErrors } from '../lambda-errors.js';
import { LIMITS } from '../functions/function-rules.js';
import type { CodeStore, StoredCode } from './code-store.js';
import { ZipRejected } from './zip-extract.js';

/** Stores `zip`; `operation` names the API call in the too-large message, as Lambda's does. */
export async function storeUpload(code: CodeStore, zip: Buffer | undefined, operation: string): Promise<StoredCode> {
  if (!zip || zip.length === 0) {
    throw LambdaErrors.invalidParameter('Please provide a source for function code.');
  }
  if (zip.length > LIMITS.zipBytes) {
    throw LambdaErrors.tooLarge(`Request must be smaller than ${LIMITS.zipRequestBytes} bytes for the ${operation} operation`);
  }
  try {
    return await code.put(zip);
  } catch (err) {
    if (!(err instanceof ZipRejected)) throw err;
    if (err.reason === 'too-large') {
      throw LambdaErrors.invalidParameter(`Unzipped size must be smaller than ${LIMITS.unzippedBytes} bytes`);
    }
    if (err.reason === 'not-a-zip') {
      throw LambdaErrors.invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    throw LambdaErrors.invalidParameter(`Could not unzip uploaded file: ${err.message}`);
  }
}
