// Synthetic Chinese names for the data generator: people, townships, villages and counties.
// Every name is made up from syllable lists; any match with a real person or place is chance.
import type { Rng } from './random.ts';

// Common surnames, roughly in frequency order; the first ones are drawn more often.
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何',
  '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田',
  '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚',
  '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏', '韦', '付', '方', '白',
  '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯', '龙', '史', '陶', '黎', '贺',
  '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '武', '戴', '莫', '孔', '向', '汤', '欧阳',
] as const;

const GIVEN_F = [
  '丽', '娟', '敏', '静', '燕', '艳', '霞', '芳', '红', '玲', '婷', '雪', '梅', '琳', '慧', '颖', '倩',
  '洁', '萍', '莉', '英', '华', '兰', '晶', '蓉', '欣', '悦', '佳', '璐', '菲', '瑶', '怡', '娜', '薇',
  '琴', '凤', '秀', '珍', '春', '月', '晓', '思', '雨', '心', '宁', '安', '文', '丹', '彤', '露',
] as const;

const GIVEN_M = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '波', '华', '飞',
  '鑫', '宇', '浩', '凯', '健', '俊', '帆', '建', '国', '峰', '海', '林', '东', '志', '文', '亮', '兵',
  '龙', '成', '晨', '阳', '博', '毅', '新', '德', '永', '春', '晓', '思', '安', '宏', '旭', '江',
] as const;

/** A person's name: surname + 1 or 2 given-name characters. */
export function personName(rng: Rng, gender: 'M' | 'F'): string {
  // Skew toward common surnames: index = floor(n · u^1.6).
  const idx = Math.floor(SURNAMES.length * Math.pow(rng.float(), 1.6));
  const surname = SURNAMES[Math.min(idx, SURNAMES.length - 1)] ?? '王';
  const pool = gender === 'F' ? GIVEN_F : GIVEN_M;
  const given = rng.chance(0.72) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return surname + given;
}

// Place names: first syllable × second syllable.
const PLACE_A = [
  '石', '柳', '龙', '白', '黄', '清', '马', '杨', '桃', '新', '太', '永', '长', '高', '青', '双', '金',
  '银', '松', '竹', '梅', '兰', '凤', '鹤', '东', '西', '南', '北', '红', '大', '小', '平', '安', '福',
  '丰', '河', '溪', '枫', '槐', '桂', '三', '五', '洪', '花', '云', '雁', '梨', '茶', '官', '罗',
] as const;
const PLACE_B = [
  '桥', '林', '泉', '沙', '坪', '溪', '山', '湾', '岭', '口', '田', '塘', '坝', '河', '庄', '店', '铺',
  '寨', '岗', '源', '滩', '洲', '峪', '阳', '江', '冲', '垭', '堰', '集', '营', '台', '沟', '湖', '岩',
] as const;
const VILLAGE_PREFIX = ['张家', '李家', '王家', '刘家', '陈家', '周家', '何家', '罗家', '杨家', '徐家'] as const;

/** Hands out place names that are unique within one generator run. */
export class PlaceNamer {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng, reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r);
  }
  private fresh(make: () => string): string {
    for (let i = 0; i < 200; i++) {
      const name = make();
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    // Name space exhausted (very large counties): add a numeral.
    for (let n = 2; ; n++) {
      const name = make() + cnNumber(n);
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
  /** A township name (two characters), e.g. 石桥. */
  township(): string {
    return this.fresh(() => this.rng.pick(PLACE_A) + this.rng.pick(PLACE_B));
  }
  /** A village name, e.g. 柳湾 or 张家坪. */
  village(): string {
    return this.fresh(() =>
      this.rng.chance(0.2)
        ? this.rng.pick(VILLAGE_PREFIX) + this.rng.pick(PLACE_B)
        : this.rng.pick(PLACE_A) + this.rng.pick(PLACE_B),
    );
  }
}

const COUNTY_A = ['青', '澜', '栖', '碧', '望', '枫', '梧', '鹤', '溪', '岚', '沅', '桐', '汀', '霁', '渠', '芷'] as const;
const COUNTY_B = ['川', '岭', '源', '阳', '泉', '江', '宁', '平', '安', '丰', '陵', '溪'] as const;

/** The k-th fictional county name of a seeded sequence (distinct for k < 192). */
export function countyName(seed: number, k: number): string {
  const n = COUNTY_A.length * COUNTY_B.length;
  // A stride coprime with n walks through every combination once.
  const i = (((seed >>> 0) % n) + k * 37) % n;
  const base = `${COUNTY_A[i % COUNTY_A.length] ?? '青'}${COUNTY_B[Math.floor(i / COUNTY_A.length)] ?? '川'}县`;
  return k < n ? base : `${base.slice(0, -1)}${cnNumber(Math.floor(k / n) + 1)}县`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** Chinese numeral for 1–999 (十一, 二十三, 一百零五). */
export function cnNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n < 20) return '十' + (n % 10 ? (DIGITS[n % 10] ?? '') : '');
  if (n < 100) return (DIGITS[Math.floor(n / 10)] ?? '') + '十' + (n % 10 ? (DIGITS[n % 10] ?? '') : '');
  if (n < 1000) {
    const rest = n % 100;
    const tail = rest === 0 ? '' : rest < 10 ? '零' + (DIGITS[rest] ?? '') : rest < 20 ? '一' + cnNumber(rest) : cnNumber(rest);
    return (DIGITS[Math.floor(n / 100)] ?? '') + '百' + tail;
  }
  return String(n);
}
