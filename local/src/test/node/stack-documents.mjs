// Knowledge documents through the official Runway Node SDK, for two apps of the same gateway (one
// Runway organization): app A's documents are A's alone. App B's key comes from documents-keys.json,
// written next to this script by the Java test. Prints one JSON summary line (sdk-harness).
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-documents.mjs
import { readFileSync } from 'node:fs';
import RunwayML, { APIError } from '@runwayml/sdk';
import { apiKey, baseURL, checks, report } from './sdk-harness.mjs';

const { keyB } = JSON.parse(readFileSync(new URL('./documents-keys.json', import.meta.url), 'utf8'));
// maxRetries 0: a retried answer must not hide a wrong status.
const a = new RunwayML({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const b = new RunwayML({ baseURL, apiKey: keyB, maxRetries: 0, timeout: 30_000 });

/** The promise's error as {errorClass, status, type, issues}; throws when the call succeeded. */
async function failure(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
  throw new Error('the call succeeded');
}

async function all(iterable) {
  const ids = [];
  for await (const item of iterable) ids.push(item.id);
  return ids;
}

await report(async () => {
  const mine = [];
  for (const name of ['FAQ', 'Returns', 'Shipping']) {
    const doc = await a.documents.create({ name, content: `# ${name}\n\nText.` });
    mine.push(doc.id);
  }
  const theirs = [];
  for (const name of ['B one', 'B two']) {
    theirs.push((await b.documents.create({ name, content: 'B text' })).id);
  }
  const target = mine[0];
  checks.created = { mine, theirs };
  checks.retrieved = await a.documents.retrieve(target);

  // App B cannot reach app A's document, by any call.
  checks.foreign = {
    retrieve: await failure(() => b.documents.retrieve(target)),
    update: await failure(() => b.documents.update(target, { name: 'taken' })),
    delete: await failure(() => b.documents.delete(target)),
  };
  checks.afterForeign = await a.documents.retrieve(target);

  // Lists: each app sees exactly its own, auto-paginated one at a time.
  checks.listA = await all(a.documents.list({ limit: 1, order: 'asc', sort: 'createdAt' }));
  checks.listADesc = await all(a.documents.list({ limit: 2, order: 'desc', sort: 'createdAt' }));
  checks.listB = await all(b.documents.list({ limit: 1, order: 'asc', sort: 'createdAt' }));

  // A cursor issued to B is refused for A.
  const pageB = await b.documents.list({ limit: 1, order: 'asc', sort: 'createdAt' });
  checks.foreignCursor = await failure(() => a.documents.list({ limit: 1, order: 'asc', sort: 'createdAt',
    cursor: pageB.nextCursor }));

  // The owner updates and deletes.
  await a.documents.update(target, { name: 'FAQ v2' });
  checks.updated = await a.documents.retrieve(target);
  await a.documents.delete(mine[2]);
  checks.deleted = await failure(() => a.documents.retrieve(mine[2]));
  checks.listAfterDelete = await all(a.documents.list({ limit: 1, order: 'asc', sort: 'createdAt' }));

  // A body without content is the gateway's 400, with the issue's path.
  checks.badBody = await failure(() => a.documents.create({ name: 'no content' }));
});
