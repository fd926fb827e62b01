// The flows page's pure model: clusters keyed by county, small clusters grouped by county and
// locale, schools merged by pixel distance, node flows, and the magnitude order and threshold.
import { hsl } from 'd3';
import { describe, expect, it } from 'vitest';
import { groupPalette } from '../web/src/charts/palette.ts';
import type { PlanRow, School } from '../solver/contract/schemas.ts';
import { clusterLocales, groupClusters, groupFlows, groupParts, isLump, lumpKey } from '../web/src/flows-groups.ts';
import { mergeOverlapping, nodeFlows } from '../web/src/flows-merge.ts';
import {
  type Move, byMagnitude, clusterOf, clusterParts, defaultThreshold, inCounty, mostlyItinerant, movesDetail, resolveMoves, schoolFlows, splitByThreshold, summarize,
} from '../web/src/flows-model.ts';

const school = (id: string, o: Partial<School> = {}): School =>
  ({ id, name: o.name ?? `学校${id}`, stage: 'primary', locale: 'rural', weak: false, teaching_point: false, ...o });
let n = 0;
const row = (from: string, to: string, o: Partial<PlanRow> = {}): PlanRow =>
  ({ teacher_id: `T${++n}`, from_school_id: from, to_school_id: to, mode: 'transfer', reason: '', subject: 'chinese', backbone: 'none', ...o });
const movesOf = (schools: School[], rows: PlanRow[]): Move[] => resolveMoves(rows, new Map(schools.map((s) => [s.id, s])));

describe('clusters belong to their county', () => {
  const a1 = school('A1', { county: '甲县', cluster: '城东学区', locale: 'urban' });
  const a2 = school('A2', { county: '甲县', cluster: '城西学区', locale: 'urban' });
  const b1 = school('B1', { county: '乙县', cluster: '城东学区', locale: 'urban' });
  const b2 = school('B2', { county: '乙县', cluster: '城西学区', locale: 'urban' });
  const c1 = school('C1', { county: '丙县', cluster: '城东学区', locale: 'town' });
  const c2 = school('C2', { county: '丙县', cluster: '北台学区' });
  const all = [a1, a2, b1, b2, c1, c2];
  const moves = movesOf(all, [row('A1', 'A2'), row('A1', 'A2'), row('B1', 'B2'), row('B2', 'B1'), row('C1', 'C2'), row('C2', 'C1')]);

  it('keys two counties\' 城东学区 apart and reads the key back', () => {
    expect(clusterOf(a1)).not.toBe(clusterOf(b1));
    expect(clusterParts(clusterOf(b1))).toEqual({ county: '乙县', name: '城东学区' });
    expect(clusterParts(clusterOf(school('X')))).toEqual({ county: '', name: '' });
  });

  it('never sums a cluster across counties: every group flow stays inside one county', () => {
    const flows = groupFlows(moves, clusterOf);
    const east = flows.filter((f) => clusterParts(f.from).name === '城东学区');
    expect(east.map((f) => [clusterParts(f.from).county, f.count]).sort()).toEqual([['丙县', 1], ['乙县', 1], ['甲县', 2]]);
    for (const f of flows) expect(clusterParts(f.from).county).toBe(clusterParts(f.to).county);
    const total = flows.reduce((s, f) => s + f.count, 0);
    expect(total).toBe(moves.length);
  });

  it('filters schools and moves to one county', () => {
    const one = inCounty(all, moves, '乙县');
    expect(one.schools.map((s) => s.id)).toEqual(['B1', 'B2']);
    expect(one.moves).toHaveLength(2);
    expect(inCounty(all, moves, '').moves).toHaveLength(moves.length);
  });
});

describe('kinds of move and clusters, as the flows page counts them', () => {
  const a = school('A', { county: '甲县', cluster: '城东学区' });
  const b = school('B', { county: '甲县', cluster: '城东学区' });
  const c = school('C', { county: '甲县', cluster: '城西学区' });
  const d = school('D', { county: '甲县' });
  const e = school('E', { county: '甲县' });
  const moves = movesOf([a, b, c, d, e], [
    row('A', 'B', { mode: 'itinerant', fte: 0.5 }), row('A', 'B', { mode: 'itinerant', fte: 0.25 }), row('A', 'B'),
    row('A', 'C', { mode: 'support' }), row('D', 'E'),
  ]);

  it('counts moves within one 学区 and across, as the audit does: two schools without a cluster share none', () => {
    const s = summarize(moves, schoolFlows(moves));
    expect([s.withinCluster, s.crossCluster]).toEqual([3, 2]);
  });

  it('tells the kinds of move and the posts the 走教 shares add up to', () => {
    const detail = movesDetail(moves);
    expect(detail.modes).toEqual([['itinerant', 2], ['transfer', 2], ['support', 1]]);
    expect(detail.itinerantFte).toBe(0.75);
  });

  it('dashes a flow only when most of its teachers are 走教', () => {
    const ab = schoolFlows(moves).find((f) => f.from.id === 'A' && f.to.id === 'B')!;
    expect(mostlyItinerant(ab.moves)).toBe(true);
    expect(mostlyItinerant(ab.moves.slice(1))).toBe(false);
  });
});

