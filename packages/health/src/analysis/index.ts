export * from './stats.js';
export * from './proportions.js';
export * from './mann-whitney.js';
export * from './sequential.js';
export * from './compare.js';
export * from './interval.js';
export * from './decide.js';
