// eslint with typescript-eslint, plus the project's layering rules (eslint/layers.js). `npm test`
// runs it; imports/ is generated and not linted.
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const layers = require('./eslint/layers');

module.exports = tseslint.config(
  { ignores: ['imports/**', 'dist/**', 'node_modules/**', 'coverage/**', '.bench/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { local: layers },
    rules: {
      'local/layering': 'error',
      'local/no-cycle': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
