/** `expect-status` of an http check: a code, a list of codes, or a range such as 200-299. */

export interface StatusRule {
  matches(status: number): boolean;
  text: string;
}

export function statusRule(expect: number | number[] | string | undefined): StatusRule {
  if (expect === undefined) return range(200, 299);
  if (typeof expect === 'number') return { matches: (status) => status === expect, text: String(expect) };
  if (Array.isArray(expect)) return { matches: (status) => expect.includes(status), text: expect.join(', ') };
  const [low, high] = expect.split('-').map(Number);
  return range(low!, high ?? low!);
}

function range(low: number, high: number): StatusRule {
  return { matches: (status) => status >= low && status <= high, text: low === high ? String(low) : `${low}-${high}` };
}
