import js from '@eslint/js'
import {defineConfig} from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  {ignores: ['dist/', 'dist.next/', 'node_modules/', 'coverage/', 'bench/data/', 'bench/out/']},
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-control-regex': 'off', // log sanitising matches control characters on purpose
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'bench/**/*.mjs', 'fixtures/**/*.mjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly'}},
  },
)