describe('small clusters are grouped by county and locale', () => {
  // Two counties, each with 2 urban and 10 rural clusters; cluster i has i + 1 moves within.
  const schools: School[] = [];
  const rows: PlanRow[] = [];
  for (const county of ['甲县', '乙县']) {
    for (let i = 0; i < 12; i++) {
      const locale = i < 2 ? 'urban' : 'rural';
      const a = school(`${county}${i}a`, { county, cluster: `学区${i}`, locale });
      const b = school(`${county}${i}b`, { county, cluster: `学区${i}`, locale });
      schools.push(a, b);
      for (let k = 0; k <= i; k++) rows.push(row(a.id, b.id));
    }
  }
  const moves = movesOf(schools, rows);
  const g = groupClusters(moves, clusterLocales(schools), 16);

  it('keeps the busiest clusters and lumps the rest per county and locale', () => {
    const kept = [...new Set(schools.map(clusterOf))].filter((c) => g.groupOf(c) === c);
    expect(kept).toHaveLength(16);
    // Quietest are 学区0..学区3 of each county: 0 and 1 urban, 2 and 3 rural.
    expect(g.groupOf(clusterOf(schools.find((s) => s.id === '甲县0a')!))).toBe(lumpKey('甲县', 'urban'));
    expect(g.groupOf(clusterOf(schools.find((s) => s.id === '乙县3a')!))).toBe(lumpKey('乙县', 'rural'));
    expect(g.sizes.get(lumpKey('甲县', 'urban'))).toBe(2);
    expect(g.sizes.get(lumpKey('乙县', 'rural'))).toBe(2);
    expect(groupParts(lumpKey('乙县', 'rural'))).toEqual({ county: '乙县', name: 'rural', lump: true });
  });

  it('orders groups by county, then urban before rural, each lump after its locale\'s clusters', () => {
    const counties = g.order.map((k) => groupParts(k).county);
    expect(counties).toEqual([...counties].sort((a, b) => a.localeCompare(b, 'zh-CN')));
    const jia = g.order.filter((k) => groupParts(k).county === '甲县');
    expect(jia.map((k) => [g.localeOf(k), isLump(k)])).toEqual([['urban', true], ...Array(8).fill(['rural', false]), ['rural', true]]);
  });

  it('colours neighbouring groups apart: shades alternate within a locale, lumps are greyed', () => {
    const colours = groupPalette(g.order.map((k) => ({ key: k, locale: g.localeOf(k), lump: isLump(k) })));
    const rural = g.order.filter((k) => g.localeOf(k) === 'rural' && !isLump(k) && groupParts(k).county === '甲县').map((k) => hsl(colours.get(k)!));
    for (let i = 1; i < rural.length; i++) expect(Math.abs(rural[i]!.l - rural[i - 1]!.l)).toBeGreaterThan(0.12);
    expect(new Set(rural.map((c) => c.formatHex())).size).toBe(rural.length);
    expect(hsl(colours.get(lumpKey('甲县', 'rural'))!).s).toBeLessThan(0.2);
  });

  it('does not lump a single cluster, nor anything when few clusters', () => {
    const few = groupClusters(moves, clusterLocales(schools), 23);
    expect([...few.sizes]).toEqual([]);
    expect(new Set(schools.map(clusterOf)).size).toBe(24);
    expect(groupClusters(moves, clusterLocales(schools), 30).order).toHaveLength(24);
  });
});

