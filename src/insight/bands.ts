// DORA's performance bands for the four keys, as the 2023 Accelerate State of
// DevOps report publishes them (README, "The four keys", cites the source).

export type Band = 'elite' | 'high' | 'medium' | 'low';

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/** Elite: on demand (more than once a day); high: daily to weekly; medium: weekly to monthly; low: less. */
export function deploymentFrequencyBand(deploysPerDay: number): Band {
  if (deploysPerDay >= 1) return 'elite';
  if (deploysPerDay >= 1 / 7) return 'high';
  if (deploysPerDay >= 1 / 30) return 'medium';
  return 'low';
}

/** Elite: under a day; high: a day to a week; medium: a week to a month; low: more. */
export function leadTimeBand(seconds: number): Band {
  if (seconds < DAY) return 'elite';
  if (seconds <= WEEK) return 'high';
  if (seconds <= MONTH) return 'medium';
  return 'low';
}

/** Elite: 5%; high: 10%; medium: 15%; low: 64% (the report's cluster values; here the bounds between them). */
export function changeFailureRateBand(rate: number): Band {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

/** Elite: under an hour; high: under a day; medium: a day to a week; low: more. */
export function recoveryTimeBand(seconds: number): Band {
  if (seconds < HOUR) return 'elite';
  if (seconds < DAY) return 'high';
  if (seconds <= WEEK) return 'medium';
  return 'low';
}

/** The bands as text, for the CLI's and Slack's tables. */
export const BAND_TEXT = {
  deploymentFrequency: 'elite: on demand (several a day) · high: daily–weekly · medium: weekly–monthly · low: less',
  leadTime: 'elite: < 1 day · high: 1 day–1 week · medium: 1 week–1 month · low: > 1 month',
  changeFailureRate: 'elite: ≤ 5% · high: ≤ 10% · medium: ≤ 15% · low: more (2023 clusters 5/10/15/64%)',
  recoveryTime: 'elite: < 1 hour · high: < 1 day · medium: 1 day–1 week · low: > 1 week',
} as const;
