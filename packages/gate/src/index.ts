// The gate package: test-gate's run and its inputs.
export { readGateInputs, run, type GateInputs } from './run.js';
