export * from './annotations.js';
export * from './bug-rule.js';
export * from './junit.js';
export * from './line.js';
export * from './location.js';
export * from './render.js';
export * from './report.js';
export * from './verdict.js';
export type * from './types.js';
