/** Absolute and relative limits on a number, shared by the prometheus and command checks. */

export interface Limits {
  min?: number;
  max?: number;
  /** Highest allowed ratio above the baseline pool's value (0.1 = +10%). */
  maxIncrease?: number;
  /** Highest allowed ratio below the baseline pool's value. */
  maxDecrease?: number;
}

export function hasRelativeLimit(limits: Limits): boolean {
  return limits.maxIncrease !== undefined || limits.maxDecrease !== undefined;
}

export function hasAbsoluteLimit(limits: Limits): boolean {
  return limits.min !== undefined || limits.max !== undefined;
}

export function describeLimits(limits: Limits): string {
  const parts: string[] = [];
  if (limits.min !== undefined) parts.push(`>= ${limits.min}`);
  if (limits.max !== undefined) parts.push(`<= ${limits.max}`);
  if (limits.maxIncrease !== undefined) parts.push(`<= baseline × ${round(1 + limits.maxIncrease)}`);
  if (limits.maxDecrease !== undefined) parts.push(`>= baseline × ${round(1 - limits.maxDecrease)}`);
  return parts.join(', ');
}

/** Why `value` breaks the limits, or undefined when it keeps them. Relative limits need `baseline`. */
export function breach(value: number, limits: Limits, baseline?: number): string | undefined {
  if (limits.min !== undefined && value < limits.min) return `${round(value)} < min ${limits.min}`;
  if (limits.max !== undefined && value > limits.max) return `${round(value)} > max ${limits.max}`;
  if (baseline !== undefined) {
    if (limits.maxIncrease !== undefined && value > baseline * (1 + limits.maxIncrease)) {
      return `${round(value)} > baseline ${round(baseline)} × ${round(1 + limits.maxIncrease)}`;
    }
    if (limits.maxDecrease !== undefined && value < baseline * (1 - limits.maxDecrease)) {
      return `${round(value)} < baseline ${round(baseline)} × ${round(1 - limits.maxDecrease)}`;
    }
  }
  return undefined;
}

/** Four significant digits: enough for people, stable in reports. */
export function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}
