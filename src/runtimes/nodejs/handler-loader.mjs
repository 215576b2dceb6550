// @ts-check
/**
 * Resolves the function's handler from `_HANDLER` the way AWS's Node.js runtime does
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html):
 *
 *   `lib/deep/app.nested.fn` → module `lib/deep/app` relative to LAMBDA_TASK_ROOT, then the
 *   property path `nested.fn` on what it exports.
 *
 * Files are tried in AWS's order: the exact name, `.js`, `.mjs`, `.cjs`, and finally Node's own
 * resolution (`node_modules`, NODE_PATH, directory `index`). CommonJS is loaded with `require`, so
 * `module.exports` is the object the handler is looked up on, whatever its shape; ES modules
 * (`.mjs`, or `.js` under a package.json with `"type": "module"`) with `import()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './errors.mjs';

const require = createRequire(import.meta.url);

/** @typedef {(event: unknown, context: object, callback: (err?: unknown, result?: unknown) => void) => unknown} Handler */

/**
 * Loads the user's module and returns the handler function.
 * @param {string} taskRoot absolute LAMBDA_TASK_ROOT
 * @param {string} handlerString `_HANDLER`
 * @returns {Promise<Handler>}
 * @throws {MalformedHandlerName | ImportModuleError | UserCodeSyntaxError | HandlerNotFound} or
 *   whatever the module's own initialisation throws.
 */
export async function loadHandler(taskRoot, handlerString) {
  if (handlerString.includes('..')) {
    throw new MalformedHandlerName(
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const { moduleRoot, moduleName, propertyPath } = parseHandlerString(handlerString);
  const exported = await loadModule(taskRoot, moduleRoot, moduleName);
  const handler = propertyPath.split('.').reduce((/** @type {any} */ obj, key) => obj && obj[key], exported);
  if (!handler) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  return handler;
}

/**
 * `a/b/mod.x.y` → { moduleRoot: 'a/b/', moduleName: 'mod', propertyPath: 'x.y' }.
 * @param {string} handlerString
 */
export function parseHandlerString(handlerString) {
  const file = basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - file.length);
  const dot = file.indexOf('.');
  if (dot < 0) throw new MalformedHandlerName('Bad handler');
  return { moduleRoot, moduleName: file.slice(0, dot), propertyPath: file.slice(dot + 1) };
}

/**
 * @param {string} taskRoot
 * @param {string} moduleRoot
 * @param {string} moduleName
 * @returns {Promise<unknown>}
 */
async function loadModule(taskRoot, moduleRoot, moduleName) {
  const base = resolve(taskRoot, moduleRoot, moduleName);
  try {
    if (existsSync(base)) return require(base);
    const isModuleScope = inModuleScope(dirname(base));
    if (existsSync(`${base}.js`)) return isModuleScope ? await importFile(`${base}.js`) : require(`${base}.js`);
    if (existsSync(`${base}.mjs`)) return await importFile(`${base}.mjs`);
    if (existsSync(`${base}.cjs`)) return require(`${base}.cjs`);
    // Node's own resolution; its MODULE_NOT_FOUND message ("Cannot find module 'x'\nRequire
    // stack: ...") is the one AWS reports.
    const found = require.resolve(moduleName, { paths: [taskRoot, join(taskRoot, moduleRoot)] });
    return found.endsWith('.mjs') || (found.endsWith('.js') && inModuleScope(dirname(found))) ? await importFile(found) : require(found);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UserCodeSyntaxError(err);
    if (/** @type {any} */ (err)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(String(err));
    throw err;
  }
}

/** @param {string} file */
function importFile(file) {
  return import(pathToFileURL(file).href);
}

/**
 * Whether `.js` files in `dir` are ES modules: the nearest package.json says `"type": "module"`.
 * The search stops at a `node_modules` folder, as AWS's does.
 * @param {string} dir
 * @returns {boolean}
 */
function inModuleScope(dir) {
  for (let current = dir; ; current = dirname(current)) {
    if (current.endsWith('/node_modules')) return false;
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8'))?.type === 'module';
      } catch (err) {
        console.warn(`${manifest} cannot be read, it will be ignored for ES module detection purposes.`, err);
        return false;
      }
    }
    if (current === dirname(current)) return false;
  }
}
