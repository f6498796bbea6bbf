// Layering rules, checked by `pnpm lint:deps` (part of `pnpm test`): what may import what across the workspace.
const pushServices = '(apns|fcm|webpush|huawei)';
// Tests and their helpers may reach across layers (a test starts what it tests); production code may not.
const testCode = '(\\.test\\.ts$|/test-support/|/test-[^/]*\\.ts$|-harness\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and hides which module owns a fact.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'packages-not-to-services',
      severity: 'error',
      comment: 'Libraries are used by the services, never the other way round.',
      from: { path: '^packages/', pathNot: testCode },
      to: { path: '^services/' },
    },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      comment: 'core holds the shared types and config; it imports no other workspace package.',
      from: { path: '^packages/core/', pathNot: testCode },
      to: { path: '^(packages/(?!core/)|services/|test/)' },
    },
    {
      name: 'push-services-stand-alone',
      severity: 'error',
      comment:
        'A push service is one package behind the provider interface: it never imports another push service or the worker.',
      from: { path: `^packages/${pushServices}/`, pathNot: testCode },
      to: { path: `^(packages/${pushServices}/|services/)`, pathNot: `^packages/$1/` },
    },
    {
      name: 'services-stand-alone',
      severity: 'error',
      comment: 'ingest and worker are separate deployables; only the pushwire command composes them.',
      from: { path: '^services/(ingest|worker)/', pathNot: testCode },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'production-not-to-tests',
      severity: 'error',
      comment: 'No production module reaches into the test tree.',
      from: { path: '^(packages|services)/', pathNot: testCode },
      to: { path: '^test/' },
    },
    {
      name: 'sandbox-emulators-only-in-the-sandbox',
      severity: 'error',
      comment:
        'The emulators are a development dependency: only the sandbox loader imports them (lazily), and only the emulators themselves import each other.',
      from: {
        path: '^(packages|services)/',
        pathNot: `${testCode}|^services/pushwire/src/sandbox-loader\\.ts$|^packages/sandbox-emulators/`,
      },
      to: { path: '^packages/sandbox-emulators/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'Every import resolves, so a package cannot use another it does not declare.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'declared-dependencies',
      severity: 'error',
      comment: 'A package imports only what its own package.json declares.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      conditionNames: ['pushwire-source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
