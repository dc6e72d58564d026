// Drives the local stack with the official Runway Node SDK, exactly as an app would: base URL = the stack,
// key = the dev app key. create + waitForTaskOutput, then downloads the link the task hands back.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-sdk.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import { checks, client, download, isPng, report } from './sdk-harness.mjs';

await report(async () => {
  const task = await client.textToImage
    .create({ model: 'gen4_image', promptText: 'A lighthouse at dusk', ratio: '1280:720' })
    .waitForTaskOutput({ timeout: 120_000 });
  const png = await download(task.output[0], 'the output link');
  const pngMagic = isPng(png.bytes);
  if (!pngMagic) throw new Error('the downloaded output is not a PNG');
  checks.textToImage = {
    taskId: task.id, status: task.status, outputs: task.output.length, link: task.output[0],
    contentType: png.contentType, bytes: png.bytes.length, pngMagic,
    sha256: createHash('sha256').update(png.bytes).digest('hex'),
  };
});
