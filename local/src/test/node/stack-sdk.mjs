// Drives the local stack with the official Runway Node SDK, exactly as an app would: base URL = the stack,
// key = the dev app key. create + waitForTaskOutput, then downloads the link the task hands back.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-sdk.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import RunwayML from '@runwayml/sdk';

const baseURL = process.env.RUNWAYML_BASE_URL;
const apiKey = process.env.RUNWAYML_API_SECRET;
if (!baseURL || !apiKey) {
  console.error('Set RUNWAYML_BASE_URL and RUNWAYML_API_SECRET.');
  process.exit(2);
}

const client = new RunwayML({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const checks = {};

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download of the output link answered ${response.status}`);
  return { contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

try {
  const task = await client.textToImage
    .create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1280:720' })
    .waitForTaskOutput({ timeout: 120_000 });
  const png = await download(task.output[0]);
  const pngMagic = PNG_MAGIC.every((b, i) => png.bytes[i] === b);
  if (!pngMagic) throw new Error('the downloaded output is not a PNG');
  checks.textToImage = {
    taskId: task.id, status: task.status, outputs: task.output.length, link: task.output[0],
    contentType: png.contentType, bytes: png.bytes.length, pngMagic,
    sha256: createHash('sha256').update(png.bytes).digest('hex'),
  };
  console.log(JSON.stringify({ ok: true, checks }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: `${e?.constructor?.name}: ${e?.message}`, checks }));
  process.exitCode = 1;
}
