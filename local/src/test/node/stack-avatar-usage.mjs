// Avatar usage (client.avatars.getUsage) through the official Runway Node SDK, for two apps of the same
// gateway (one Runway organization): each app's usage sums its own sessions only. The Java test runs it
// twice: PHASE=create (A opens two sessions, B one) and, after it has ended sessions in the simulator
// and seen the poller settle one nobody read, PHASE=usage (both apps' usage, and refused ranges).
// Keys and ids pass through usage-state.json next to this script. Prints one JSON summary line.
// Usage: RUNWAYML_BASE_URL=... RUNWAYML_API_SECRET=rr_... PHASE=create node stack-avatar-usage.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import RunwayML, { APIError } from '@runwayml/sdk';
import { apiKey, baseURL, checks, report } from './sdk-harness.mjs';

const stateFile = new URL('./usage-state.json', import.meta.url);
const state = JSON.parse(readFileSync(stateFile, 'utf8'));
// maxRetries 0: a retried answer must not hide a wrong status.
const a = new RunwayML({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const b = new RunwayML({ baseURL, apiKey: state.keyB, maxRetries: 0, timeout: 30_000 });

/** The promise's error as {errorClass, status, type, issues}; throws when the call succeeded. */
async function failure(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
  throw new Error('the call succeeded');
}

const session = { model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'influencer' }, maxDuration: 10 };

await report(async () => {
  if (process.env.PHASE === 'create') {
    const mine = [(await a.realtimeSessions.create(session)).id, (await a.realtimeSessions.create(session)).id];
    const theirs = [(await b.realtimeSessions.create(session)).id];
    writeFileSync(stateFile, JSON.stringify({ ...state, mine, theirs }));
    checks.created = { mine, theirs };
    return;
  }
  // Yesterday 00:00 to the day after tomorrow: today is inside whichever side of midnight the sessions fell on.
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00.000Z';
  const range = { startDate: day(-1), endDate: day(2) };
  checks.usageA = await a.avatars.getUsage(range);
  checks.usageB = await b.avatars.getUsage(range);
  checks.missingEnd = await failure(() => a.avatars.getUsage({ startDate: day(-1) }));
  checks.tooLong = await failure(() => a.avatars.getUsage({ startDate: '2026-01-01T00:00:00Z', endDate: '2026-05-01T00:00:00Z' }));
  checks.backwards = await failure(() => a.avatars.getUsage({ startDate: day(1), endDate: day(0) }));
});
