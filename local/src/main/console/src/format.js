// Small formatting helpers shared by the pages.

export const TERMINAL = new Set(['ARCHIVED', 'FAILED', 'CANCELLED', 'EXPIRED']);
export const STATES = ['ACCEPTED', 'SUBMITTED', 'OUTPUT_READY', 'ARCHIVED', 'FAILED', 'CANCELLED', 'EXPIRED'];

/** The status an app sees for a gateway state (docs/api.md): ARCHIVED is SUCCEEDED, and so on. */
export function wireStatus(task) {
  switch (task.state) {
    case 'ACCEPTED': return 'PENDING';
    case 'SUBMITTED': return task.runwayStatus || 'PENDING';
    case 'OUTPUT_READY': return 'RUNNING';
    case 'ARCHIVED': return 'SUCCEEDED';
    case 'FAILED': return 'FAILED';
    default: return 'CANCELLED';
  }
}

/**
 * One queue of the health report (GET /admin/v1/health) as the overview shows it. status: 'ok', 'problem'
 * (records wait), 'unknown' (the API failed to read it: failedChecks names it, so nothing says it is empty) or
 * 'not-checked' (the stack has no such queue); value: what the tile shows; reason: why there is no number.
 */
export function queueCheck(health, name) {
  const queues = health.queues ?? {};
  const depth = queues[name];
  if (typeof depth === 'number') return { status: depth > 0 ? 'problem' : 'ok', value: number(depth) };
  const reason = queues.notAvailable?.[name] ?? 'the API reported no depth';
  return (health.failedChecks ?? []).includes(`queues.${name}`)
    ? { status: 'unknown', value: 'unknown', reason: `could not check: ${reason}` }
    : { status: 'not-checked', value: 'n/a', reason };
}

export function time(instant) {
  if (!instant) return '—';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? instant : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

export function utcDay(date = new Date()) {
  return date.toISOString().slice(0, 10);
}

export function daysAgo(n, from = new Date()) {
  return new Date(from.getTime() - n * 86_400_000);
}

/** The seconds of a retry-after header (a number of seconds or an HTTP date), or null. */
export function retryAfterSeconds(value, now = Date.now()) {
  if (value === null || value === undefined || String(value).trim() === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A copy of a request with every data: URI replaced by a short note (they can be megabytes of base64). */
export function elideDataUris(value) {
  if (typeof value === 'string') {
    const match = /^data:([^;,]*)[;,]/.exec(value);
    return match ? `data:${match[1] || 'text/plain'},… (${number(value.length)} characters elided)` : value;
  }
  if (Array.isArray(value)) return value.map(elideDataUris);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, elideDataUris(v)]));
  }
  return value;
}

export function short(id) {
  return id && id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** A page size from the URL (#/tasks?limit=…): a whole number from 1 to 100 (the admin API's range), else `fallback`. */
export function pageSize(value, fallback) {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 1 && n <= 100 ? n : fallback;
}
