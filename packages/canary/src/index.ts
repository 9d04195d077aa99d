export * from './roles.js';
export * from './steps.js';
export * from './pools.js';
export * from './describe.js';
export * from './alert.js';
export * from './state.js';
export * from './summary.js';
