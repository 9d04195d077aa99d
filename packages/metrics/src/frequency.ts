/** Deployment frequency: changes that reached production per day of the window. Pure. */
import { frequencyBand, type Band } from './bands.js';
import { isChange, oldestFirst, type DeploymentFacts } from '@cutover/github';
import { inWindow, windowDays, type Window } from './window.js';

export interface FrequencyFigure {
  /** Always a figure: no deployment in the window is 0 per day. */
  perDay: number;
  perWeek: number;
  count: number;
  days: number;
  band: Band;
  /** The deployments counted, oldest first. */
  deployments: number[];
}

/** Counts deployments that reached success in the window; rollbacks ship no change and are not counted. */
export function deploymentFrequency(all: readonly DeploymentFacts[], window: Window): FrequencyFigure {
  const counted = oldestFirst(all.filter((facts) => isChange(facts) && inWindow(window, facts.succeededAt)));
  const days = windowDays(window);
  const perDay = counted.length / days;
  return { perDay, perWeek: perDay * 7, count: counted.length, days, band: frequencyBand(perDay), deployments: counted.map((facts) => facts.id) };
}
