/** The four figures in words, the same in the job summary and on the page. Pure. */
import type { Band } from './bands.js';
import { formatFrequency, formatRate, formatSeconds, outputNumber, plural } from './format.js';
import type { Figures, MetricsReport } from './report.js';

export type FigureKey = 'deployment-frequency' | 'lead-time' | 'change-failure-rate' | 'time-to-restore';

export interface FigureText {
  key: FigureKey;
  name: string;
  /** "3.5 per week", "median 5h12m, p90 2d3h", or "no data". */
  value: string;
  band?: Band;
  /** What it is computed from, or why there is no data. */
  basis: string;
}

function version(entry: { id: number; version?: string }): string {
  return entry.version ? `${entry.id} (${entry.version})` : String(entry.id);
}

export function describeFigures(figures: Figures): FigureText[] {
  const { deploymentFrequency: frequency, leadTime, changeFailureRate: failures, timeToRestore: restore } = figures;
  const deploymentsWithCommits = leadTime.deployments.filter((deployment) => deployment.commits.length > 0).length;
  return [
    {
      key: 'deployment-frequency',
      name: 'Deployment frequency',
      value: `${formatFrequency(frequency.perDay)} (${Number(frequency.perDay.toFixed(3))} per day)`,
      band: frequency.band,
      basis: `${plural(frequency.count, 'deployment')} reached success in ${Number(frequency.days.toFixed(1))} days`,
    },
    leadTime.median === undefined
      ? { key: 'lead-time', name: 'Lead time for changes', value: 'no data', basis: leadTime.noData ?? '' }
      : {
          key: 'lead-time',
          name: 'Lead time for changes',
          value: `median ${formatSeconds(leadTime.median)}, p90 ${formatSeconds(leadTime.p90!)}`,
          band: leadTime.band!,
          basis: `${plural(leadTime.commits, 'commit')} shipped by ${plural(deploymentsWithCommits, 'deployment')}`,
        },
    failures.rate === undefined
      ? { key: 'change-failure-rate', name: 'Change failure rate', value: 'no data', basis: failures.noData ?? '' }
      : {
          key: 'change-failure-rate',
          name: 'Change failure rate',
          value: formatRate(failures.rate),
          band: failures.band!,
          basis: `${failures.failed.length} of ${plural(failures.total, 'deployment')} failed${failures.failed.length ? `: ${failures.failed.slice(0, 5).map(version).join(', ')}${failures.failed.length > 5 ? ', …' : ''}` : ''}`,
        },
    restore.median === undefined
      ? { key: 'time-to-restore', name: 'Time to restore', value: 'no data', basis: restore.noData ?? '' }
      : {
          key: 'time-to-restore',
          name: 'Time to restore',
          value: `median ${formatSeconds(restore.median)}`,
          band: restore.band!,
          basis: `${plural(restore.restorations.length, 'restoration')}${restore.open.length ? `; ${restore.open.length} still open` : ''}`,
        },
  ];
}

/** The action's outputs: per day, seconds, 0..1, seconds; '' for a figure with no data. */
export function figureOutputs(report: MetricsReport): Record<FigureKey, string> {
  const { overall } = report;
  return {
    'deployment-frequency': outputNumber(overall.deploymentFrequency.perDay),
    'lead-time': outputNumber(overall.leadTime.median === undefined ? undefined : Math.round(overall.leadTime.median)),
    'change-failure-rate': outputNumber(overall.changeFailureRate.rate),
    'time-to-restore': outputNumber(overall.timeToRestore.median === undefined ? undefined : Math.round(overall.timeToRestore.median)),
  };
}
