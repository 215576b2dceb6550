/**
 * Loads the generated AWS service models in this folder (see README.md). They are read with
 * fs next to this file, so the same code works from src/ (tests) and from dist/ (the build copies
 * *.json there, scripts/copy-assets.js).
 */
import { readFileSync } from 'node:fs';
import type { ServiceModel } from '../service-definition.js';

const cache = new Map<string, ServiceModel>();

/** The model named `name` (`lambda`, `logs`, ...), parsed once per process. */
export function loadModel(name: string): ServiceModel {
  const cached = cache.get(name);
  if (cached) return cached;
  // The name becomes a path; keep it to a plain file name.
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid model name: ${name}`);
  const url = new URL(`./${name}.json`, import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch {
    throw new Error(`no service model '${name}' (expected ${url.pathname}; run npm run gen:models)`);
  }
  const model = JSON.parse(text) as ServiceModel;
  cache.set(name, model);
  return model;
}
