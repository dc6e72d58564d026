// Custom avatars and voices through the official Runway Node SDK, for two apps of the same gateway (one
// Runway organization): app A's avatars and voices are A's alone, in calls, lists and the bodies of B's
// own requests (avatars' voice and documentIds, avatar videos' avatarId and voice). App B's key comes
// from avatars-voices-keys.json, written next to this script by the Java test. Prints one JSON summary
// line (sdk-harness).
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-avatars-voices.mjs
import { apiKey, checks, report } from './sdk-harness.mjs';
import { all, client, failure, readState } from './stack-apps.mjs';

const { keyB } = readState('avatars-voices-keys.json');
const a = client(apiKey);
const b = client(keyB);

// A 1x1 PNG: a reference image that passes the media-URI policy without any host.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PROMPT = 'A warm, unhurried voice with a slight rasp, for late-night radio';

/** Retrieves until the status is not PROCESSING (a generous deadline guards against a hang). */
async function settled(retrieve) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const item = await retrieve();
    if (item.status !== 'PROCESSING') return item;
    if (Date.now() > deadline) throw new Error(`still processing: ${JSON.stringify(item)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const avatarBody = (name, voice, extra = {}) => ({ name, personality: 'You answer questions about baking.',
  referenceImage: PNG, voice, ...extra });

await report(async () => {
  // Voices: created from a description (create answers {id} only) and read back.
  const voiceA = (await a.voices.create({ name: 'Narrator', description: 'for A', from: { type: 'text',
    model: 'eleven_ttv_v3', prompt: PROMPT } })).id;
  const voicesB = [];
  for (const name of ['B voice 1', 'B voice 2']) {
    voicesB.push((await b.voices.create({ name, from: { type: 'text', model: 'eleven_multilingual_ttv_v2',
      prompt: PROMPT } })).id);
  }
  const documentA = (await a.documents.create({ name: 'Recipes', content: '# Bread' })).id;

  // Avatars: A's first names A's own custom voice and document.
  const avatarA = await a.avatars.create(avatarBody('Baker', { type: 'custom', id: voiceA },
    { documentIds: [documentA], startScript: 'Hello!' }));
  const avatarA2 = await a.avatars.create(avatarBody('Second', { type: 'runway-live-preset', presetId: 'clara' }));
  const avatarB = await b.avatars.create(avatarBody('B avatar', { type: 'runway-live-preset', presetId: 'leo' }));
  checks.created = { voiceA, voicesB, documentA, avatarA: avatarA.id, avatarA2: avatarA2.id, avatarB: avatarB.id,
    avatarStatus: avatarA.status, avatarVoice: avatarA.voice, avatarDocuments: avatarA.documentIds };

  // B cannot reach A's avatar or voice, by any call.
  checks.foreign = {
    avatarRetrieve: await failure(() => b.avatars.retrieve(avatarA.id)),
    avatarUpdate: await failure(() => b.avatars.update(avatarA.id, { name: 'taken' })),
    avatarDelete: await failure(() => b.avatars.delete(avatarA.id)),
    voiceRetrieve: await failure(() => b.voices.retrieve(voiceA)),
    voiceUpdate: await failure(() => b.voices.update(voiceA, { name: 'taken' })),
    voiceDelete: await failure(() => b.voices.delete(voiceA)),
  };
  // ... nor name them in its own bodies.
  checks.foreignReferences = {
    avatarVoice: await failure(() => b.avatars.create(avatarBody('x', { type: 'custom', id: voiceA }))),
    avatarDocuments: await failure(() => b.avatars.create(avatarBody('x', { type: 'runway-live-preset',
      presetId: 'leo' }, { documentIds: [documentA] }))),
    avatarUpdateVoice: await failure(() => b.avatars.update(avatarB.id, { voice: { type: 'custom', id: voiceA } })),
    videoAvatar: await failure(() => b.avatarVideos.create({ model: 'gwm1_avatars',
      avatar: { type: 'custom', avatarId: avatarA.id }, speech: { type: 'text', text: 'hi' } })),
    videoVoice: await failure(() => b.avatarVideos.create({ model: 'gwm1_avatars',
      avatar: { type: 'runway-preset', presetId: 'influencer' },
      speech: { type: 'text', text: 'hi', voice: { type: 'custom', id: voiceA } } })),
  };
  checks.afterForeign = { avatar: (await a.avatars.retrieve(avatarA.id)).name, voice: (await a.voices.retrieve(voiceA)).name };

  // Lists: each app sees exactly its own, auto-paginated one at a time, newest first.
  checks.lists = {
    avatarsA: await all(a.avatars.list({ limit: 1 })),
    avatarsB: await all(b.avatars.list({ limit: 1 })),
    voicesA: await all(a.voices.list({ limit: 1 })),
    voicesB: await all(b.voices.list({ limit: 1 })),
  };
  const pageB = await b.voices.list({ limit: 1 });
  checks.foreignCursor = await failure(() => a.voices.list({ limit: 1, cursor: pageB.nextCursor }));

  // The owner: an avatar video with its own custom avatar and voice, then changes once processing is over.
  const creating = a.avatarVideos.create({ model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: avatarA.id },
    speech: { type: 'text', text: 'Knead for ten minutes.', voice: { type: 'custom', id: voiceA } } });
  const video = await creating.waitForTaskOutput({ timeout: 120_000 });
  checks.ownVideo = { status: video.status, outputs: video.output.length };
  const ready = await settled(() => a.avatars.retrieve(avatarA.id));
  const renamed = await a.avatars.update(avatarA.id, { name: 'Head baker', startScript: null });
  const voiceReady = await settled(() => a.voices.retrieve(voiceA));
  const voiceRenamed = await a.voices.update(voiceA, { name: 'Night narrator', description: null });
  checks.owner = { ready: ready.status, processedImageUri: ready.processedImageUri, renamed: renamed.name,
    startScript: renamed.startScript, voiceReady: voiceReady.status, voiceRenamed: voiceRenamed.name,
    voiceDescription: voiceRenamed.description };
  checks.preview = await a.voices.preview({ model: 'eleven_ttv_v3', prompt: PROMPT });
  await a.avatars.delete(avatarA2.id);
  checks.deleted = await failure(() => a.avatars.retrieve(avatarA2.id));
  checks.listAfterDelete = await all(a.avatars.list({ limit: 1 }));

  // Bad input: the gateway's 400 with the path, before Runway.
  checks.bad = {
    privateImage: await failure(() => a.avatars.create({ ...avatarBody('x', { type: 'runway-live-preset',
      presetId: 'leo' }), referenceImage: 'http://169.254.169.254/latest/meta-data.png' })),
    unknownPreset: await failure(() => a.avatars.create(avatarBody('x', { type: 'runway-live-preset', presetId: 'zz' }))),
    shortPrompt: await failure(() => a.voices.preview({ model: 'eleven_ttv_v3', prompt: 'too short' })),
    audioHost: await failure(() => a.voices.create({ name: 'clone', from: { type: 'audio',
      audio: 'https://files.example.org/sample.mp3' } })),
  };
});
