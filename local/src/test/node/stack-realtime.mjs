// Realtime sessions and avatar conversations through the official Runway Node SDK, for apps of the
// same gateway (one Runway organization): app A's sessions and conversations are A's alone. The Java
// test runs it twice: PHASE=create (sessions created, isolation checked) and, after it has moved a
// session on in the simulator, PHASE=settle (ended session read, conversation read and deleted).
// Keys and ids pass through realtime-state.json next to this script. Prints one JSON summary line.
// Usage: RUNWAYML_BASE_URL=... RUNWAYML_API_SECRET=rr_... PHASE=create node stack-realtime.mjs
import { writeFileSync } from 'node:fs';
import { apiKey, checks, report } from './sdk-harness.mjs';
import { all, client, failure, readState, stateFile } from './stack-apps.mjs';

const state = readState('realtime-state.json');
const a = client(apiKey);
const b = client(state.keyB);
const poor = client(state.keyPoor);

const preset = { type: 'runway-preset', presetId: 'influencer' };

await report(async () => {
  if (process.env.PHASE === 'create') {
    const mine = [];
    for (const maxDuration of [60, 60, 30]) {
      mine.push((await a.realtimeSessions.create({ model: 'gwm1_avatars', avatar: preset, maxDuration })).id);
    }
    const theirs = [(await b.realtimeSessions.create({ model: 'gwm1_avatars', avatar: preset, maxDuration: 20 })).id];
    checks.created = { mine, theirs };
    checks.retrieved = await a.realtimeSessions.retrieve(mine[0]);

    // App B cannot reach app A's session or conversation, by any call.
    checks.foreign = {
      sessionRetrieve: await failure(() => b.realtimeSessions.retrieve(mine[0])),
      sessionDelete: await failure(() => b.realtimeSessions.delete(mine[0])),
      conversationRetrieve: await failure(() => b.avatarConversations.retrieve(mine[0])),
      conversationDelete: await failure(() => b.avatarConversations.delete(mine[0])),
    };
    checks.afterForeign = await a.realtimeSessions.retrieve(mine[0]);

    // Lists: each app sees exactly its own conversations, newest first, auto-paginated.
    checks.listA = await all(a.avatarConversations.list({ limit: 1 }));
    checks.listB = await all(b.avatarConversations.list({ limit: 1 }));
    const pageB = await b.avatarConversations.list({ limit: 1 });
    checks.firstOfB = pageB.data[0];
    const pageA = await a.avatarConversations.list({ limit: 1 });
    checks.foreignCursor = await failure(() => b.avatarConversations.list({ limit: 1, cursor: pageA.nextCursor }));

    // The gateway's own refusals.
    checks.badBody = await failure(() => a.realtimeSessions.create({ model: 'gwm1_avatars', avatar: preset,
      maxDuration: 1000 }));
    checks.customAvatar = await failure(() => a.realtimeSessions.create({ model: 'gwm1_avatars',
      avatar: { type: 'custom', avatarId: 'someone-elses-avatar' } }));
    // App B's own custom avatar: A cannot open a session with it, B can.
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const avatarB = await b.avatars.create({ name: 'Baker', personality: 'You answer questions about baking.',
      referenceImage: png, voice: { type: 'runway-live-preset', presetId: 'clara' } });
    checks.foreignAvatar = await failure(() => a.realtimeSessions.create({ model: 'gwm1_avatars',
      avatar: { type: 'custom', avatarId: avatarB.id }, maxDuration: 10 }));
    checks.ownAvatarSession = await b.realtimeSessions.create({ model: 'gwm1_avatars',
      avatar: { type: 'custom', avatarId: avatarB.id }, maxDuration: 10 });
    checks.overBudget = await failure(() => poor.realtimeSessions.create({ model: 'gwm1_avatars', avatar: preset }));

    // The owner cancels one that never started.
    await a.realtimeSessions.delete(mine[2]);
    checks.cancelled = await a.realtimeSessions.retrieve(mine[2]);
    writeFileSync(stateFile('realtime-state.json'), JSON.stringify({ ...state, mine, theirs }));
  } else {
    const { mine } = state;
    checks.completed = await a.realtimeSessions.retrieve(mine[0]);
    checks.conversation = await a.avatarConversations.retrieve(mine[0]);
    await a.avatarConversations.delete(mine[0]);
    checks.conversationDeleted = await failure(() => a.avatarConversations.retrieve(mine[0]));
    checks.sessionAfterDelete = await a.realtimeSessions.retrieve(mine[0]);
    checks.listAfterDelete = await all(a.avatarConversations.list({ limit: 1 }));
  }
});
