export * from './errors.js';
export * from './duration.js';
export * from './inputs.js';
export * from './environment.js';
export * from './schema.js';
export * from './split.js';
export type * from './types.js';
export type * from './traffic.js';
