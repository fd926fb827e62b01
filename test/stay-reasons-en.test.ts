// The English of the solver's stay reasons (solver/report/stay-reasons-en.ts): each sentence
// exactly, and every reason real plans give translated, so a new Chinese sentence without its
// English fails here rather than showing Chinese on the English teacher page.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../solver/contract/dataset.ts';
import { buildCountyContext, countiesOf } from '../solver/policy/county.ts';
import { planDataset } from '../solver/pipeline.ts';
import { stayReasons, stayReasonsOf } from '../solver/report/stay-reasons.ts';
import { stayReasonEn } from '../solver/report/stay-reasons-en.ts';
import { highsEngine } from '../server/engine.ts';
import { loadSample } from './helpers/datasets.ts';

const labels = { subject: (c: string) => `<${c}>`, stage: (c: string) => `<${c}>` };
const en = (zh: string) => stayReasonEn(zh, labels);
/** Chinese left in a translation, apart from what a planner wrote (a lock's reason) or a quoted rule name. */
const chineseLeft = (text: string) => /[\u4e00-\u9fff]/.test(text.replace(/^Locked to stay: [\s\S]*$/, '').replace(/“[^”]*”/g, ''));

describe('each sentence of the solver', () => {
  it.each([
    ['锁定留任：产假返岗，暂不交流', 'Locked to stay: 产假返岗，暂不交流'],
    ['无可去学校：县内无其他同学段学校', 'No school to go to: no other school of the same stage in the county'],
    ['无可去学校：通勤上限0.5公里内无同学段学校', 'No school to go to: no school of the same stage within the 0.5 km commute limit'],
    ['无可去学校：只向乡村或薄弱学校交流，县内无同学段的乡村或薄弱学校', 'No school to go to: moves go to rural or weak schools only, and the county has none of the same stage'],
    ['无可去学校：通勤上限与只向乡村或薄弱学校交流合并后无同学段的可去学校', 'No school to go to: the commute limit and rural-or-weak-only moves together leave no school of the same stage'],
    ['本校流出上限为0人（⌊20% × 4⌋），不能调出', 'The school\'s outflow cap is 0 teachers (⌊20% × 4⌋): nobody can leave it'],
    ['本校流出已达上限（已调出3人 = ⌊20% × 17⌋）', 'The school\'s outflow cap is reached (3 leaving = ⌊20% × 17⌋)'],
    ['留任：本校数学缺口，调出会新增缺口（需4人，交流后现有3人）', 'Stays: the school is short of <math> teachers; leaving would open a gap (needs 4, has 3 after the plan)'],
    // A 走教 share leaves half a teacher at home.
    ['留任：本校体育与健康缺口，调出会新增缺口（需5人，交流后现有4.5人）', 'Stays: the school is short of <pe> teachers; leaving would open a gap (needs 5, has 4.5 after the plan)'],
    ['留任：本校初中体育与健康教师刚好够用，调出会新增缺口（需2人，交流后现有2人）', 'Stays: the school has just enough <junior> <pe> teachers; leaving would open a gap (needs 2, has 2 after the plan)'],
    ['名额已满：本次只需交流12人（交流预算⌈10% × 118⌉）', 'The budget is full: this plan rotates only 12 teachers (budget ⌈10% × 118⌉)'],
    ['名额已满：本次只需交流5人（交流预算锁定交流5人）', 'The budget is full: this plan rotates only 5 teachers (budget 5 locked moves)'],
    ['未选中：再调出此人不能进一步改善均衡或补缺（预算内还可多交流1人）', 'Not chosen: moving this teacher would not improve the balance or fill a need any further (the budget has room for 1 more)'],
  ])('%s', (zh, english) => expect(en(zh)).toBe(english));

  it('a sentence it does not know gives null (the page then shows the Chinese)', () => {
    expect(en('某个新的理由')).toBeNull();
    expect(en('留任：本校算盘缺口，调出会新增缺口（需1人，交流后现有1人）')).toBeNull();
  });
});

const ds = await loadSample('small-county');

describe('every reason real plans give', () => {
  const contextOf = (d: Dataset) => buildCountyContext(countiesOf(d)[0]!, d);
  const expectTranslated = (reasons: Iterable<string>) => {
    const list = [...reasons];
    expect(list.length).toBeGreaterThan(0);
    for (const zh of list) {
      const text = en(zh);
      expect(text, zh).not.toBeNull();
      expect(chineseLeft(text!), text!).toBe(false);
    }
  };

  it('the planner\'s plan: budget, outflow cap, own need, locks', async () => {
    expectTranslated(Object.values(stayReasonsOf(ds, await planDataset(ds, highsEngine()))));
  }, 60_000);

  it('no destination under a commute limit and rural-or-weak-only moves', () => {
    const near = contextOf({ ...ds, policy: { ...ds.policy, limits: { ...ds.policy.limits, maxCommuteKm: 0.5 } } });
    const rural = contextOf({ ...ds, policy: { ...ds.policy, limits: { ...ds.policy.limits, maxCommuteKm: 8 }, flows: { ...ds.policy.flows, towardRuralOrWeakOnly: true } } });
    expectTranslated([...stayReasons(near, []).values(), ...stayReasons(rural, []).values()]);
  });
});
