// Avatar usage (client.avatars.getUsage) through the official Runway Node SDK, for two apps of the same
// gateway (one Runway organization): each app's usage sums its own sessions only. The Java test runs it
// twice: PHASE=create (A opens two sessions, B one) and, after it has ended sessions in the simulator
// and seen the poller settle one nobody read, PHASE=usage (both apps' usage, and refused ranges).
// Keys and ids pass through usage-state.json next to this script. Prints one JSON summary line.
// Usage: RUNWAYML_BASE_URL=... RUNWAYML_API_SECRET=rr_... PHASE=create node stack-avatar-usage.mjs
import { writeFileSync } from 'node:fs';
import { apiKey, checks, report } from './sdk-harness.mjs';
import { client, failure, readState, stateFile as stateUrl } from './stack-apps.mjs';

const stateFile = stateUrl('usage-state.json');
const state = readState('usage-state.json');
const a = client(apiKey);
const b = client(state.keyB);

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
