// The orphans page's pure logic (GET /admin/v1/orphans/{kind}, assign, delete; docs/admin-api.md § Orphans):
// which kind and page size the URL asks for, what a scanned page says, and what a refused action means.
import { number } from './format.js';

export const ORPHAN_KINDS = ['documents', 'avatars', 'voices', 'avatar_conversations'];
export const PAGE_SIZES = [10, 50, 100];
const DEFAULT_LIMIT = 50;

/** The kind and page size of #/orphans?kind=…&limit=…; an unknown kind is named in `problem`, not scanned. */
export function orphanQuery(query) {
  const kind = query.kind || 'documents';
  const asked = Number(query.limit);
  const limit = Number.isInteger(asked) && asked >= 1 && asked <= 100 ? asked : DEFAULT_LIMIT;
  return ORPHAN_KINDS.includes(kind)
    ? { kind, limit }
    : { kind, limit, problem: `Runway lists no "${kind}" the gateway reconciles: choose ${ORPHAN_KINDS.join(', ')}.` };
}

/** The answer's `settling` (resources too new to judge): 0 when absent or not a count, as from an older API. */
export function settlingCount(page) {
  const n = page?.settling;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * What one scanned page says. state: 'found' (orphans listed), 'none-more' (no orphan on this page but Runway's
 * list goes on: not "none at all"), 'none-end' (no orphan, and the list ended here).
 */
export function scanSummary(page) {
  const orphans = page.data?.length ?? 0;
  const more = Boolean(page.nextCursor);
  const examined = `${number(page.examined ?? 0)} ${page.kind} examined on this page`;
  const settling = settlingCount(page);
  const young = settling
    ? ` ${number(settling)} more ${settling === 1 ? 'is' : 'are'} too recent to judge (an app's create may still be recording ${settling === 1 ? 'it' : 'them'}): scan again shortly.`
    : '';
  if (orphans > 0) {
    return {
      state: 'found',
      text: `${number(orphans)} ${orphans === 1 ? 'orphan' : 'orphans'} among the ${examined}.${young}`
        + (more ? ' More of Runway\'s list follows: see the next page.' : ' Runway\'s list ends here.'),
    };
  }
  return more
    ? { state: 'none-more', text: `No orphan among the ${examined}, but Runway's list goes on: scan the next page before concluding there are none.${young}` }
    : { state: 'none-end', text: `No orphan among the ${examined}; Runway's list ends here.${young}` };
}

/** The reason of an orphan in words. */
export function reasonText(orphan) {
  if (orphan.reason === 'no-owner') return 'no owner recorded';
  if (orphan.reason === 'app-deleted') return 'its app was deleted';
  return orphan.reason ?? '—';
}

/**
 * The scan's hint at the app whose create most likely made a resource with no owner (its create intent; for a
 * conversation, its realtime session's record), or null: `{ appId, title }`, the title saying what the hint rests on.
 */
export function likelyApp(orphan) {
  if (orphan.reason !== 'no-owner' || !orphan.likelyAppId) return null;
  if (orphan.kind === 'avatar_conversations') {
    return {
      appId: orphan.likelyAppId,
      title: `Its realtime session, started at ${orphan.intentStartedAt ?? '?'}, is recorded as ${orphan.likelyAppId}'s;`
        + ' the conversation never was (a hint, not proof)',
    };
  }
  return {
    appId: orphan.likelyAppId,
    title: `A create of this name by ${orphan.likelyAppId} started at ${orphan.intentStartedAt ?? '?'} and never recorded`
      + ' an owner (a hint, not proof)',
  };
}

/**
 * What to do after an assign or delete the API refused (an ApiError), in words; the problem's own title and detail,
 * with its retry-after, are shown beside it (Problem). Nothing changed in any of these cases.
 */
export function actionHint(error) {
  const type = String(error.problem?.type ?? '');
  const wait = typeof error.retryAfter === 'number' ? ` in ${number(error.retryAfter)} s` : ' shortly';
  if (error.status === 409 && /settling$/.test(type)) {
    return `Too recent to act on: an app's create may still be recording it. Scan again${wait}.`;
  }
  if (error.status === 409) return 'An app owns it now: it is no longer an orphan. Scan again.';
  if (error.status === 404) return 'Runway no longer has it. Scan again.';
  if (error.status === 503) return `Runway could not be asked; nothing changed. Try again${wait}.`;
  return '';
}
