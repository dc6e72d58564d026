// Checks that the official Runway Node SDK works against the gateway: create, retrieve, delete,
// an idempotent create, an upload, a validation error, a wrong key and the organization.
// Usage: RUNWAYML_BASE_URL=http://127.0.0.1:PORT RUNWAYML_API_SECRET=rr_... node gateway-sdk.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import RunwayML, { AuthenticationError, NotFoundError, toFile } from '@runwayml/sdk';
import { badRequest, baseURL, checks, client, report } from './sdk-harness.mjs';

async function createRetrieveDelete() {
  const created = await client.textToImage.create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1920:1080' });
  const task = await client.tasks.retrieve(created.id);
  checks.create = { id: created.id, credits: created.estimatedCost?.credits };
  checks.retrieve = { id: task.id, status: task.status, relayState: task.relay?.state, runwayTaskId: task.relay?.runwayTaskId };
  await client.tasks.delete(created.id);
  try {
    await client.tasks.retrieve(created.id);
    throw new Error('a deleted task could still be retrieved');
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    checks.delete = { id: created.id, retrieveAfterDelete: e.constructor.name, status: e.status };
  }
}

async function idempotentCreate() {
  const params = { model: 'gen4_image', promptText: 'Same request twice', ratio: '1024:1024' };
  const options = { headers: { 'Idempotency-Key': `sdk-${Date.now()}` } };
  const first = await client.textToImage.create(params, options);
  const second = await client.textToImage.create(params, options);
  checks.idempotent = { first: first.id, second: second.id };
}

async function upload() {
  const bytes = new Uint8Array(1024);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const file = await toFile(bytes, 'frame.png', { type: 'image/png' });
  const { uri } = await client.uploads.createEphemeral({ file });
  const { id } = await client.imageToVideo.create({ model: 'gen4_turbo', promptImage: uri, ratio: '1280:720', duration: 5 });
  checks.upload = { uri, id };
}

async function wrongKey() {
  const stranger = new RunwayML({ baseURL, apiKey: 'rr_' + '0'.repeat(48), maxRetries: 0 });
  try {
    await stranger.organization.retrieve();
    throw new Error('an unknown key was accepted');
  } catch (e) {
    if (!(e instanceof AuthenticationError)) throw e;
    checks.wrongKey = { errorClass: e.constructor.name, status: e.status };
  }
}

async function organization() {
  const org = await client.organization.retrieve();
  checks.organization = { creditBalance: org.creditBalance, models: Object.keys(org.tier.models) };
}

await report(async () => {
  await createRetrieveDelete();
  await idempotentCreate();
  await upload();
  await badRequest();
  await wrongKey();
  await organization();
});
