// Unit tests of the console UI's helpers (node --test, run by Maven in the local module's test phase):
// data-URI elision, the wire status of a gateway state, a queue of the health report, the reading of
// GET /admin/v1/metrics, including the fallback when a stack has no metrics route, and the orphans page's logic
// (its URL, what a scanned page says, a refused assign or delete, retry-after), the possible orphans of the metrics,
// the task list's page size, and which answer a poll may show for the query of the moment (usePoll).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

globalThis.sessionStorage = { getItem: () => 'token', setItem() {} };
const calls = [];
let answer;
globalThis.fetch = async (url, init) => {
  calls.push({ url, headers: init.headers });
  const headers = new Map(Object.entries(answer.headers ?? {}));
  return {
    ok: answer.status < 300, status: answer.status, headers: { get: (name) => headers.get(name) ?? null },
    text: async () => JSON.stringify(answer.body),
  };
};

const { elideDataUris, pageSize, queueCheck, retryAfterSeconds, wireStatus } = await import('../../main/console/src/format.js');
const { ApiError, del, post } = await import('../../main/console/src/api.js');
const { actionHint, likelyApp, orphanQuery, scanSummary, settlingCount } = await import('../../main/console/src/orphans.js');
const { loadMetrics, p95, periods, pointsFor, possibleOrphans, sumBy } = await import('../../main/console/src/metrics.js');
const { answerFor, sameDeps } = await import('../../main/console/src/poll.js');

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
    { name: 'PossibleOrphans', dimensions: ['Kind'], series: [
      { dimensions: { Kind: 'avatars' }, sum: 1, count: 1, points: [{ start: '2026-12-03T09:00:00Z', sum: 1, count: 1 }] },
      { dimensions: { Kind: 'documents' }, sum: 2, count: 2, points: [{ start: '2026-12-03T08:00:00Z', sum: 2, count: 2 }] },
    ] },
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

test('adds up possible orphans over every kind, naming each kind with its count', () => {
  assert.deepEqual(possibleOrphans(METRICS), { total: 3, byKind: { documents: 2, avatars: 1 }, text: 'documents: 2, avatars: 1' });
  const none = { ...METRICS, metrics: [{ name: 'PossibleOrphans', dimensions: ['Kind'], series: [] }] };
  assert.deepEqual(possibleOrphans(none), { total: 0, byKind: {}, text: '' });
  assert.equal(possibleOrphans({ metrics: [] }).total, 0, 'a registry without the metric: none');
  const tie = { metrics: [{ name: 'PossibleOrphans', series: [
    { dimensions: { Kind: 'voices' }, sum: 1 }, { dimensions: { Kind: 'avatars' }, sum: 1 }, { dimensions: { Kind: 'documents' }, sum: 0 },
  ] }] };
  assert.equal(possibleOrphans(tie).text, 'avatars: 1, voices: 1', 'equal counts by name; kinds with none left out');
});

test('reads the task list page size from the URL, within the admin API range', () => {
  assert.equal(pageSize(undefined, 25), 25);
  assert.equal(pageSize('', 25), 25);
  assert.equal(pageSize('2', 25), 2);
  assert.equal(pageSize('100', 25), 100);
  for (const bad of ['0', '101', '2.5', 'many', '-1']) assert.equal(pageSize(bad, 25), 25, bad);
});

