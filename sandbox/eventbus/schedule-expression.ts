// EventBridge's schedule expressions as PutRule accepts them:
// `rate(value unit)` (unit minute(s), hour(s), day(s); singular exactly when
// the value is 1) and `cron(minutes hours day-of-month month day-of-week year)`
// in UTC, one of the two day fields `?`. The sandbox knows numbers, `*`, `?`,
// ranges, lists, steps and month/day names; `L`, `W` and `#` are refused by
// name rather than misread.

/** A schedule expression PutRule would refuse (AWS: `Parameter ScheduleExpression is not valid.`). */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

/** When a schedule fires next, strictly after `after` (nominal, i.e. the sandbox's clock). */
export interface Schedule {
  readonly expression: string;
  next(after: Date): Date;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
// Far enough to find any cron's next day (a 29 February on a leap year's Monday included).
const SEARCH_DAYS = 366 * 30;

const invalid = (expression: string, why: string) =>
  new ScheduleExpressionError(`Parameter ScheduleExpression is not valid: ${expression} (${why})`);

/** Parses a rate or cron expression; throws ScheduleExpressionError for one EventBridge would refuse. */
export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) return rateSchedule(expression, Number(rate[1]), rate[2] ?? '');
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronSchedule(expression, (cron[1] ?? '').trim().split(/\s+/));
  throw invalid(expression, 'expected rate(value unit) or cron(fields)');
}

function rateSchedule(expression: string, value: number, unit: string): Schedule {
  if (value < 1) throw invalid(expression, 'the value must be a positive integer');
  const singular = !unit.endsWith('s');
  if (singular !== (value === 1)) throw invalid(expression, 'the unit is singular for 1 and plural otherwise');
  const period = value * (UNIT_MS[singular ? unit : unit.slice(0, -1)] ?? 0);
  return { expression, next: (after) => new Date(after.getTime() + period) };
}

function cronSchedule(expression: string, fields: string[]): Schedule {
  if (fields.length !== 6)
    throw invalid(expression, 'cron takes 6 fields: minutes hours day-of-month month day-of-week year');
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw invalid(expression, 'exactly one of day-of-month and day-of-week must be ?');
  }
  const field = (text: string, min: number, max: number, names: string[] = []) =>
    parseField(expression, text, min, max, names);
  const allowed = {
    minutes: field(minutes, 0, 59),
    hours: field(hours, 0, 23),
    dayOfMonth: field(dayOfMonth, 1, 31),
    month: field(month, 1, 12, MONTHS),
    // AWS numbers the days 1 (Sunday) to 7 (Saturday).
    dayOfWeek: field(dayOfWeek, 1, 7, DAYS),
    year: field(year, 1970, 2199),
  };
  return {
    expression,
    next(after) {
      const start = new Date(after.getTime() + 60_000);
      start.setUTCSeconds(0, 0);
      const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
      for (let i = 0; i < SEARCH_DAYS; i++, day.setUTCDate(day.getUTCDate() + 1)) {
        if (
          !allowed.year(day.getUTCFullYear()) ||
          !allowed.month(day.getUTCMonth() + 1) ||
          !allowed.dayOfMonth(day.getUTCDate()) ||
          !allowed.dayOfWeek(day.getUTCDay() + 1)
        ) {
          continue;
        }
        for (let minute = 0; minute < 24 * 60; minute++) {
          const at = new Date(day.getTime() + minute * 60_000);
          if (at < start || !allowed.hours(Math.floor(minute / 60)) || !allowed.minutes(minute % 60)) continue;
          return at;
        }
      }
      throw invalid(expression, 'it never fires');
    },
  };
}

/** One cron field as a membership test. */
function parseField(
  expression: string,
  text: string,
  min: number,
  max: number,
  names: string[],
): (value: number) => boolean {
  if (text === '*' || text === '?') return () => true;
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, ''))) {
    throw invalid(expression, `the sandbox does not know L, W or # (in "${text}")`);
  }
  const number = (part: string): number => {
    const named = names.indexOf(part.toUpperCase());
    const value = named === -1 ? Number(part) : named + min;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw invalid(expression, `"${part}" is not in ${min}-${max}`);
    }
    return value;
  };
  const members = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalid(expression, `bad step in "${part}"`);
    const [from, to] =
      range === '*'
        ? [min, max]
        : range.includes('-')
          ? (range.split('-').map(number) as [number, number])
          : [number(range), stepText === undefined ? number(range) : max];
    if (from > to) throw invalid(expression, `"${range}" runs backwards`);
    for (let value = from; value <= to; value += step) members.add(value);
  }
  return (value) => members.has(value);
}
