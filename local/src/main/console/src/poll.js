// The pure part of usePoll (components.jsx): which answer a poll may show for the query it is asked now.

/** Whether two hook dependency lists hold the same values, compared as hooks compare them (Object.is). */
export function sameDeps(a, b) {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

const NOTHING = Object.freeze({ data: undefined, error: undefined, updatedAt: undefined });

/**
 * What a poll's state ({deps, data, error, updatedAt}: the last answer and the deps it was loaded for) shows
 * under `deps`: that answer when it was loaded for exactly these deps, else nothing yet. So a render with new
 * deps (before the poll's effect has started over) can never show another query's answer as this one's.
 */
export function answerFor(state, deps) {
  if (!state || !sameDeps(state.deps, deps)) return NOTHING;
  return { data: state.data, error: state.error, updatedAt: state.updatedAt };
}
