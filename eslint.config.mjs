// Lint: typescript-eslint with type information, no floating promises, and the layering rules
// that keep the language service pure (see ARCHITECTURE.md, "Architecture invariants").
import tseslint from 'typescript-eslint';

const lspTransport = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-jsonrpc', 'vscode-jsonrpc/*', 'vscode-languageserver-protocol', 'vscode-languageserver-protocol/*'];
const nodeIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'bench/.work/**', 'tests/e2e/artifacts/**', '**/*.js', '**/*.mjs'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises that the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', ...nodeIo].map((name) => ({ name, message: 'The language service does no IO and knows nothing of VS Code.' })),
        patterns: [{ group: lspTransport, message: 'The language service knows nothing of LSP; convert in server/src/lsp/.' }],
      }],
      'no-console': 'error',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/service/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The server runs outside VS Code.' }] }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/src/*', '!**/server/src/protocol'], message: 'The client may import only server/src/protocol.ts from the server.' }],
      }],
    },
  },
);
