// Drives the Model Router's POST /v1/generate/{video,image,audio} on the local stack with the official Runway
// Node SDK, as an app would: client.generate.<kind>.create + waitForTaskOutput for each (at once), keeps the
// create's routing and the task's (client.tasks.retrieve), downloads every output the task hands back, and
// checks the refusals that must come before anything is spent: a configuration the app may not use, one it may
// use but whose cap the gateway does not know (no record; no cap for the kind), and a media URI outside the policy.
// Usage: RUNWAYML_BASE_URL=... RUNWAYML_API_SECRET=rr_... WEBHOOK_URL=... node generate-sdk.mjs
// Every task asks for a webhook at WEBHOOK_URL (relay.callbackUrl, which the gateway keeps from Runway).
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import { BadRequestError } from '@runwayml/sdk';
import { checks, client, download, report } from './sdk-harness.mjs';

const relay = { relay: { callbackUrl: process.env.WEBHOOK_URL } };

const KINDS = {
  video: () => client.generate.video.create({ configId: 'it-video',
    input: { promptText: 'Waves on a basalt shore', aspectRatio: '9:16', duration: 5 }, ...relay }),
  image: () => client.generate.image.create({ configId: 'it-image',
    input: { promptText: 'A lighthouse at dawn', aspectRatio: '16:9', outputCount: 2 }, ...relay }),
  audio: () => client.generate.audio.create({ configId: 'it-audio',
    input: { type: 'speech', promptText: 'The harbour opens at six.', voice: { type: 'preset', presetId: 'Maya' } },
    ...relay }),
};

/** The SDK error of a call that must be refused, with its status, type and issues. */
async function refused(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof BadRequestError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path, message: i.message })) };
  }
  throw new Error(`a request that must be refused was accepted: ${call}`);
}

await report(async () => {
  checks.kinds = {};
  await Promise.all(Object.entries(KINDS).map(async ([kind, start]) => {
    const creating = start();
    const created = await creating; // the create's own answer (one request: the promise keeps it)
    const task = await creating.waitForTaskOutput({ timeout: 120_000 });
    const retrieved = await client.tasks.retrieve(task.id);
    const outputs = [];
    for (const [index, url] of task.output.entries()) {
      const file = await download(url, `${kind} output ${index}`);
      outputs.push({ link: url, contentType: file.contentType, bytes: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex') });
    }
    checks.kinds[kind] = { createdId: created.id, createdRouting: created.routing ?? null,
      estimatedCredits: created.estimatedCost?.credits ?? null, taskId: task.id, status: task.status,
      taskRouting: retrieved.routing ?? null, outputs };
  }));

  checks.notAllowed = await refused(() => client.generate.image.create({ configId: 'it-other',
    input: { promptText: 'x' } }));
  checks.noRecord = await refused(() => client.generate.image.create({ configId: 'it-ghost',
    input: { promptText: 'x' } }));
  checks.noCapForKind = await refused(() => client.generate.audio.create({ configId: 'it-video',
    input: { type: 'audio', promptText: 'rain on a tin roof' } }));
  checks.mediaPolicy = await refused(() => client.generate.video.create({ configId: 'it-video',
    input: { referenceVideos: [{ role: 'source', uri: 'https://169.254.169.254/latest/meta-data.mp4' }] } }));
});
