/** The job summary of build-candidate (pure markdown). */
import type { CandidateManifest } from './manifest.js';

export interface SummaryInput {
  manifest: CandidateManifest;
  /** What happened: built, or promoted. */
  action: 'built' | 'promoted' | 'already released';
  /** Where it went: a release page, an artifact, nowhere. */
  published?: string;
  attestationId?: string;
}

function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function candidateSummary({ manifest, action, published, attestationId }: SummaryInput): string {
  const unpacked = manifest.files.reduce((total, file) => total + file.size, 0);
  const gate = manifest.gate ? `[${manifest.gate.name}: ${manifest.gate.conclusion}](${manifest.gate.url})` : 'not required (require-gate: false)';
  const rows: [string, string][] = [
    ['Version', `\`${manifest.version}\``],
    ['Commit', `\`${manifest.commit.slice(0, 12)}\` (${manifest.commitTime})`],
    ['Archive', `\`${manifest.archive.file}\``],
    ['Digest', `\`${manifest.archive.digest}\``],
    ['Files', String(manifest.files.length)],
    ['Size', `${bytes(manifest.archive.size)} packed, ${bytes(unpacked)} unpacked`],
    ['Gate', gate],
    ['Published', published ?? 'not published (publish: none)'],
  ];
  if (attestationId) rows.push(['Attestation', `\`${attestationId}\``]);
  const largest = [...manifest.files].sort((a, b) => b.size - a.size).slice(0, 10);
  return [
    `## Release candidate ${manifest.name} ${manifest.version} ${action}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([key, value]) => `| ${key} | ${cell(value)} |`),
    '',
    `<details><summary>Largest files (${largest.length} of ${manifest.files.length})</summary>`,
    '',
    '| File | Size | sha256 |',
    '|---|---:|---|',
    ...largest.map((file) => `| \`${cell(file.path)}\` | ${bytes(file.size)} | \`${file.sha256.slice(0, 16)}…\` |`),
    '',
    '</details>',
    '',
  ].join('\n');
}
