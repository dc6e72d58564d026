// The official Runway Node SDK against the local stack with and without `Prefer: wait`: a create sent with
// the header (a request option, as an app would add it) resolves with the ended task in its answer, still
// carrying the `id` the SDK reads, and its waitForTaskOutput works; a create without it is answered as usual.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node prefer-wait-sdk.mjs
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { checks, client, download, report } from './sdk-harness.mjs';

const body = { model: 'gen4_image', promptText: 'a lighthouse at dawn', ratio: '1024:1024' };

await report(async () => {
  const creating = client.textToImage.create(body, { headers: { Prefer: 'wait=20' } });
  const held = await creating;
  const output = held.status === 'SUCCEEDED' ? await download(held.output[0], 'the held answer\'s link') : null;
  const waited = await creating.waitForTaskOutput({ timeout: 120_000 });
  checks.held = {
    id: held.id, status: held.status, outputs: held.output?.length ?? 0, bytes: output?.bytes.length ?? 0,
    estimatedCredits: held.estimatedCost?.credits ?? null, waitedId: waited.id, waitedStatus: waited.status,
  };

  const plainCreating = client.textToImage.create(body);
  const plain = await plainCreating;
  const done = await plainCreating.waitForTaskOutput({ timeout: 120_000 });
  checks.plain = { keys: Object.keys(plain).sort(), status: done.status, sameId: done.id === plain.id };
});
