// Chinese display names of the contract's codes (reasons, reports, the UI).
import type { Locale, Mode, Stage, Subject } from './schemas.ts';

export const SUBJECT_ZH: Record<Subject, string> = {
  chinese: '语文', math: '数学', english: '英语', ethics_law: '道德与法治', science: '科学', physics: '物理',
  chemistry: '化学', biology: '生物', history: '历史', geography: '地理', info_tech: '信息科技', pe: '体育与健康',
  music: '音乐', art: '美术', labor: '劳动', practice: '综合实践', mental_health: '心理健康',
};
export const SUBJECT_EN: Record<Subject, string> = {
  chinese: 'Chinese', math: 'Maths', english: 'English', ethics_law: 'Ethics & law', science: 'Science', physics: 'Physics',
  chemistry: 'Chemistry', biology: 'Biology', history: 'History', geography: 'Geography', info_tech: 'IT', pe: 'PE & health',
  music: 'Music', art: 'Art', labor: 'Labour', practice: 'Practice', mental_health: 'Mental health',
};
export const STAGE_ZH: Record<Stage, string> = { primary: '小学', junior: '初中' };
export const LOCALE_ZH: Record<Locale, string> = { urban: '城区', town: '镇区', rural: '乡村' };

/** Every kind of move (schemas.ts MODES) in both languages: a new mode needs one entry here, and
 * the CSV reader, the web app, the workbook, the PDF and the CLI all read it from this table. */
export const MODE_LABELS: Record<Mode, readonly [zh: string, en: string]> = {
  transfer: ['调动', 'Transfer'],
  support: ['支教', 'Support'],
  itinerant: ['走教', 'Itinerant'],
  shadow: ['顶岗培养', 'Training placement'],
};
export const MODE_ZH = Object.fromEntries(Object.entries(MODE_LABELS).map(([m, [zh]]) => [m, zh])) as Record<Mode, string>;
