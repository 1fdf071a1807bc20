// The demo store's retail catalogue: categories of real-looking products with SKUs, prices
// and launch dates, and the way a shopper picks from it (best sellers first, new arrivals
// for trend-followers, nothing before it was launched).
import { DAY_MS } from '../../core/time.js';
import { Random, mixSeed } from './random.js';

type VariantKind = 'apparel' | 'shoe' | 'colour' | 'shade' | 'spec';

interface ProductTemplate {
  name: string;
  /** What a shopper types into the search box to find it. */
  keyword: string;
  minPrice: number;
  maxPrice: number;
  variants: VariantKind;
  specs?: readonly string[];
  /** Bought again and again, several at a time. */
  consumable?: boolean;
}

interface CategoryTemplate {
  code: string;
  name: string;
  /** Share of orders in the category that are returned. */
  refundRate: number;
  brands: readonly string[];
  products: readonly ProductTemplate[];
}

const t = (name: string, keyword: string, minPrice: number, maxPrice: number, variants: VariantKind, specs?: readonly string[], consumable = false): ProductTemplate => ({
  name,
  keyword,
  minPrice,
  maxPrice,
  variants,
  ...(specs === undefined ? {} : { specs }),
  consumable,
});

const CATEGORY_TEMPLATES: readonly CategoryTemplate[] = [
  {
    code: 'FZ', name: '服装', refundRate: 0.09, brands: ['森屿', '素衣坊', 'NORTHLINE', '简木'],
    products: [
      t('纯棉圆领短袖T恤', 'T恤', 59, 129, 'apparel'),
      t('修身直筒牛仔裤', '牛仔裤', 159, 299, 'apparel'),
      t('羊毛针织开衫', '针织衫', 299, 699, 'apparel'),
      t('轻薄白鸭绒羽绒服', '羽绒服', 399, 999, 'apparel'),
      t('法式碎花连衣裙', '连衣裙', 199, 459, 'apparel'),
      t('加绒连帽卫衣', '卫衣', 129, 259, 'apparel'),
      t('免烫商务长袖衬衫', '衬衫', 159, 359, 'apparel'),
      t('珠地棉POLO衫', 'POLO衫', 99, 199, 'apparel'),
      t('高腰阔腿西装裤', '西装裤', 159, 329, 'apparel'),
      t('真丝印花衬衫', '真丝衬衫', 499, 1299, 'apparel'),
    ],
  },
  {
    code: 'XX', name: '鞋靴', refundRate: 0.07, brands: ['步履', 'STRIDE', '轻野'],
    products: [
      t('百搭小白鞋', '小白鞋', 199, 399, 'shoe'),
      t('复古缓震跑步鞋', '跑步鞋', 299, 699, 'shoe'),
      t('真皮切尔西短靴', '短靴', 399, 899, 'shoe'),
      t('软底一脚蹬乐福鞋', '乐福鞋', 259, 499, 'shoe'),
      t('厚底老爹鞋', '老爹鞋', 229, 459, 'shoe'),
      t('经典高帮帆布鞋', '帆布鞋', 99, 199, 'shoe'),
      t('防滑居家拖鞋', '拖鞋', 29, 69, 'shoe'),
      t('羊皮细跟单鞋', '高跟鞋', 299, 599, 'shoe'),
    ],
  },
  {
    code: 'MZ', name: '美妆', refundRate: 0.03, brands: ['兰溪', '初颜', 'LUMIERE'],
    products: [
      t('氨基酸温和洁面乳', '洗面奶', 69, 129, 'spec', ['120g'], true),
      t('玻尿酸补水面膜', '面膜', 79, 169, 'spec', ['10片装', '20片装'], true),
      t('烟酰胺焕亮精华液', '精华液', 199, 459, 'spec', ['30ml', '50ml']),
      t('清透防晒霜SPF50+', '防晒霜', 99, 199, 'spec', ['50ml', '90ml'], true),
      t('丝绒哑光口红', '口红', 129, 269, 'shade'),
      t('轻薄遮瑕气垫BB霜', '气垫', 159, 329, 'spec', ['亮白色', '自然色']),
      t('抗初老紧致眼霜', '眼霜', 259, 599, 'spec', ['15g']),
      t('温和卸妆水', '卸妆水', 79, 149, 'spec', ['400ml'], true),
      t('保湿修护面霜', '面霜', 199, 499, 'spec', ['50g']),
      t('木质调淡香水', '香水', 299, 899, 'spec', ['30ml', '50ml', '100ml']),
    ],
  },
  {
    code: 'MY', name: '母婴', refundRate: 0.03, brands: ['小鹿妈妈', '暖贝', '童趣岛'],
    products: [
      t('婴儿超薄纸尿裤', '纸尿裤', 99, 189, 'spec', ['S码84片', 'M码66片', 'L码52片', 'XL码44片'], true),
      t('婴儿手口湿巾', '湿巾', 39, 79, 'spec', ['80抽×6包'], true),
      t('婴幼儿配方奶粉3段', '奶粉', 259, 459, 'spec', ['800g'], true),
      t('有机高铁米粉', '米粉', 59, 119, 'spec', ['225g'], true),
      t('轻便可折叠婴儿推车', '婴儿推车', 699, 2499, 'colour'),
      t('儿童安全座椅', '安全座椅', 899, 2999, 'colour'),
      t('纯棉婴儿连体衣', '连体衣', 79, 159, 'spec', ['59cm', '66cm', '73cm', '80cm']),
      t('宽口径PPSU奶瓶', '奶瓶', 99, 199, 'spec', ['240ml', '300ml']),
      t('双边电动吸奶器', '吸奶器', 399, 899, 'spec', ['标准版']),
    ],
  },
  {
    code: 'SM', name: '数码', refundRate: 0.04, brands: ['极客派', 'VOLTA', '声澜'],
    products: [
      t('主动降噪真无线蓝牙耳机', '蓝牙耳机', 299, 999, 'colour'),
      t('20000mAh快充充电宝', '充电宝', 99, 199, 'colour'),
      t('65W氮化镓充电器', '充电器', 89, 169, 'colour'),
      t('运动健康智能手表', '智能手表', 599, 1999, 'colour'),
      t('87键机械键盘', '机械键盘', 199, 599, 'spec', ['青轴', '红轴', '茶轴']),
      t('静音无线鼠标', '无线鼠标', 59, 149, 'colour'),
      t('11英寸平板电脑', '平板电脑', 1999, 3999, 'spec', ['8+128G', '8+256G']),
      t('便携蓝牙音箱', '蓝牙音箱', 199, 499, 'colour'),
      t('27英寸4K显示器', '显示器', 1499, 2999, 'spec', ['标准版']),
      t('磁吸手机壳', '手机壳', 39, 99, 'colour'),
    ],
  },
  {
    code: 'JJ', name: '家居', refundRate: 0.03, brands: ['木里', '栖居', '暖物'],
    products: [
      t('纯棉磨毛四件套', '四件套', 299, 699, 'spec', ['1.5m床', '1.8m床']),
      t('记忆棉护颈枕', '枕头', 129, 299, 'spec', ['标准款']),
      t('大容量收纳箱', '收纳箱', 39, 99, 'spec', ['35L', '55L', '75L']),
      t('麦饭石不粘炒锅', '炒锅', 159, 399, 'spec', ['30cm', '32cm']),
      t('316不锈钢保温杯', '保温杯', 99, 229, 'colour'),
      t('智能电饭煲', '电饭煲', 299, 799, 'spec', ['3L', '4L']),
      t('家用大容量空气炸锅', '空气炸锅', 299, 599, 'spec', ['5L', '6.5L']),
      t('长绒棉毛巾套装', '毛巾', 59, 129, 'spec', ['3条装'], true),
      t('香薰蜡烛礼盒', '香薰蜡烛', 89, 199, 'spec', ['雪松', '白茶', '无花果']),
      t('豆袋懒人沙发', '懒人沙发', 399, 999, 'colour'),
    ],
  },
  {
    code: 'SP', name: '食品', refundRate: 0.01, brands: ['山野集', '食味坊', '禾田'],
    products: [
      t('每日坚果混合装', '每日坚果', 99, 169, 'spec', ['30包'], true),
      t('冻干挂耳咖啡', '挂耳咖啡', 59, 129, 'spec', ['50片'], true),
      t('五常稻花香大米', '大米', 69, 129, 'spec', ['5kg'], true),
      t('特级初榨橄榄油', '橄榄油', 99, 199, 'spec', ['750ml'], true),
      t('明前西湖龙井', '龙井', 199, 699, 'spec', ['250g'], true),
      t('手撕风干牛肉干', '牛肉干', 69, 159, 'spec', ['500g'], true),
      t('柳州螺蛳粉', '螺蛳粉', 39, 69, 'spec', ['5袋'], true),
      t('广式蛋黄莲蓉月饼礼盒', '月饼', 129, 399, 'spec', ['8饼8味'], true),
      t('休闲零食大礼包', '零食大礼包', 69, 159, 'spec', ['1.5kg'], true),
      t('全脂纯牛奶', '纯牛奶', 59, 89, 'spec', ['250ml×24盒'], true),
    ],
  },
  {
    code: 'YD', name: '运动户外', refundRate: 0.05, brands: ['野径', 'PEAKFLOW', '动界'],
    products: [
      t('加厚防滑瑜伽垫', '瑜伽垫', 79, 199, 'colour'),
      t('三合一防水冲锋衣', '冲锋衣', 399, 1299, 'apparel'),
      t('速干运动T恤', '速干T恤', 69, 159, 'apparel'),
      t('防滑透气登山鞋', '登山鞋', 299, 799, 'shoe'),
      t('自动速开露营帐篷', '帐篷', 299, 999, 'spec', ['3-4人', '5-8人']),
      t('可调节哑铃套装', '哑铃', 199, 599, 'spec', ['10kg', '20kg']),
      t('轻量骑行头盔', '骑行头盔', 159, 399, 'colour'),
      t('碳素羽毛球拍', '羽毛球拍', 199, 499, 'spec', ['单支装']),
      t('大容量运动双肩包', '双肩包', 149, 349, 'colour'),
      t('计数跳绳', '跳绳', 29, 69, 'colour'),
    ],
  },
  {
    code: 'GH', name: '个护', refundRate: 0.02, brands: ['清沐', '净研', 'AQUAVITA'],
    products: [
      t('声波电动牙刷', '电动牙刷', 199, 499, 'colour'),
      t('氨基酸控油洗发水', '洗发水', 59, 129, 'spec', ['500ml', '750ml'], true),
      t('香氛沐浴露', '沐浴露', 49, 99, 'spec', ['500ml', '1L'], true),
      t('高速负离子吹风机', '吹风机', 299, 999, 'colour'),
      t('含氟美白牙膏', '牙膏', 29, 59, 'spec', ['120g×3支'], true),
      t('便携电动剃须刀', '剃须刀', 199, 599, 'colour'),
      t('滋润护手霜', '护手霜', 39, 89, 'spec', ['50ml×3支'], true),
    ],
  },
];

