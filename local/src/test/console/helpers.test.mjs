// Unit tests of the console UI's helpers (node --test, run by Maven in the local module's test phase):
// data-URI elision, the wire status of a gateway state, a queue of the health report, and the reading of
// GET /admin/v1/metrics, including the fallback when a stack has no metrics route.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

globalThis.sessionStorage = { getItem: () => 'token', setItem() {} };
const calls = [];
let answer;
globalThis.fetch = async (url, init) => {
  calls.push({ url, headers: init.headers });
  return { ok: answer.status < 300, status: answer.status, text: async () => JSON.stringify(answer.body) };
};

const { elideDataUris, queueCheck, wireStatus } = await import('../../main/console/src/format.js');
const { loadMetrics, p95, periods, pointsFor, sumBy } = await import('../../main/console/src/metrics.js');

const METRICS = {
  start: '2026-12-03T08:00:00Z', end: '2026-12-03T10:00:00Z', period: 3600,
  metrics: [
    { name: 'TasksFinished', dimensions: ['State', 'FailureCode'], series: [
      { dimensions: { State: 'FAILED', FailureCode: 'SAFETY.INPUT.TEXT' }, sum: 2, count: 2,
        points: [{ start: '2026-12-03T09:00:00Z', sum: 2, count: 2 }] },
      { dimensions: { State: 'ARCHIVED', FailureCode: 'none' }, sum: 5, count: 5,
        points: [{ start: '2026-12-03T08:00:00Z', sum: 1, count: 1 }, { start: '2026-12-03T09:00:00Z', sum: 4, count: 4 }] },
    ] },
    { name: 'CompletionToArchived', dimensions: [], distribution: true, series: [{ dimensions: {}, sum: 9, count: 3, p95: 4.5, points: [] }] },
  ],
};

beforeEach(() => {
  calls.length = 0;
});

test('elides every data URI, keeping its media type and length', () => {
  const png = `data:image/png;base64,${'A'.repeat(1000)}`;
  const elided = elideDataUris({ promptImage: png, list: [{ uri: png }], promptText: 'data is fine', ratio: '1280:720' });
  assert.equal(elided.promptImage, 'data:image/png,… (1,022 characters elided)');
  assert.equal(elided.list[0].uri, elided.promptImage);
  assert.equal(elided.promptText, 'data is fine');
});

test('shows a gateway state as the status its app sees', () => {
  assert.equal(wireStatus({ state: 'ARCHIVED' }), 'SUCCEEDED');
  assert.equal(wireStatus({ state: 'SUBMITTED', runwayStatus: 'THROTTLED' }), 'THROTTLED');
  assert.equal(wireStatus({ state: 'OUTPUT_READY' }), 'RUNNING');
  assert.equal(wireStatus({ state: 'EXPIRED' }), 'CANCELLED');
});

test('tells a queue whose check failed apart from one the stack lacks', () => {
  const health = {
    queues: {
      pollerDeadLetters: null, streamFailures: null, notAvailable: {
        pollerDeadLetters: 'the local stack has no poller dead-letter queue', streamFailures: 'could not read q: Access denied',
      },
    },
    failedChecks: ['queues.streamFailures'],
  };
  assert.deepEqual(queueCheck(health, 'pollerDeadLetters'),
    { status: 'not-checked', value: 'n/a', reason: 'the local stack has no poller dead-letter queue' });
  assert.deepEqual(queueCheck(health, 'streamFailures'),
    { status: 'unknown', value: 'unknown', reason: 'could not check: could not read q: Access denied' });
  assert.deepEqual(queueCheck({ queues: { streamFailures: 3 } }, 'streamFailures'), { status: 'problem', value: '3' });
  assert.deepEqual(queueCheck({ queues: { streamFailures: 0 } }, 'streamFailures'), { status: 'ok', value: '0' });
  const older = { queues: { streamFailures: null, notAvailable: { streamFailures: 'could not read q' } } };
  assert.equal(queueCheck(older, 'streamFailures').status, 'not-checked', 'an API without failedChecks cannot tell');
});

test('adds up series per dimension value, filtered, and per period', () => {
  assert.deepEqual(sumBy(METRICS, 'TasksFinished', 'State'), { FAILED: 2, ARCHIVED: 5 });
  assert.deepEqual(sumBy(METRICS, 'TasksFinished', 'FailureCode', { State: 'FAILED' }), { 'SAFETY.INPUT.TEXT': 2 });
  const starts = periods(METRICS);
  assert.deepEqual(starts, ['2026-12-03T08:00:00.000Z', '2026-12-03T09:00:00.000Z']);
  assert.deepEqual(pointsFor(METRICS, 'TasksFinished', 'State', 'ARCHIVED', starts), [1, 4]);
  assert.deepEqual(pointsFor(METRICS, 'TasksFinished', 'State', 'CANCELLED', starts), [0, 0]);
  assert.equal(p95(METRICS, 'CompletionToArchived'), 4.5);
  assert.equal(p95(METRICS, 'Submits'), null);
});

test('reads the metrics route with the token, and says why when a stack cannot answer it', async () => {
  answer = { status: 200, body: METRICS };
  assert.deepEqual(await loadMetrics(24, 3600), METRICS);
  assert.equal(calls[0].url, '/admin/v1/metrics?hours=24&period=3600');
  assert.equal(calls[0].headers['X-Console-Token'], 'token');

  answer = { status: 503, body: { status: 503, detail: 'CloudWatch: Throttling' } };
  assert.equal((await loadMetrics()).unavailable, 'CloudWatch: Throttling');

  answer = { status: 404, body: { status: 404, detail: 'the API has no route GET /admin/v1/metrics' } };
  assert.match((await loadMetrics()).unavailable, /no route/);
  calls.length = 0;
  answer = { status: 200, body: METRICS };
  assert.ok((await loadMetrics()).unavailable, 'a stack without the route is not asked again');
  assert.equal(calls.length, 0);
});
