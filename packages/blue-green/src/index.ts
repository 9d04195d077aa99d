// The blue-green package: blue-green-switch's run and its inputs.
export { post, readSwitchInputs, run, type SwitchInputs } from './run.js';
