/**
 * The layers, as `npm test` checks them (docs/ARCHITECTURE.md, "Rules the code keeps"):
 *
 *   server (composition root) → anything below it; cli → server
 *   edge (wire) → kit;  lambda, services → kit, sandbox, store, observe, runtimes
 *   sandbox → runtimes;  observe → store;  everything → shared
 *
 * A service reaches another only through in-process calls: it may import another service's
 * `api.ts` (typed operation references), nothing else of it. Tests and shared suites are not
 * checked: they may reach anything.
 */
const NOT_TESTS = '\\.(test|case)\\.ts$|\\.test-support\\.ts$';

/** Another service's typed operation references and exports: all a service may import of it. */
const SERVICE_APIS = 'services/[^/]+/api\\.ts$';

/** A layer may import only from itself and the layers (folders, or patterns of files) listed. */
function layer(name, from, allowed) {
  return {
    name,
    severity: 'error',
    comment: `${from} may import only from ${allowed.join(', ')}`,
    from: { path: `^src/${from}/`, pathNot: NOT_TESTS },
    to: { path: '^src/', pathNot: `^src/(${[from, ...allowed].map((a) => (a.endsWith('$') ? a : `${a}/`)).join('|')})` },
  };
}

module.exports = {
  forbidden: [
    layer('shared-is-a-leaf', 'shared', []),
    layer('kit-on-shared', 'kit', ['shared', 'store']),
    {
      name: 'kit-names-store-types-only',
      severity: 'error',
      comment: 'the kit names the store in its types (the platform a plugin gets), and runs none of it',
      from: { path: '^src/kit/', pathNot: NOT_TESTS },
      to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
    },
    layer('edge-is-wire-only', 'edge', ['kit', 'shared']),
    layer('store-on-shared', 'store', ['shared']),
    layer('runtimes-on-shared', 'runtimes', ['shared']),
    layer('sandbox-never-sees-the-control-plane', 'sandbox', ['runtimes', 'shared']),
    layer('observe-on-store', 'observe', ['store', 'shared']),
    layer('lambda-below-the-edge', 'lambda', ['kit', 'sandbox', 'store', 'observe', 'runtimes', 'shared', SERVICE_APIS]),
    layer('services-below-the-edge', 'services', ['kit', 'sandbox', 'store', 'observe', 'runtimes', 'shared', 'lambda/api\\.ts$']),
    layer('cli-through-the-api', 'cli', ['server', 'shared']),
    {
      name: 'services-meet-through-calls',
      severity: 'error',
      comment: "a service imports another service's api.ts only (in-process calls), never its internals",
      from: { path: '^src/services/([^/]+)/', pathNot: NOT_TESTS },
      to: { path: '^src/services/', pathNot: ['^src/services/$1/', `^src/${SERVICE_APIS}`] },
    },
    {
      name: 'nothing-imports-the-root',
      severity: 'error',
      comment: 'only the CLI starts the server',
      from: { path: '^src/', pathNot: ['^src/(server|cli)/', NOT_TESTS] },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'product-code-imports-no-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: NOT_TESTS },
      to: { path: `^test/|${NOT_TESTS}` },
    },
    {
      name: 'imports-resolve',
      severity: 'error',
      comment: 'an import the checker cannot resolve is one it cannot check',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules that import each other, directly or around a loop',
      from: { pathNot: NOT_TESTS },
      to: { circular: true, viaOnly: { pathNot: NOT_TESTS } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
