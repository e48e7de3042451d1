// Re-exports typescript-eslint as resolved from this folder, where `typescript` is 5.9 (see package.json).
export { default } from 'typescript-eslint';
export * from 'typescript-eslint';
