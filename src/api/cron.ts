// Cron schedules as CronJobs read them (robfig/cron's ParseStandard, which kube-controller-manager
// and CronJob validation use): five fields (minute hour day-of-month month day-of-week) with
// `*`, `?`, lists, ranges, steps and JAN–DEC / SUN–SAT names, or a descriptor (@yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>). When both
// day-of-month and day-of-week are restricted, a day matching either one counts. Times are
// evaluated on the wall clock of a time zone (UTC unless one is named). Errors carry robfig's words.

export interface Schedule {
  /** The first activation strictly after `afterMs` (epoch ms), undefined when there is none within five years. */
  next(afterMs: number): number | undefined;
}

interface Field { min: number; max: number; names?: Record<string, number> }

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class CronError extends Error {}

/** mustParseInt: a decimal integer (Go's Atoi), never negative. */
function parseInt10(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CronError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function parseValue(s: string, f: Field): number {
  const key = s.toLowerCase();
  const named = f.names && Object.hasOwn(f.names, key) ? f.names[key] : undefined;
  return named ?? parseInt10(s);
}

/** One comma-separated part: `*`, `?`, `a`, `a-b`, each optionally `/step`. Returns the set bits and whether it was a star. */
function parseRange(expr: string, f: Field): { values: Set<number>; star: boolean } {
  const [rangeAndStep, stepText, extra] = expr.split('/');
  if (extra !== undefined) throw new CronError(`too many slashes: ${expr}`);
  const lowAndHigh = rangeAndStep!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = f.min;
    end = f.max;
    star = true;
  } else {
    start = parseValue(lowAndHigh[0]!, f);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1]!, f);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  // (after a star robfig reads no bound: `*-5` is `*`)
  let step = 1;
  if (stepText !== undefined) {
    step = parseInt10(stepText);
    // a single number with a step means `n-max/step`
    if (!star && lowAndHigh.length === 1) end = f.max;
    if (step > 1) star = false;
  }
  if (start < f.min) throw new CronError(`beginning of range (${start}) below minimum (${f.min}): ${expr}`);
  if (end > f.max) throw new CronError(`end of range (${end}) above maximum (${f.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

function parseField(text: string, f: Field): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const r = parseRange(part, f);
    for (const v of r.values) values.add(v);
    star ||= r.star;
  }
  return { values, star };
}

/** Go's time.ParseDuration for the `@every` descriptor (h, m, s, ms; fractions allowed). */
function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let i = 0;
  if (s === '' || s === '0') return 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new CronError(`failed to parse duration @every ${s}: time: invalid duration ${JSON.stringify(s)}`);
    ms += Number(m[1]) * units[m[2]!]!;
    i = re.lastIndex;
  }
  return ms;
}

/** Wall-clock parts of an instant in a time zone. */
function wallClock(ms: number, timeZone: string | undefined): { y: number; mo: number; d: number; h: number; mi: number; dow: number } {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const t = new Date(ms);
    return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), dow: t.getUTCDay() };
  }
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const y = get('year');
  const mo = get('month');
  const d = get('day');
  return { y, mo, d, h: get('hour'), mi: get('minute'), dow: new Date(Date.UTC(y, mo - 1, d)).getUTCDay() };
}

/** IANA name components as CronJob validation allows them (validTimeZoneCharacters). */
export const isTimeZoneNamePart = (part: string): boolean => part !== '.' && part !== '..' && !part.startsWith('-') && /^[A-Za-z.\-_0-9+]{1,14}$/.test(part);

/**
 * Is this a time zone name Go's time.LoadLocation finds (a tz database file name, case and all)?
 * The runtime's zones stand in for the database; it also takes offsets and any case, Go does not.
 */
export function isKnownTimeZone(name: string): boolean {
  if (name === '' || name === 'Local' || !name.split('/').every(isTimeZoneNamePart)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}

class FieldSchedule implements Schedule {
  private readonly f: { values: Set<number>; star: boolean }[];
  private readonly timeZone?: string;
  constructor(fields: { values: Set<number>; star: boolean }[], timeZone?: string) {
    this.f = fields;
    this.timeZone = timeZone;
  }

  private dayMatches(d: number, dow: number): boolean {
    const dom = this.f[2]!;
    const wd = this.f[4]!;
    const domOk = dom.values.has(d);
    const dowOk = wd.values.has(dow);
    if (dom.star || wd.star) return domOk && dowOk;
    return domOk || dowOk;
  }

  next(afterMs: number): number | undefined {
    // Start at the next whole minute; walk minutes, skipping whole hours and days that cannot match.
    let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
    const limit = afterMs + 5 * 366 * 86_400_000;
    while (t <= limit) {
      const w = wallClock(t, this.timeZone);
      if (!this.f[3]!.values.has(w.mo) || !this.dayMatches(w.d, w.dow)) {
        t += ((23 - w.h) * 60 + (60 - w.mi)) * 60_000; // to the next day's midnight (wall clock)
        continue;
      }
      if (!this.f[1]!.values.has(w.h)) {
        t += (60 - w.mi) * 60_000;
        continue;
      }
      if (!this.f[0]!.values.has(w.mi)) {
        t += 60_000;
        continue;
      }
      return t;
    }
    return undefined;
  }
}

class EverySchedule implements Schedule {
  private readonly ms: number;
  constructor(ms: number) {
    this.ms = Math.max(1000, Math.floor(ms / 1000) * 1000);
  }
  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.ms;
  }
}

/** Parses a schedule; throws an Error with robfig/cron's message when it does not parse. */
export function parseSchedule(spec: string, timeZone?: string): Schedule {
  let text = spec.trim();
  if (text === '') throw new CronError('empty spec string');
  let tz = timeZone;
  const tzm = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (tzm) {
    if (!isKnownTimeZone(tzm[1]!)) throw new CronError(`provided bad location ${tzm[1]}: unknown time zone ${tzm[1]}`);
    tz = tzm[1];
    text = tzm[2]!.trim();
  }
  if (text.startsWith('@')) {
    if (text.startsWith('@every ')) return new EverySchedule(parseDuration(text.slice('@every '.length).trim()));
    const d = Object.hasOwn(DESCRIPTORS, text) ? DESCRIPTORS[text] : undefined; // robfig knows them in lower case only
    if (!d) throw new CronError(`unrecognized descriptor: ${text}`);
    text = d;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  return new FieldSchedule(parts.map((p, i) => parseField(p, FIELDS[i]!)), tz);
}

/** The error robfig/cron gives for a schedule, or undefined when it parses. */
export function scheduleError(spec: string): string | undefined {
  try {
    parseSchedule(spec);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}
