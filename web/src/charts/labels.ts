// Label placement without overlaps: candidates in priority order try four spots around their
// anchor and are dropped when every spot collides with a label (or an avoided box) already
// placed. Widths are estimated (CJK glyphs ≈ 1 em, others ≈ 0.58 em) so placement needs no
// layout pass.
export interface Box { x: number; y: number; w: number; h: number }
export interface LabelCandidate { id: string; text: string; x: number; y: number; r: number }
export interface PlacedLabel { id: string; text: string; x: number; y: number; anchor: 'start' | 'end' | 'middle' }

export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? fontSize : fontSize * 0.58;
  return w;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export function placeLabels(cands: readonly LabelCandidate[], fontSize: number, bounds: Box, avoid: readonly Box[] = []): PlacedLabel[] {
  const taken: Box[] = [...avoid];
  const out: PlacedLabel[] = [];
  const h = fontSize * 1.25;
  for (const c of cands) {
    const w = textWidth(c.text, fontSize) + 4;
    const gap = c.r + 3;
    const spots: (Box & { anchor: PlacedLabel['anchor']; tx: number; ty: number })[] = [
      { x: c.x + gap, y: c.y - h / 2, w, h, anchor: 'start', tx: c.x + gap, ty: c.y },
      { x: c.x - gap - w, y: c.y - h / 2, w, h, anchor: 'end', tx: c.x - gap, ty: c.y },
      { x: c.x - w / 2, y: c.y - gap - h, w, h, anchor: 'middle', tx: c.x, ty: c.y - gap - h / 2 },
      { x: c.x - w / 2, y: c.y + gap, w, h, anchor: 'middle', tx: c.x, ty: c.y + gap + h / 2 },
    ];
    const ok = spots.find((s) => s.x >= bounds.x && s.y >= bounds.y && s.x + s.w <= bounds.x + bounds.w && s.y + s.h <= bounds.y + bounds.h && !taken.some((t) => overlaps(s, t)));
    if (!ok) continue;
    taken.push(ok);
    out.push({ id: c.id, text: c.text, x: ok.tx, y: ok.ty, anchor: ok.anchor });
  }
  return out;
}