const CLOTHING_COLOURS = [['白色', 'WH'], ['黑色', 'BK'], ['藏青', 'NV'], ['燕麦色', 'OT'], ['雾霾蓝', 'BU'], ['卡其', 'KH'], ['酒红', 'WR'], ['浅灰', 'GY']] as const;
const DEVICE_COLOURS = [['曜石黑', 'BK'], ['珍珠白', 'WH'], ['远峰蓝', 'BU'], ['薄荷绿', 'GN'], ['樱花粉', 'PK']] as const;
const CLOTHING_SIZES = ['S', 'M', 'L', 'XL', 'XXL'] as const;
const SHOE_SIZES = ['36', '37', '38', '39', '40', '41', '42', '43', '44'] as const;
const SHADES = [['#999 正红', '999'], ['#316 砖红', '316'], ['#520 豆沙', '520'], ['#888 枫叶棕', '888']] as const;

export interface Product {
  sku: string;
  name: string;
  /** Chinese category name, as the events carry it. */
  category: string;
  categoryIndex: number;
  keyword: string;
  priceCents: number;
  consumable: boolean;
  launchedAt: number;
  launchedAtIso: string;
}

export interface Category {
  code: string;
  name: string;
  refundRate: number;
  /** Best sellers first. */
  products: readonly Product[];
  /** On sale before the window opens, so there is always something to buy. */
  evergreen: Product;
  keywords: readonly string[];
  brands: readonly string[];
}

