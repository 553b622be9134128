// Flat config: typescript-eslint's recommended rules on every TypeScript file of the project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.local/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // src/ and functions/ are what ships in the Lambda bundles; tooling/ (CLI, local runtime, stand-in, seed, static checks) never does.
    files: ['src/**/*.ts', 'functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tooling/**', '**/scripts/**', '**/test/**'],
              message: 'the engine (src/, functions/) ships in the Lambda bundles and must not import tooling, scripts or tests',
            },
          ],
        },
      ],
    },
  },
);
