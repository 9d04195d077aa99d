export * from './action.js';
export * from './summary.js';
