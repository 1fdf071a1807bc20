// Where demo customers live and what they do: cities weighted toward the big markets,
// occupations by age, and the names of organisations that buy from the store.
import { type Random, weightedTable } from './random.js';

export interface City {
  name: string;
  /** Province, or the city itself for the four municipalities. */
  region: string;
}

/** Weights roughly follow each city's share of online retail, so 北京 and 上海 lead. */
export const CITIES = weightedTable<City>([
  [{ name: '上海', region: '上海' }, 11],
  [{ name: '北京', region: '北京' }, 10],
  [{ name: '广州', region: '广东' }, 8],
  [{ name: '深圳', region: '广东' }, 8],
  [{ name: '杭州', region: '浙江' }, 6],
  [{ name: '成都', region: '四川' }, 6],
  [{ name: '重庆', region: '重庆' }, 5],
  [{ name: '武汉', region: '湖北' }, 5],
  [{ name: '南京', region: '江苏' }, 5],
  [{ name: '苏州', region: '江苏' }, 4.5],
  [{ name: '西安', region: '陕西' }, 4],
  [{ name: '天津', region: '天津' }, 4],
  [{ name: '长沙', region: '湖南' }, 3.5],
  [{ name: '郑州', region: '河南' }, 3.5],
  [{ name: '青岛', region: '山东' }, 3],
  [{ name: '东莞', region: '广东' }, 3],
  [{ name: '宁波', region: '浙江' }, 3],
  [{ name: '佛山', region: '广东' }, 2.5],
  [{ name: '合肥', region: '安徽' }, 2.5],
  [{ name: '厦门', region: '福建' }, 2],
  [{ name: '福州', region: '福建' }, 2],
  [{ name: '济南', region: '山东' }, 2],
  [{ name: '沈阳', region: '辽宁' }, 2],
  [{ name: '昆明', region: '云南' }, 2],
  [{ name: '无锡', region: '江苏' }, 2],
  [{ name: '大连', region: '辽宁' }, 1.5],
  [{ name: '哈尔滨', region: '黑龙江' }, 1.5],
  [{ name: '温州', region: '浙江' }, 1.5],
  [{ name: '南昌', region: '江西' }, 1.3],
  [{ name: '南宁', region: '广西' }, 1.3],
  [{ name: '石家庄', region: '河北' }, 1.3],
  [{ name: '长春', region: '吉林' }, 1.2],
  [{ name: '贵阳', region: '贵州' }, 1.2],
  [{ name: '泉州', region: '福建' }, 1.2],
  [{ name: '太原', region: '山西' }, 1],
  [{ name: '珠海', region: '广东' }, 1],
  [{ name: '徐州', region: '江苏' }, 1],
  [{ name: '烟台', region: '山东' }, 0.9],
  [{ name: '绍兴', region: '浙江' }, 0.8],
  [{ name: '金华', region: '浙江' }, 0.8],
  [{ name: '惠州', region: '广东' }, 0.8],
  [{ name: '中山', region: '广东' }, 0.8],
  [{ name: '洛阳', region: '河南' }, 0.7],
  [{ name: '兰州', region: '甘肃' }, 0.7],
  [{ name: '海口', region: '海南' }, 0.7],
  [{ name: '乌鲁木齐', region: '新疆' }, 0.6],
  [{ name: '呼和浩特', region: '内蒙古' }, 0.5],
  [{ name: '三亚', region: '海南' }, 0.4],
  [{ name: '银川', region: '宁夏' }, 0.3],
  [{ name: '西宁', region: '青海' }, 0.3],
  [{ name: '拉萨', region: '西藏' }, 0.15],
]);

/** Shopping centres that host the store's counters. */
export const MALLS = ['万达广场', '万象城', '大悦城', '来福士', '银泰城', '吾悦广场', '龙湖天街', '印象城'] as const;

const WORKING_OCCUPATIONS = weightedTable<string>([
  ['公司职员', 8],
  ['销售', 3],
  ['个体经营', 3],
  ['程序员', 3],
  ['教师', 3],
  ['工程师', 2.5],
  ['公务员', 2],
  ['会计', 2],
  ['工人', 2],
  ['自由职业', 2],
  ['医生', 1.5],
  ['护士', 1.5],
  ['设计师', 1.5],
  ['金融从业者', 1.5],
  ['企业主', 1],
  ['司机', 1],
  ['媒体从业者', 0.8],
  ['厨师', 0.7],
  ['律师', 0.6],
]);

export function drawOccupation(random: Random, age: number, female: boolean): string {
  if (age < 23 && random.chance(0.7)) return '学生';
  if (age >= 58 && random.chance(0.7)) return '退休';
  if (female && age >= 25 && age <= 45 && random.chance(0.06)) return '全职妈妈';
  return random.weighted(WORKING_OCCUPATIONS);
}

const TRADE_NAMES = [
  '华信', '恒达', '瑞丰', '鼎盛', '启航', '博远', '中科', '万通', '金桥', '新纪元', '天和', '远景', '汇智', '联创', '东方',
  '宏图', '嘉禾', '明德', '安泰', '正邦', '云帆', '德润', '星辰', '海纳', '锦程', '同舟', '睿思', '长青', '立信', '众合',
] as const;
const INDUSTRIES = ['科技', '贸易', '商贸', '文化传媒', '餐饮管理', '电子商务', '建筑工程', '物流', '教育咨询', '医疗器械', '信息技术', '健康管理'] as const;
const INSTITUTIONS = [
  '教育局', '人民医院', '第一中学', '实验小学', '图书馆', '税务局', '文化和旅游局', '市场监督管理局', '人力资源和社会保障局', '科学技术局', '妇幼保健院', '职业技术学院',
] as const;

export function drawCompanyName(random: Random, city: City): string {
  const suffix = random.chance(0.85) ? '有限公司' : '股份有限公司';
  return `${city.name}${random.pick(TRADE_NAMES)}${random.pick(INDUSTRIES)}${suffix}`;
}

export function drawInstitutionName(random: Random, city: City): string {
  return `${city.name}市${random.pick(INSTITUTIONS)}`;
}
