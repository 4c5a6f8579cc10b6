import js from '@eslint/js'
import {defineConfig} from 'eslint/config'
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

/**
 * The layers of src/ (docs/architecture.md): each folder and what it may import. Data flows one way
 * (input → ingest → match → diagnosis → render; exit-codes → policy → migration → render; commands on top);
 * anything not listed here is forbidden, and `import-x/no-cycle` catches cycles inside a folder.
 */
const LAYERS = {
  input: [],
  ingest: ['input'],
  catalog: ['ingest', 'signals.ts'],
  match: ['catalog', 'ingest'],
  'user-rules': ['catalog', 'ingest', 'match'],
  diagnosis: ['catalog', 'ingest', 'match'],
  'exit-codes': ['signals.ts'],
  policy: ['exit-codes', 'catalog', 'ingest', 'match', 'signals.ts'],
  migration: ['policy', 'exit-codes', 'catalog', 'input', 'ingest', 'exit-status.ts'],
  render: [
    'catalog',
    'diagnosis',
    'exit-codes',
    'ingest',
    'input',
    'match',
    'migration',
    'policy',
    'user-rules',
    'follow',
    'exit-status.ts',
    'signals.ts',
  ],
  cli: ['render', 'user-rules', 'catalog', 'exit-codes', 'input', 'exit-status.ts'],
  state: ['ingest', 'input', 'diagnosis'],
  metrics: ['catalog', 'diagnosis', 'ingest', 'input'],
  follow: ['state', 'ingest', 'input', 'diagnosis'],
}
const MODULES = [...Object.keys(LAYERS), 'signals.ts', 'exit-status.ts', 'commands']
const layerZones = Object.entries(LAYERS).flatMap(([folder, allowed]) =>
  MODULES.filter((other) => other !== folder && !allowed.includes(other)).map((other) => ({
    target: `./src/${folder}`,
    from: `./src/${other}`,
    message: `src/${folder}/ may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing else in src/'} (docs/architecture.md)`,
  })),
)
// The bottom modules import nothing of the project. code-unit-order.ts (how reports break ties) and
// start-up-tiering.ts (when V8 optimizes) are not in MODULES: every layer may import them.
const bottomZones = ['signals.ts', 'exit-status.ts', 'code-unit-order.ts', 'start-up-tiering.ts'].map((file) => ({
  target: `./src/${file}`,
  from: './src',
  except: [`./${file}`],
  message: 'the bottom of the module graph imports nothing of src/',
}))

export default defineConfig(
  {ignores: ['dist/', 'dist.next/', 'node_modules/', 'coverage/', 'bench/data/', 'bench/out/']},
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // scripts/ and bench/ have no tsconfig of their own: test/tsconfig.json type-checks them.
        projectService: {allowDefaultProject: ['scripts/*.ts', 'bench/*.ts'], defaultProject: 'test/tsconfig.json'},
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {'import-x': importX},
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({project: ['tsconfig.json', 'test/tsconfig.json'], noWarnOnMultipleProjects: true}),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-control-regex': 'off', // log sanitising matches control characters on purpose
      'import-x/no-cycle': 'error',
      // Numbers, booleans and null/undefined read fine in a message; objects and arrays do not.
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true, allowBoolean: true, allowNullish: true}],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe() and it() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite']}]},
      ],
      // Tests read JSON documents (JSON.parse is `any`) and assert on their fields.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Stub streams are async generators with nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', {zones: [...layerZones, ...bottomZones]}],
      // At run time @oclif/core's index loads all of oclif (help, semver's 47 modules, ...) into the command's
      // bundle; its subpaths (args, flags, command, errors, execute) load what is used. Types cost nothing.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {name: '@oclif/core', message: "Import a subpath ('@oclif/core/flags', '/args', '/command', ...).", allowTypeImports: true},
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'bench/**/*.mjs', 'fixtures/**/*.mjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly'}},
  },
)