export type Catalogue = readonly Category[];

export const CATEGORY_NAMES: readonly string[] = CATEGORY_TEMPLATES.map((category) => category.name);

/** Shop prices end in 9, or in .90 below a hundred yuan. */
function shopPriceCents(yuan: number): number {
  return yuan >= 100 ? (Math.round(yuan / 10) * 10 - 1) * 100 : Math.max(1, Math.round(yuan)) * 100 - 10;
}

interface Variant {
  label: string;
  code: string;
  priceFactor: number;
}

function drawVariants(random: Random, template: ProductTemplate): Variant[] {
  switch (template.variants) {
    case 'apparel':
    case 'shoe': {
      const sizes: readonly string[] = template.variants === 'apparel' ? CLOTHING_SIZES : SHOE_SIZES;
      const colours = shuffled(random, CLOTHING_COLOURS).slice(0, 2);
      const sizePicks = shuffled(random, sizes).slice(0, 2);
      return colours.flatMap(([colour, code]) => sizePicks.map((size) => ({ label: `${colour} ${size}`, code: `${code}-${size}`, priceFactor: 1 })));
    }
    case 'colour':
      return shuffled(random, DEVICE_COLOURS)
        .slice(0, random.int(2, 3))
        .map(([colour, code]) => ({ label: colour, code, priceFactor: 1 }));
    case 'shade':
      return shuffled(random, SHADES)
        .slice(0, 3)
        .map(([shade, code]) => ({ label: shade, code: `C${code}`, priceFactor: 1 }));
    case 'spec':
      // Larger packs cost more; the first spec is the base price.
      return (template.specs ?? ['标准装']).map((spec, index) => ({ label: spec, code: `S${index + 1}`, priceFactor: 1 + 0.6 * index }));
    default: {
      const unreachable: never = template.variants;
      return unreachable;
    }
  }
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    const a = copy[i];
    const b = copy[j];
    if (a === undefined || b === undefined) continue;
    copy[i] = b;
    copy[j] = a;
  }
  return copy;
}

