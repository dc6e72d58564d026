// What every script that drives the official Runway Node SDK shares: the client built from
// RUNWAYML_BASE_URL and RUNWAYML_API_SECRET (exits 2 without them), the checks object, and the one
// JSON summary line on stdout (exit 0 when every check passed, 1 otherwise). Copied next to the
// scripts by OfficialNodeSdk, with the pinned package.json and package-lock.json.
import RunwayML, { BadRequestError } from '@runwayml/sdk';

export const baseURL = process.env.RUNWAYML_BASE_URL;
export const apiKey = process.env.RUNWAYML_API_SECRET;
if (!baseURL || !apiKey) {
  console.error('Set RUNWAYML_BASE_URL and RUNWAYML_API_SECRET.');
  process.exit(2);
}

export const client = new RunwayML({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
export const checks = {};

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with the PNG signature. */
export function isPng(bytes) {
  return PNG_MAGIC.every((b, i) => bytes[i] === b);
}

/** Fetches a link (no SDK involved, as an app would): its content type and bytes; throws on a non-2xx answer. */
export async function download(url, what = url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download of ${what} answered ${response.status}`);
  return { contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** An invalid ratio must come back as the SDK's BadRequestError, with the issue's path: checks.badRequest. */
export async function badRequest() {
  try {
    await client.textToImage.create({ model: 'gen4_image', promptText: 'x', ratio: '7:3' });
    throw new Error('an invalid ratio was accepted');
  } catch (e) {
    if (!(e instanceof BadRequestError)) throw e;
    checks.badRequest = { errorClass: e.constructor.name, status: e.status, message: e.error?.error,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
}

/** Runs the checks and prints the summary line: {ok, checks} or {ok: false, error, checks}. */
export async function report(run) {
  try {
    await run();
    console.log(JSON.stringify({ ok: true, checks }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: `${e?.constructor?.name}: ${e?.message}`, checks }));
    process.exitCode = 1;
  }
}
