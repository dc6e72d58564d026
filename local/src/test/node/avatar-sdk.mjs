// Drives POST /v1/avatar_videos on the local stack with the official Runway Node SDK, as an app would:
// client.avatarVideos.create + waitForTaskOutput, downloads the MP4 the task hands back, and checks that
// a custom avatar is refused with the SDK's BadRequestError before anything is spent.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... [WEBHOOK_URL=...] node avatar-sdk.mjs
// With WEBHOOK_URL the task asks for a webhook there (relay.callbackUrl, which the gateway keeps from Runway).
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import { BadRequestError } from '@runwayml/sdk';
import { checks, client, download, report } from './sdk-harness.mjs';

await report(async () => {
  const creating = client.avatarVideos.create({
    model: 'gwm1_avatars',
    avatar: { type: 'runway-preset', presetId: 'cooking-teacher' },
    speech: { type: 'text', text: 'Knead the dough for ten minutes.', voice: { type: 'preset', presetId: 'clara' } },
    ...(process.env.WEBHOOK_URL ? { relay: { callbackUrl: process.env.WEBHOOK_URL } } : {}),
  });
  const created = await creating; // the create's own answer (one request: the promise keeps it)
  const task = await creating.waitForTaskOutput({ timeout: 120_000 });
  const video = await download(task.output[0], 'the output link');
  const ftyp = new TextDecoder().decode(video.bytes.slice(4, 8)) === 'ftyp';
  if (!ftyp) throw new Error('the downloaded output is not an MP4');
  checks.avatarVideo = {
    taskId: task.id, createdId: created.id, estimatedCredits: created.estimatedCost?.credits ?? null,
    status: task.status, outputs: task.output.length, link: task.output[0],
    contentType: video.contentType, bytes: video.bytes.length, ftyp,
    sha256: createHash('sha256').update(video.bytes).digest('hex'),
  };

  try {
    await client.avatarVideos.create({
      model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: 'someone-elses-avatar' },
      speech: { type: 'text', text: 'hello' },
    });
    throw new Error('a custom avatar was accepted');
  } catch (e) {
    if (!(e instanceof BadRequestError)) throw e;
    checks.customAvatar = { status: e.status, issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
});
