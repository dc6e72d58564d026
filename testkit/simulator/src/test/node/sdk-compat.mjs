// Checks that the official Runway Node SDK works against a Runway-compatible API.
// Usage: RUNWAYML_BASE_URL=http://127.0.0.1:PORT RUNWAYML_API_SECRET=key_... node sdk-compat.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import RunwayML, { BadRequestError, NotFoundError, toFile } from '@runwayml/sdk';

const baseURL = process.env.RUNWAYML_BASE_URL;
const apiKey = process.env.RUNWAYML_API_SECRET;
if (!baseURL || !apiKey) {
  console.error('Set RUNWAYML_BASE_URL and RUNWAYML_API_SECRET.');
  process.exit(2);
}

const client = new RunwayML({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
// A 1x1 transparent PNG, as a data URI (inline media input).
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const checks = {};

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download of ${url} answered ${response.status}`);
  return { contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function textToImage() {
  const task = await client.textToImage
    .create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1920:1080' })
    .waitForTaskOutput({ timeout: 60_000 });
  const png = await download(task.output[0]);
  const pngMagic = PNG_MAGIC.every((b, i) => png.bytes[i] === b);
  if (!pngMagic) throw new Error('textToImage output is not a PNG');
  checks.textToImage = { taskId: task.id, status: task.status, outputs: task.output.length,
    contentType: png.contentType, bytes: png.bytes.length, pngMagic };
  return png.bytes;
}

async function imageToVideo() {
  const task = await client.imageToVideo
    .create({ model: 'gen4_turbo', promptImage: PIXEL_PNG, promptText: 'The pixel drifts', ratio: '1280:720', duration: 5 })
    .waitForTaskOutput({ timeout: 60_000 });
  const mp4 = await download(task.output[0]);
  const ftyp = String.fromCharCode(...mp4.bytes.slice(4, 8));
  if (ftyp !== 'ftyp') throw new Error('imageToVideo output is not an MP4');
  checks.imageToVideo = { taskId: task.id, status: task.status, contentType: mp4.contentType, bytes: mp4.bytes.length, ftyp };
}

async function deleteTask() {
  const { id } = await client.textToImage.create({ model: 'gen4_image', promptText: 'To be cancelled', ratio: '1280:720' });
  await client.tasks.delete(id);
  try {
    await client.tasks.retrieve(id);
    throw new Error('a deleted task could still be retrieved');
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    checks.delete = { taskId: id, retrieveAfterDelete: e.constructor.name, status: e.status };
  }
}

async function upload(pngBytes) {
  const file = await toFile(pngBytes, 'reference.png', { type: 'image/png' });
  const { uri } = await client.uploads.createEphemeral({ file });
  const { id } = await client.textToImage.create({
    model: 'gen4_image', promptText: 'In the style of @ref', ratio: '1024:1024',
    referenceImages: [{ uri, tag: 'ref' }],
  });
  checks.upload = { uri, uploadedBytes: pngBytes.length, taskId: id };
}

async function badRequest() {
  try {
    await client.textToImage.create({ model: 'gen4_image', promptText: 'x', ratio: '7:3' });
    throw new Error('an invalid ratio was accepted');
  } catch (e) {
    if (!(e instanceof BadRequestError)) throw e;
    checks.badRequest = { errorClass: e.constructor.name, status: e.status, message: e.error?.error,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
}

async function organization() {
  const org = await client.organization.retrieve();
  checks.organization = { creditBalance: org.creditBalance, models: Object.keys(org.tier.models).length,
    gen4ImageDailyGenerations: org.usage.models.gen4_image?.dailyGenerations ?? 0 };
}

try {
  // The two waits run side by side: each polls every ~6 s, as the SDK always does.
  const [pngBytes] = await Promise.all([textToImage(), imageToVideo()]);
  await deleteTask();
  await upload(pngBytes);
  await badRequest();
  await organization();
  console.log(JSON.stringify({ ok: true, checks }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: `${e?.constructor?.name}: ${e?.message}`, checks }));
  process.exitCode = 1;
}