/** Builds the catalogue for a seed: the same products every time, launched around the window. */
export function buildCatalogue(seed: number, windowStart: number, now: number): Catalogue {
  const random = new Random(mixSeed(seed, 0xca7a));
  return CATEGORY_TEMPLATES.map((template, categoryIndex) => {
    const products: Product[] = [];
    template.products.forEach((product, productIndex) => {
      const brand = random.pick(template.brands);
      // Most products were on sale before the window, the first of each category always;
      // the rest arrive during it.
      const launchedAt = productIndex === 0 || random.chance(0.6)
        ? windowStart - random.int(30, 3 * 365) * DAY_MS - random.int(0, DAY_MS - 1)
        : Math.floor(random.between(windowStart, now - DAY_MS));
      const basePrice = random.between(product.minPrice, product.maxPrice);
      const year = String(new Date(launchedAt).getUTCFullYear() % 100).padStart(2, '0');
      const model = `${template.code}${year}${String(productIndex + 1).padStart(3, '0')}`;
      for (const variant of drawVariants(random, product)) {
        products.push({
          sku: `${model}-${variant.code}`,
          name: `${brand} ${product.name} ${variant.label}`,
          category: template.name,
          categoryIndex,
          keyword: product.keyword,
          priceCents: shopPriceCents(basePrice * variant.priceFactor),
          consumable: product.consumable === true,
          launchedAt,
          launchedAtIso: new Date(launchedAt).toISOString(),
        });
      }
    });
    const ranked = shuffled(random, products);
    const evergreenIndex = ranked.findIndex((product) => product.launchedAt <= windowStart);
    const evergreen = ranked[evergreenIndex];
    if (evergreen === undefined) throw new Error(`category ${template.name} has no product on sale before the window`);
    // The best seller has been around for a while.
    ranked.splice(evergreenIndex, 1);
    ranked.unshift(evergreen);
    return {
      code: template.code,
      name: template.name,
      refundRate: template.refundRate,
      products: ranked,
      evergreen,
      keywords: template.products.map((product) => product.keyword),
      brands: template.brands,
    };
  });
}

const NEW_ARRIVAL_MS = 60 * DAY_MS;

/** A product on sale at `at`, best sellers far more likely; trend-followers lean to new arrivals. */
export function drawProduct(random: Random, category: Category, at: number, trendy: boolean): Product {
  if (trendy && random.chance(0.5)) {
    const arrivals = category.products.filter((product) => product.launchedAt <= at && product.launchedAt >= at - NEW_ARRIVAL_MS);
    if (arrivals.length > 0) return random.pick(arrivals);
  }
  for (let attempt = 0; attempt < 4; attempt++) {
    const product = category.products[Math.floor(category.products.length * random.next() ** 2)];
    if (product !== undefined && product.launchedAt <= at) return product;
  }
  return category.evergreen;
}
