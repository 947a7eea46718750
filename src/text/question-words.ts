import { normalizeKey } from './normalize.ts';

/** The set of words that shape a question without naming its topic. */
export type QuestionWords = ReadonlySet<string>;

/** Parses the question-words file: words separated by spaces or lines, # comments. */
export function parseQuestionWords(text: string): QuestionWords {
  const words = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    for (const w of raw.replace(/#.*$/, '').split(/\s+/)) if (w) words.add(normalizeKey(w));
  }
  return words;
}

/** Answer kinds a question can ask for; used to prefer clauses that hold that kind of fact. */
export type AnswerKind =
  | 'amount'
  | 'quantity'
  | 'frequency'
  | 'department'
  | 'office'
  | 'date'
  | 'age'
  | 'list'
  | 'place'
  | 'purpose'
  | 'procedure'
  | 'materials'
  | 'penalty'
  | 'definition';

const KIND_CUES: Array<[AnswerKind, RegExp]> = [
  // whether something counts as, or what a term means: the clause that defines or delimits it
  ['definition', /算不算|算是|算作|属不属于|属于不属于|什么意思|啥意思|指什么|指的是|是指|是干什么的|干什么的|是什么[？?]?$|包不包括|包括不包括|计不计入/],
  // what happens to whoever breaks the rule: the penalty article, not an amount or a procedure
  ['penalty', /罚|处罚|处分|法律责任|什么责任|啥责任|后果|会怎样|会怎么样|会被怎么|会不会被|被查出|追究/],
  // a deadline or start date (多久之内, 啥时候, 从哪个月) before 多久 as a frequency
  ['date', /多久之内|多久以内|多久内|多长时间内|几天内|多少天内|几个月内|多少个?工作日|几个工作日|多久能|多长时间能|啥时候|哪天|几号|哪个月|从什么时候/],
  ['age', /多大岁数|多大年纪|几岁|多少岁|岁数|年龄|年纪|满多大|多大才|多大可以|多大能/],
  // where a resident goes to apply or complain: an office, not a region
  ['office', /(?:去|到|在|找|向|上)(?:哪|哪里|哪儿|哪个地方|什么地方)(?:办|申请|交|递|举报|投诉|反映|报名|领|登记|提|说理|告)|找谁|向谁|跟谁|找哪/],
  ['frequency', /多久|多长时间一次|几次|多少次|频率|每隔|多长时间开|隔多久|多久一次|经常/],
  ['amount', /多少钱|多少元|几元|补助标准|补贴标准|标准是多少|费用多少|金额|多少经费|收费标准|补助多少|补贴多少/],
  ['department', /谁|哪个部门|哪些部门|哪个单位|哪家|什么部门|什么单位|归.{0,2}管|负责部门|由谁|找哪/],
  ['date', /什么时候|何时|哪一年|哪年|几月|截止|期限|到哪年|多久能|时间表|什么时间/],
  ['purpose', /为什么|为何|目的是|有什么用|意义/],
  ['place', /哪里|哪儿|什么地方|往哪|在哪|哪个地区|哪些地区/],
  ['materials', /材料|带什么|带啥|交什么|交啥|证件|证明|准备什么|准备啥|提供什么|填什么|什么表|几张/],
  ['list', /哪些|有什么|包括什么|包括哪|都有|几类|几种/],
  ['quantity', /多少|几个|几家|几名|比例|比率|多大|多高|多快|速度|目标是|率是|达到多少|规模/],
  ['procedure', /怎么办|如何|怎样|怎么|流程|步骤|手续/],
];

/** What kind of fact the question asks for, if its wording says. */
export function detectAnswerKind(question: string): AnswerKind | undefined {
  for (const [kind, re] of KIND_CUES) if (re.test(question)) return kind;
  return undefined;
}

const KIND_EVIDENCE: Record<AnswerKind, RegExp> = {
  amount: /\d+(?:\.\d+)?\s*(?:元|万元|亿元|万亿元)/,
  quantity: /\d+(?:\.\d+)?\s*(?:%|％|个|家|名|万|亿|户|人|所|项|种|倍|Mbps|吨|平方米|公里)|[一二三四五六七八九十百千万]+(?:个|家|名|项|种)/,
  frequency: /每(?:季度|年|月|周|半年|两年|日|天)|定期|年度|一次/,
  department: /负责|牵头|承担|[局委厅办]：/,
  office:
    /向[^，。；]{2,24}(?:提出|申请|举报|投诉|反映|申报|咨询|报告)|到[^，。；]{2,16}(?:办理|申请|领取|登记)|由[^，。；]{2,20}(?:受理|办理|核发|审核|审批)|街道办事处|乡镇人民政府|经办机构|服务中心|窗口/,
  age: /\d+\s*周?岁|[一二三四五六七八九十]+周?岁|周岁|年满|年龄/,
  date: /\d{4}\s*年|年底|年内|月底|之前|以前|到\d{4}|\d{1,2}月\d{1,2}日|日前|之日起|起施行|起实施|个?工作日|日内|个月内|年度/,
  list: /(?:[^、]{1,12}、){3,}/,
  place: /地区|地方|区域|落户|布局|中西部|东部|西部|农村|城市|城镇|乡镇|园区|基地/,
  purpose: /为了|为进一步|为加快|为确保|旨在|目的|意义|制定本|现提出|现就/,
  procedure: /申请|办理|审核|程序|提交|登记|报送/,
  materials: /提交|提供|材料|证明|复印件|原件|身份证|户口簿|照片|申请表|证书/,
  definition: /是指|所称|指的是|包括|不包括|计入|不计入|视为|属于|不属于|统称|简称|代表|是[^，。；]{2,20}的(?:组织|机构|制度|人员)/,
  penalty:
    /罚款|罚金|处分|处罚|责令|追回|追缴|退回|追究|吊销|撤销|警告|停业整顿|没收|拘留|通报批评|批评教育|取消[^，。；]{0,8}资格|停止[^，。；]{0,8}(?:发放|享受)|暂停|(?:信用|诚信)[^，。；]{0,6}记录|信用信息|纳入[^，。；]{0,6}黑名单/,
};

/** True when `text` holds evidence of the asked-for kind (an amount, a frequency, a department…). */
export function hasAnswerKind(text: string, kind: AnswerKind): boolean {
  return KIND_EVIDENCE[kind].test(text);
}
