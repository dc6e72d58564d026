// Knowledge documents through the official Runway Node SDK, for two apps of the same gateway (one
// Runway organization): app A's documents are A's alone. App B's key comes from documents-keys.json,
// written next to this script by the Java test. Prints one JSON summary line (sdk-harness).
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... node stack-documents.mjs
import { apiKey, checks, report } from './sdk-harness.mjs';
import { all, client, failure, readState } from './stack-apps.mjs';

const { keyB } = readState('documents-keys.json');
const a = client(apiKey);
const b = client(keyB);

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

  // A body without content is the gateway's 400, with the path.
  checks.badBody = await failure(() => a.documents.create({ name: 'no content' }));
});
