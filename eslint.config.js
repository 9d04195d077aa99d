import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Shell strings built from inputs are forbidden; child_process.exec takes one.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'Run programs with argv arrays (spawn/execFile or @actions/exec).' },
          ],
        },
      ],
      // A package's face names what it exports: a newcomer reads index.ts and knows the package's words.
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Name the exports (export { a, b } from ...): no export *.' }],
    },
  },
);
