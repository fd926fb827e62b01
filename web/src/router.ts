// Hash routes (#/flows?run=3): the server serves one index.html, and a URL names the exact view
// (page, run, filters), so a planner can send a leader the link to what they are looking at.

export type PageName = 'login' | 'data' | 'posts' | 'scenario' | 'rounds' | 'tradeoff' | 'flows' | 'compare' | 'audit' | 'teacher' | 'users';
export const PAGES: readonly PageName[] = ['data', 'posts', 'scenario', 'rounds', 'tradeoff', 'flows', 'compare', 'audit', 'teacher', 'users'];

export interface Route {
  page: PageName;
  /** Path segment after the page (#/teacher/T00012 → 'T00012'). */
  arg: string | null;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = raw.split('?', 2);
  const [head = '', ...rest] = path.split('/');
  const page = (['login', ...PAGES] as string[]).includes(head) ? (head as PageName) : 'data';
  const arg = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  return { page, arg, query: new URLSearchParams(qs) };
}

export function href(page: PageName, query: Record<string, string | number | null | undefined> = {}, arg?: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ''}${qs ? `?${qs}` : ''}`;
}

export function navigate(page: PageName, query: Record<string, string | number | null | undefined> = {}, arg?: string): void {
  location.hash = href(page, query, arg);
}

/** Changes the query of the current route without a new history entry or a re-render. */
export function replaceQuery(query: Record<string, string | number | null | undefined>): void {
  const r = parseHash(location.hash);
  const merged: Record<string, string> = Object.fromEntries(r.query.entries());
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined || v === '') delete merged[k];
    else merged[k] = String(v);
  }
  history.replaceState(null, '', href(r.page, merged, r.arg ?? undefined));
}

export const current = (): Route => parseHash(location.hash);
