// What the scripts that check one app's resources against another's (stack-avatars-voices, stack-documents,
// stack-realtime) share: SDK clients that never retry, the state file the Java test writes next to the
// script, a refused call's error as data, and an auto-paginated list's ids. New scripts of that kind
// import it rather than copying these lines.
import { readFileSync } from 'node:fs';
import RunwayML, { APIError } from '@runwayml/sdk';
import { baseURL } from './sdk-harness.mjs';

/** A client for `key`; maxRetries 0: a retried answer must not hide a wrong status. */
export function client(key) {
  return new RunwayML({ baseURL, apiKey: key, maxRetries: 0, timeout: 30_000 });
}

/** The URL of `name` next to the scripts (where the Java test writes keys and state). */
export function stateFile(name) {
  return new URL(`./${name}`, import.meta.url);
}

/** The JSON the Java test wrote to `name` next to the scripts. */
export function readState(name) {
  return JSON.parse(readFileSync(stateFile(name), 'utf8'));
}

/** The promise's error as {errorClass, status, type, issues}; throws when the call succeeded. */
export async function failure(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
  throw new Error('the call succeeded');
}

/** The ids of every item of an auto-paginated list, in the order the pages give them. */
export async function all(iterable) {
  const ids = [];
  for await (const item of iterable) ids.push(item.id);
  return ids;
}
