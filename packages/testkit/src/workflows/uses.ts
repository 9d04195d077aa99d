/**
 * What a `uses:` names: one of this repository's actions (run from its bundle in dist/), an allowed
 * action of someone else (run through the test's stand-in), or something the simulator refuses.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../node24.js';
import { readActionYaml, type ActionYaml } from '../run-action.js';
import { ALLOWED_ACTIONS } from './standins.js';

export type Uses = { kind: 'ours'; name: string; dir: string; spec: ActionYaml } | { kind: 'stand-in'; name: string; inputs: string[] };

// `./actions/<name>` (this repository's workflows) or `<owner>/cutover/actions/<name>@<ref>` (users').
const OURS = /^(?:\.\/actions\/([a-z0-9-]+)|[A-Za-z0-9_.-]+\/cutover\/actions\/([a-z0-9-]+)@[^@\s]+)$/;
const OTHERS = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)@[^@\s]+$/;

const specs = new Map<string, ActionYaml>();

/** Resolves a `uses:`; throws naming it when the simulator does not run it. */
export function resolveUses(uses: string): Uses {
  const ours = OURS.exec(uses);
  if (ours) {
    const name = (ours[1] ?? ours[2])!;
    const dir = join(repoRoot, 'actions', name);
    if (!existsSync(join(dir, 'action.yml'))) throw new Error(`uses: ${uses}: this repository has no action ${name}`);
    let spec = specs.get(dir);
    if (!spec) {
      spec = readActionYaml(dir);
      specs.set(dir, spec);
    }
    return { kind: 'ours', name, dir, spec };
  }
  if (uses.startsWith('docker://')) throw new Error(`uses: ${uses}: container actions are not modelled by the simulator`);
  if (uses.startsWith('./')) throw new Error(`uses: ${uses}: local actions other than ./actions/<name> of this repository are not modelled by the simulator`);
  const other = OTHERS.exec(uses);
  if (other && ALLOWED_ACTIONS[other[1]!]) return { kind: 'stand-in', name: other[1]!, inputs: ALLOWED_ACTIONS[other[1]!]! };
  if (/^[^/]+\/[^/]+\/\.github\/workflows\//.test(uses)) throw new Error(`uses: ${uses}: reusable workflows are not modelled by the simulator`);
  throw new Error(`uses: ${uses}: not an action the simulator runs (this repository's actions, or a stand-in for ${Object.keys(ALLOWED_ACTIONS).join(', ')})`);
}
