// Reading GET /admin/v1/metrics (docs/admin-api.md, "Metrics"): the gateway's own metrics over a window,
// one series per combination of dimension values, each with sum/count (and max/p50/p95 for distributions)
// and per-period points.
import { get } from './api.js';

let routeMissing = false;

/**
 * The last `hours` of metrics with hourly points, or {unavailable: reason} when the stack has no metrics
 * route (deployed from a version before it: not asked again in this page's life) or cannot read them now.
 */
export async function loadMetrics(hours = 24, period = 3600) {
  if (routeMissing) return { unavailable: 'this stack has no metrics route (GET /admin/v1/metrics)' };
  try {
    return await get('/metrics', { hours, period });
  } catch (e) {
    if (e.status === 404) {
      routeMissing = true;
      return { unavailable: e.message };
    }
    if (e.status === 503) return { unavailable: e.message };
    throw e;
  }
}

/** The named metric's series ([] when absent). */
export function seriesOf(metrics, name) {
  return metrics?.metrics?.find((m) => m.name === name)?.series ?? [];
}

/** Sum of a metric's series per value of one dimension, optionally only series matching `where`. */
export function sumBy(metrics, name, dimension, where = {}) {
  const out = {};
  for (const s of seriesOf(metrics, name)) {
    if (Object.entries(where).some(([k, v]) => s.dimensions[k] !== v)) continue;
    const key = s.dimensions[dimension];
    out[key] = (out[key] ?? 0) + s.sum;
  }
  return out;
}

/**
 * PossibleOrphans over the window: creates that may have left a resource at Runway that no app owns. total: the sum
 * over every Kind; byKind: the count per kind (kinds with none left out), largest first; text: them in words
 * ("documents: 2, avatars: 1"), '' when none.
 */
export function possibleOrphans(metrics) {
  const byKind = Object.entries(sumBy(metrics, 'PossibleOrphans', 'Kind')).filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    total: byKind.reduce((sum, [, n]) => sum + n, 0), byKind: Object.fromEntries(byKind),
    text: byKind.map(([kind, n]) => `${kind}: ${n}`).join(', '),
  };
}

/** The window's period starts, in order. */
export function periods(metrics) {
  const out = [];
  const step = metrics.period * 1000;
  for (let t = Date.parse(metrics.start); t < Date.parse(metrics.end); t += step) out.push(new Date(t).toISOString());
  return out;
}

/** Per period, the sum of the series whose `dimension` has value `value` (0 where a period has no point). */
export function pointsFor(metrics, name, dimension, value, starts) {
  const byStart = {};
  for (const s of seriesOf(metrics, name)) {
    if (dimension && s.dimensions[dimension] !== value) continue;
    for (const p of s.points) byStart[Date.parse(p.start)] = (byStart[Date.parse(p.start)] ?? 0) + p.sum;
  }
  return starts.map((start) => byStart[Date.parse(start)] ?? 0);
}

/** The largest p95 over the window among a distribution metric's series, or null. */
export function p95(metrics, name) {
  const values = seriesOf(metrics, name).map((s) => s.p95).filter((v) => v !== null && v !== undefined);
  return values.length ? Math.max(...values) : null;
}
