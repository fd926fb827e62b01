// The append-only activity log: who (user id), what, when, which ids. Read-only over HTTP;
// the database refuses updates and deletes of it (triggers in db.ts).
import { z } from 'zod';
import { type App, type Deps, authErrors } from './http.ts';

const entrySchema = z.object({
  id: z.number().int(), at: z.string(), user_id: z.number().int().nullable(), action: z.string(), entity: z.string(),
  entity_id: z.number().int().nullable(), details: z.record(z.string(), z.unknown()).nullable(),
});
type EntryRow = Omit<z.infer<typeof entrySchema>, 'details'> & { details: string | null };

export function activityRoutes(app: App, { db }: Deps): void {
  app.get('/api/activity', {
    config: { access: 'activity' },
    schema: {
      tags: ['activity'], summary: '操作日志（新的在前；before 翻页）',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().positive().optional(),
        entity: z.string().max(20).optional(),
        entity_id: z.coerce.number().int().positive().optional(),
      }),
      response: { 200: z.object({ items: z.array(entrySchema) }), ...authErrors },
    },
  }, async (req) => {
    const { limit, before, entity, entity_id } = req.query;
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (before !== undefined) { where.push('id < ?'); args.push(before); }
    if (entity !== undefined) { where.push('entity = ?'); args.push(entity); }
    if (entity_id !== undefined) { where.push('entity_id = ?'); args.push(entity_id); }
    const rows = await db.all<EntryRow>(
      `SELECT * FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, ...args, limit);
    return { items: rows.map((r) => ({ ...r, details: r.details === null ? null : z.record(z.string(), z.unknown()).parse(JSON.parse(r.details)) })) };
  });
}
