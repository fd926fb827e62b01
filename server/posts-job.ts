// The spring share-out of 编制 and 岗位 (solver/cycle/posts.ts, `lungang posts`) as task-pool jobs
// (run-job.ts): the posts of a dataset under a scenario's policy, and the files of a dataset whose
// needs are those posts — computed, or a planner's edited posts.csv — in place of its needs.csv.
// The new files are validated by the upload's own check (routes/datasets.ts createDataset).
import type { Policy } from '../solver/contract/schemas.ts';
import { loadDataset } from '../solver/contract/dataset.ts';
import { type AllocatedPost, type CountyPosts, allocatePosts, postsCsvText, postsProblemErrors } from '../solver/cycle/posts.ts';
import type { InputError } from '../solver/contract/input-errors.ts';
import { type StoredFile, withoutTables } from './dataset-tables.ts';

export interface PostsRequest { files: StoredFile[]; policy: Policy }
/** `csv`: posts.csv exactly as `lungang posts` writes it. */
export type PostsReply = { ok: true; rows: AllocatedPost[]; counties: CountyPosts[]; csv: string } | { ok: false; errors: InputError[] };
/** `edited`: the planner's posts.csv; null: the computed one. */
export interface PostsAdoptRequest extends PostsRequest { edited: StoredFile | null }
export type PostsAdoptReply = { ok: true; files: StoredFile[] } | { ok: false; errors: InputError[] };

export async function postsTask(req: PostsRequest): Promise<PostsReply> {
  const loaded = await loadDataset(req.files);
  if (!loaded.ok) return loaded;
  const r = allocatePosts(loaded.dataset.schools, req.policy);
  if (!r.ok) return { ok: false, errors: postsProblemErrors(r.problems) };
  return { ok: true, rows: r.rows, counties: r.counties, csv: postsCsvText(r.rows) };
}

export async function postsAdoptTask(req: PostsAdoptRequest): Promise<PostsAdoptReply> {
  let posts: string | Uint8Array;
  if (req.edited) posts = req.edited.content;
  else {
    const computed = await postsTask(req);
    if (!computed.ok) return computed;
    posts = computed.csv;
  }
  // posts.csv stands for needs.csv (both at once is an input error), and replaces an earlier posts.csv.
  const kept = await withoutTables(req.files, ['needs', 'posts']);
  return { ok: true, files: [...kept, { name: 'posts.csv', content: typeof posts === 'string' ? new TextEncoder().encode(posts) : posts }] };
}
