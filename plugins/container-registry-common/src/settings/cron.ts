/** Bounds of the five fields of a cron expression, with the names each field accepts. */
const CRON_FIELDS: Array<{
  name: string;
  min: number;
  max: number;
  names?: string[];
}> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: [
      'JAN',
      'FEB',
      'MAR',
      'APR',
      'MAY',
      'JUN',
      'JUL',
      'AUG',
      'SEP',
      'OCT',
      'NOV',
      'DEC',
    ],
  },
  // 0 and 7 are both Sunday.
  {
    name: 'day of week',
    min: 0,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  },
];

function valueOf(
  text: string,
  field: (typeof CRON_FIELDS)[number],
): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + field.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}

function checkPart(part: string, field: (typeof CRON_FIELDS)[number]): boolean {
  const [range, step, ...rest] = part.split('/');
  if (rest.length > 0) return false;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
  if (range === '*') return true;
  const [from, to, ...more] = range.split('-');
  if (more.length > 0) return false;
  const start = valueOf(from, field);
  if (start === undefined) return false;
  if (to === undefined) return true;
  const end = valueOf(to, field);
  return end !== undefined && end >= start;
}

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week) and says
 * which field is wrong; undefined when it is valid.
 */
export function checkCronExpression(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  }
  for (const [index, text] of fields.entries()) {
    const field = CRON_FIELDS[index];
    if (!text.split(',').every(part => checkPart(part, field))) {
      return `its ${field.name} field "${text}" is not valid (${field.min}–${field.max}, *, ranges a-b, steps /n, lists a,b)`;
    }
  }
  return undefined;
}
