// Chinese display names of the contract's codes (reasons, reports, the UI).
import type { Locale, Mode, Stage, Subject } from './schemas.ts';

export const SUBJECT_ZH: Record<Subject, string> = {
  chinese: '语文', math: '数学', english: '英语', ethics_law: '道德与法治', science: '科学', physics: '物理',
  chemistry: '化学', biology: '生物', history: '历史', geography: '地理', info_tech: '信息科技', pe: '体育与健康',
  music: '音乐', art: '美术', labor: '劳动', practice: '综合实践', mental_health: '心理健康',
};
export const STAGE_ZH: Record<Stage, string> = { primary: '小学', junior: '初中' };
export const LOCALE_ZH: Record<Locale, string> = { urban: '城区', town: '镇区', rural: '乡村' };
export const MODE_ZH: Record<Mode, string> = { transfer: '调动', support: '支教', itinerant: '走教', shadow: '顶岗培养' };
