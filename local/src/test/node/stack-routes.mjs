// Calls, through the official Runway Node SDK (default retries: 2), every SDK call the gateway refuses
// or does not support yet, plus an unknown path, a wrong method and a call without a key, and records
// the error class each raised; then checks organization.retrieveUsage for the app.
// routes.json (written next to this script by the Java test) lists the calls: [{sdkCall, method, path}].
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-routes.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { readFileSync } from 'node:fs';
import RunwayML, { APIError, BadRequestError } from '@runwayml/sdk';
import { apiKey, baseURL, checks, report } from './sdk-harness.mjs';

// The SDK's own retry policy (2 retries of 408/409/429/5xx): a retried answer would show at the gateway.
const sdk = new RunwayML({ baseURL, apiKey, timeout: 30_000 });

/** The promise's error as {errorClass, status, type, detail}; throws when the call succeeded. */
async function failure(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type, detail: e.error?.detail,
      allow: e.headers?.get?.('allow') ?? null };
  }
  throw new Error('the call succeeded');
}

/** Calls client.<sdkCall> with an id for each path variable and {} as body or query. */
function invoke(client, { sdkCall, method, path }) {
  const names = sdkCall.split('.').slice(1);
  let owner = client;
  for (const name of names.slice(0, -1)) owner = owner[name];
  const fn = owner[names.at(-1)];
  if (typeof fn !== 'function') throw new Error(`the SDK has no ${sdkCall}`);
  const args = (path.match(/\{[^}]+\}/g) ?? []).map((_, i) => `id-${names.join('-')}-${i}`);
  if (method === 'POST' || method === 'PATCH') args.push({});
  return fn.apply(owner, args);
}

await report(async () => {
  const calls = JSON.parse(readFileSync(new URL('./routes.json', import.meta.url), 'utf8'));
  checks.calls = {};
  for (const call of calls) {
    checks.calls[call.sdkCall] = await failure(() => invoke(sdk, call));
  }
  checks.unknownPath = await failure(() => sdk.get('/v1/nothing_here'));
  checks.wrongMethod = await failure(() => sdk.get('/v1/text_to_image'));
  const stranger = new RunwayML({ baseURL, apiKey: 'rr_' + '0'.repeat(48), timeout: 30_000 });
  checks.noKey = await failure(() => stranger.organization.webapp.listUsage());

  const created = await sdk.textToImage.create({ model: 'gen4_image', promptText: 'A lighthouse', ratio: '1280:720' });
  // Yesterday up to the day after tomorrow: today is inside whichever side of midnight the task fell on.
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const usage = await sdk.organization.retrieveUsage({ startDate: day(-1), beforeDate: day(2) });
  checks.usage = { taskId: created.id, models: usage.models, results: usage.results, relay: usage.relay };
  const tooLong = await failure(() => sdk.organization.retrieveUsage({ startDate: '2026-01-01', beforeDate: '2026-05-01' }));
  if (tooLong.errorClass !== BadRequestError.name) throw new Error(`a 120-day range raised ${tooLong.errorClass}`);
  checks.usageTooLong = tooLong;
});
