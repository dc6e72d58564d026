// Drives the seven POST /v1/recipes/{recipe} on the local stack with the official Runway Node SDK, as an app
// would: client.recipes.<recipe> + waitForTaskOutput for each (at once), downloads every output the task hands
// back, and checks the refusals that must come before anything is spent: an unknown version, unsafe-latest
// for an app not allowed it, a media URI outside the policy in a recipe field, and an unknown recipe.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... [WEBHOOK_URL=...] node recipes-sdk.mjs
// With WEBHOOK_URL every task asks for a webhook there (relay.callbackUrl, which the gateway keeps from Runway).
// Prints one JSON summary line on stdout; exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import { BadRequestError, NotFoundError } from '@runwayml/sdk';
import { checks, client, download, report } from './sdk-harness.mjs';

// A 1x1 PNG and the start of an MP4 (an ftyp box): the media policy checks the declared type's signature.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const MP4 = 'data:video/mp4;base64,AAAAGGZ0eXBtcDQyAAAAAG1wNDJpc29t';
const relay = process.env.WEBHOOK_URL ? { relay: { callbackUrl: process.env.WEBHOOK_URL } } : {};

const RECIPES = {
  ad_localization: () => client.recipes.adLocalization({
    version: '2026-06', referenceImage: { uri: PNG }, targetLanguage: 'ja', ...relay }),
  marketing_stock_image: () => client.recipes.marketingStockImage({
    version: '2026-06', prompt: 'A spring launch for a ceramic mug', outputCount: 2, quality: 'low', ...relay }),
  product_ad: () => client.recipes.productAd({
    version: '2026-07', productImages: [{ uri: PNG }], styleImages: [{ uri: PNG }], duration: 6, ratio: '1080:1920', ...relay }),
  product_campaign_image: () => client.recipes.productCampaignImage({
    version: '2026-06', image: { uri: PNG }, prompt: 'High-key fashion editorial', ...relay }),
  product_swap: () => client.recipes.productSwap({
    version: '2026-06', newProductImages: [{ uri: PNG, view: 'front' }], originalProductImage: { uri: PNG },
    referenceVideo: { uri: MP4 }, resolution: '720p', ...relay }),
  multi_shot_video: () => client.recipes.multiShotVideo({
    version: '2026-06', mode: 'custom', duration: 10, firstFrame: { uri: PNG },
    shots: [{ duration: 3, prompt: 'Harbour at dawn' }, { duration: 3, prompt: 'Boats leave' }, { duration: 4, prompt: 'Open sea' }],
    ...relay }),
  product_ugc: () => client.recipes.productUgc({
    version: '2026-06', characterImage: { uri: PNG }, productImage: { uri: PNG }, ratio: '720:1280', ...relay }),
};

/** The SDK error of a call that must be refused, with its status, type and issues. */
async function refused(call, errorClass) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof errorClass)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
  throw new Error(`a request that must be refused was accepted: ${call}`);
}

await report(async () => {
  checks.recipes = {};
  await Promise.all(Object.entries(RECIPES).map(async ([recipe, start]) => {
    const creating = start();
    const created = await creating; // the create's own answer (one request: the promise keeps it)
    const task = await creating.waitForTaskOutput({ timeout: 120_000 });
    const outputs = [];
    for (const [index, url] of task.output.entries()) {
      const file = await download(url, `${recipe} output ${index}`);
      outputs.push({ link: url, contentType: file.contentType, bytes: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex') });
    }
    checks.recipes[recipe] = { createdId: created.id, estimatedCredits: created.estimatedCost?.credits ?? null,
      taskId: task.id, status: task.status, outputs };
  }));

  checks.unknownVersion = await refused(() => client.recipes.productUgc({
    version: '2026-13', characterImage: { uri: PNG }, productImage: { uri: PNG } }), BadRequestError);
  checks.unsafeLatest = await refused(() => client.recipes.marketingStockImage({
    version: 'unsafe-latest', prompt: 'x' }), BadRequestError);
  checks.mediaPolicy = await refused(() => client.recipes.productSwap({
    version: '2026-06', newProductImages: [{ uri: PNG }], originalProductImage: { uri: PNG },
    referenceVideo: { uri: 'https://169.254.169.254/latest/meta-data.mp4' } }), BadRequestError);
  checks.unknownRecipe = await refused(() => client.post('/v1/recipes/product_dance', { body: { version: '2026-06' } }),
    NotFoundError);
});
