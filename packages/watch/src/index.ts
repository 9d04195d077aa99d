// The watch package: health-watch's run and its inputs.
export { readRawInputs as readWatchInputs, type RawInputs as WatchInputs } from './inputs.js';
export { run } from './run.js';