test('a poll shows an answer only under the deps it was loaded for', () => {
  const page1 = { deps: ['{}', 25, undefined], data: { data: [{ id: 't1' }] }, error: undefined, updatedAt: new Date(0) };
  assert.deepEqual(answerFor(page1, ['{}', 25, undefined]), { data: page1.data, error: undefined, updatedAt: page1.updatedAt });
  assert.deepEqual(answerFor(page1, ['{}', 25, 'cursor-2']), { data: undefined, error: undefined, updatedAt: undefined },
    'the render after Next page shows nothing yet, not page 1 as page 2');
  assert.equal(answerFor(page1, ['{}', 25]).data, undefined, 'other deps length');
  assert.equal(answerFor({ deps: undefined, data: 'x' }, []).data, undefined, 'nothing loaded yet');
  assert.equal(answerFor({ deps: [], data: 'x' }, []).data, 'x');
  assert.ok(sameDeps([NaN, 'a'], [NaN, 'a']), 'compared as hooks compare (Object.is)');
  assert.ok(!sameDeps([0], [-0]));
  assert.ok(!sameDeps(['1'], [1]));
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

test('reads the orphans page URL: kind and page size, an unknown kind named rather than scanned', () => {
  assert.deepEqual(orphanQuery({}), { kind: 'documents', limit: 50 });
  assert.deepEqual(orphanQuery({ kind: 'voices', limit: '10' }), { kind: 'voices', limit: 10 });
  assert.equal(orphanQuery({ kind: 'avatars', limit: '0' }).limit, 50);
  assert.equal(orphanQuery({ limit: '101' }).limit, 50);
  assert.equal(orphanQuery({ limit: '2.5' }).limit, 50);
  const unknown = orphanQuery({ kind: 'realtime_sessions' });
  assert.equal(unknown.kind, 'realtime_sessions');
  assert.match(unknown.problem, /choose documents, avatars, voices, avatar_conversations\.$/);
  assert.deepEqual(orphanQuery({ kind: 'avatar_conversations' }), { kind: 'avatar_conversations', limit: 50 });
});

test('says a page without orphans but with a next cursor is not the end', () => {
  const more = scanSummary({ kind: 'documents', examined: 50, data: [], nextCursor: 'oc1.x' });
  assert.equal(more.state, 'none-more');
  assert.match(more.text, /^No orphan among the 50 documents examined on this page, but Runway's list goes on/);
  const end = scanSummary({ kind: 'voices', examined: 3, data: [] });
  assert.deepEqual(end, { state: 'none-end', text: "No orphan among the 3 voices examined on this page; Runway's list ends here." });
  const found = scanSummary({ kind: 'avatars', examined: 1200, data: [{ id: 'a' }, { id: 'b' }], nextCursor: 'oc1.y' });
  assert.equal(found.state, 'found');
  assert.equal(found.text, "2 orphans among the 1,200 avatars examined on this page. More of Runway's list follows: see the next page.");
  assert.match(scanSummary({ kind: 'documents', examined: 1, data: [{ id: 'a' }] }).text, /^1 orphan among .* ends here\.$/);
});

test('counts settling resources, as 0 from an API that does not send them', () => {
  assert.equal(settlingCount({ examined: 5, data: [] }), 0);
  for (const odd of [null, '3', -1, 2.5, true]) assert.equal(settlingCount({ settling: odd }), 0, String(odd));
  assert.equal(settlingCount({ settling: 2 }), 2);
  const page = { kind: 'documents', examined: 10, settling: 2, data: [], nextCursor: 'c' };
  assert.match(scanSummary(page).text, /2 more are too recent to judge \(an app's create may still be recording them\): scan again shortly\./);
  assert.match(scanSummary({ ...page, settling: 1, data: [{ id: 'a' }] }).text, /1 more is too recent to judge .* recording it\)/);
  assert.doesNotMatch(scanSummary({ ...page, settling: undefined }).text, /too recent/);
});

test('reads retry-after as seconds or an HTTP date', () => {
  assert.equal(retryAfterSeconds('7'), 7);
  assert.equal(retryAfterSeconds(' 30 '), 30);
  const now = Date.parse('2026-12-04T10:00:00Z');
  assert.equal(retryAfterSeconds('Fri, 04 Dec 2026 10:00:12 GMT', now), 12);
  assert.equal(retryAfterSeconds('Fri, 04 Dec 2026 09:00:00 GMT', now), 0);
  for (const none of [null, undefined, '', 'soon']) assert.equal(retryAfterSeconds(none), null, String(none));
});

test('assigns and deletes an orphan through the proxy; a refusal keeps its problem and retry-after', async () => {
  answer = { status: 200, body: { kind: 'documents', id: 'd1', appId: 'app_1' } };
  assert.equal((await post('/orphans/documents/d1/assign', { appId: 'app_1' })).appId, 'app_1');
  answer = { status: 200, body: { kind: 'documents', id: 'd1', deleted: true, formerAppId: null } };
  assert.equal((await del('/orphans/documents/d1')).deleted, true);
  assert.deepEqual(calls.map((c) => c.url), ['/admin/v1/orphans/documents/d1/assign', '/admin/v1/orphans/documents/d1']);
  assert.equal(calls[0].headers['content-type'], 'application/json');
  assert.equal(calls[1].headers['content-type'], undefined, 'a delete has no body');

  answer = {
    status: 503, headers: { 'retry-after': '5' },
    body: { type: 'https://runwayrelay.dev/problems/runway-unavailable', title: 'Runway unavailable', status: 503,
      detail: 'Runway could not be asked (timeout); nothing changed, try again' },
  };
  const error = await del('/orphans/documents/d1').then(() => assert.fail('no error'), (e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.retryAfter, 5);
  assert.equal(error.problem.title, 'Runway unavailable');
  assert.match(error.message, /nothing changed/);
  assert.equal(actionHint(error), 'Runway could not be asked; nothing changed. Try again in 5 s.');
});

test('tells what a refused assign or delete means', () => {
  const problem = (status, slug, retryAfter = null) => new ApiError(status,
    { type: `https://runwayrelay.dev/problems/${slug}`, title: slug, status, detail: `a ${slug} detail` }, retryAfter);
  assert.equal(actionHint(problem(409, 'owned')), 'An app owns it now: it is no longer an orphan. Scan again.');
  assert.equal(actionHint(problem(409, 'settling', 3)),
    "Too recent to act on: an app's create may still be recording it. Scan again in 3 s.");
  assert.match(actionHint(problem(409, 'settling')), /Scan again shortly\.$/);
  assert.equal(actionHint(problem(404, 'not-found')), 'Runway no longer has it. Scan again.');
  assert.equal(actionHint(problem(503, 'runway-unavailable')), 'Runway could not be asked; nothing changed. Try again shortly.');
  assert.equal(actionHint(problem(400, 'invalid-request')), '');
  assert.equal(problem(409, 'owned').message, 'a owned detail');
});

test('the likely app of an orphan comes only from a no-owner row that carries one', () => {
  assert.deepEqual(likelyApp({ reason: 'no-owner', likelyAppId: 'app_07', intentStartedAt: '2026-12-01T09:59:58Z' }), {
    appId: 'app_07',
    title: 'A create of this name by app_07 started at 2026-12-01T09:59:58Z and never recorded an owner (a hint, not proof)',
  });
  assert.deepEqual(likelyApp({ kind: 'avatar_conversations', reason: 'no-owner', likelyAppId: 'app_07',
    intentStartedAt: '2026-12-01T09:59:58Z' }), {
    appId: 'app_07',
    title: "Its realtime session, started at 2026-12-01T09:59:58Z, is recorded as app_07's; the conversation never was"
      + ' (a hint, not proof)',
  });
  assert.equal(likelyApp({ reason: 'no-owner' }), null);
  assert.equal(likelyApp({ reason: 'app-deleted', formerAppId: 'app_09', likelyAppId: 'app_07' }), null);
});
