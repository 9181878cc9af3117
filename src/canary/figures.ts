// How the judgement's numbers read in a reason: short, and the same everywhere
// (Slack, the release record, `release watch`).

/** A rate as a percentage with one decimal: 0.3013 → "30.1%". */
export const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

/** A p-value as a reason states it: "p < 0.0001", "p = 0.013", "p = 1". */
export function pValue(p: number): string {
  if (p < 0.0001) return 'p < 0.0001';
  if (p >= 0.9995) return 'p = 1';
  return `p = ${Number(p.toPrecision(2))}`;
}

/** A signed figure with its unit: 29.83 → "+29.8 points". */
export const signed = (value: number, unit: string, digits = 1): string =>
  `${value >= 0 ? '+' : '-'}${Math.abs(value).toFixed(digits)}${unit}`;

/** A plural noun after its count: (1, 'point') → "1 point". */
export const count = (value: number, noun: string): string =>
  `${Number(value.toFixed(2))} ${noun}${value === 1 ? '' : 's'}`;