describe('schools merged by pixel distance', () => {
  const s = (id: string, students: number) => school(id, { students_primary: students });
  const weight = (x: School) => x.students_primary ?? 0;
  const radius = (list: readonly School[]) => 2 + Math.sqrt(list.reduce((a, x) => a + weight(x), 0)) / 10;

  it('merges schools whose dots would overlap and keeps apart those that do not', () => {
    // Radii 2 + √400/10 = 4; A and B 6 px apart overlap (< 4 + 4 + 2); C is 40 px away.
    const nodes = mergeOverlapping([{ school: s('A', 400), x: 100, y: 100 }, { school: s('B', 400), x: 106, y: 100 }, { school: s('C', 400), x: 140, y: 100 }], { radius, weight, gap: 2 });
    expect(nodes.map((x) => x.schools.map((y) => y.id).sort())).toEqual([['A', 'B'], ['C']]);
    const ab = nodes.find((x) => x.schools.length === 2)!;
    expect(ab.x).toBeCloseTo(103);
    expect(ab.id).toBe('m:A,B');
    expect(ab.r).toBeCloseTo(radius([s('A', 400), s('B', 400)]));
  });

  it('places a merged node at the students-weighted centre and names it by the biggest school', () => {
    const [node] = mergeOverlapping([{ school: s('A', 900), x: 0, y: 0 }, { school: s('B', 99), x: 8, y: 0 }], { radius, weight, gap: 2 });
    expect(node!.x).toBeCloseTo((8 * 100) / (901 + 100));
    expect(node!.name).toBe('学校A');
  });

  it('leaves no two nodes overlapping, however dense the town centre', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const points = Array.from({ length: 200 }, (_, i) => ({ school: s(`S${i}`, Math.floor(rnd() * 3000)), x: 400 + rnd() * 120 * (rnd() < 0.5 ? 1 : 5), y: 300 + rnd() * 100 }));
    const nodes = mergeOverlapping(points, { radius, weight, gap: 3 });
    expect(nodes.reduce((a, x) => a + x.schools.length, 0)).toBe(200);
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(a.r + b.r + 3);
    }
  });

  it('sums flows between nodes and counts those inside one', () => {
    const all = [s('A', 400), s('B', 400), s('C', 400)];
    const nodes = mergeOverlapping(all.map((x, i) => ({ school: x, x: i === 2 ? 200 : i * 5, y: 0 })), { radius, weight, gap: 2 });
    const flows = schoolFlows(movesOf(all, [row('A', 'C'), row('B', 'C', { backbone: 'county' }), row('A', 'B'), row('C', 'A')]));
    const { between, within } = nodeFlows(nodes, flows);
    expect(between.map((f) => [f.from.id, f.to.id, f.count, f.backbone])).toEqual([['m:A,B', 'C', 2, 1], ['C', 'm:A,B', 1, 0]]);
    expect(within.get('m:A,B')).toBe(1);
  });
});

describe('flow order and threshold', () => {
  it('orders by teachers, then backbone, then toward rural/weak, never by id first', () => {
    const z = school('Z', { name: '甲校', locale: 'urban' });
    const a = school('A', { name: '乙校', locale: 'urban' });
    const r = school('R', { name: '丙校', locale: 'rural' });
    const t = school('T', { name: '丁校', locale: 'urban' });
    const flows = schoolFlows(movesOf([z, a, r, t], [
      row('A', 'T'), row('A', 'T'), // 2 teachers, no backbone
      row('Z', 'T'), row('Z', 'T', { backbone: 'city' }), // 2 teachers, 1 backbone: before A→T though its id sorts after
      row('Z', 'A'), // 1 teacher, other
      row('A', 'R'), // 1 teacher toward rural: before Z→A
    ]));
    expect(flows.map((f) => `${f.from.id}>${f.to.id}`)).toEqual(['Z>T', 'A>T', 'A>R', 'Z>A']);
    expect(byMagnitude(flows[0]!, flows[1]!)).toBeLessThan(0);
  });

  it('picks a default threshold that never splits equal flows', () => {
    expect(defaultThreshold([5, 4, 3, 3, 2, 1], 3)).toBe(4); // 3 flows ≥ 3 would be 4 > target: ≥ 4 keeps 2
    expect(defaultThreshold([3, 3, 3, 3], 2)).toBe(3); // all equal: all strong rather than an arbitrary half
    expect(defaultThreshold([9, 1], 60)).toBe(1);
    const split = splitByThreshold([{ count: 5, toward: 1 }, { count: 2, toward: 2 }, { count: 1, toward: 0 }], 2);
    expect([split.strong.length, split.faded.length, split.fadedTeachers, split.fadedToward]).toEqual([2, 1, 1, 0]);
  });
});
