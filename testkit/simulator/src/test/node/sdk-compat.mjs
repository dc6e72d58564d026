// Checks that the official Runway Node SDK works against a Runway-compatible API.
// Usage: RUNWAYML_BASE_URL=http://127.0.0.1:PORT RUNWAYML_API_SECRET=key_... node sdk-compat.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { NotFoundError, toFile } from '@runwayml/sdk';
import { badRequest, checks, client, download, isPng, report } from './sdk-harness.mjs';

// A 1x1 transparent PNG, as a data URI (inline media input).
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function textToImage() {
  const task = await client.textToImage
    .create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1920:1080' })
    .waitForTaskOutput({ timeout: 60_000 });
  const png = await download(task.output[0]);
  const pngMagic = isPng(png.bytes);
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

async function organization() {
  const org = await client.organization.retrieve();
  checks.organization = { creditBalance: org.creditBalance, models: Object.keys(org.tier.models).length,
    gen4ImageDailyGenerations: org.usage.models.gen4_image?.dailyGenerations ?? 0 };
}

await report(async () => {
  // The two waits run side by side: each polls every ~6 s, as the SDK always does.
  const [pngBytes] = await Promise.all([textToImage(), imageToVideo()]);
  await deleteTask();
  await upload(pngBytes);
  await badRequest();
  await organization();
});
