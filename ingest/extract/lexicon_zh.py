"""Chinese language data (matched on the Simplified shadow, so it covers zh-Hant too)."""

from __future__ import annotations

SCALES = {
    "万亿": 1e12, "兆": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8,
    "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
}
SCALE_RE = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|兆)"
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿兆"

# Currency before the number (新台币 3,590 亿元).
CURRENCY_PREFIX = {"人民币": "CNY", "新台币": "TWD", "台币": "TWD", "港币": "HKD"}
# Currency after the number and scale. "元" alone is resolved by context (see money.py).
CURRENCY_SUFFIX = {
    "美元": "USD", "美金": "USD", "元人民币": "CNY", "人民币": "CNY", "韩元": "KRW",
    "韩圆": "KRW", "日元": "JPY", "日圆": "JPY", "港元": "HKD", "港币": "HKD", "欧元": "EUR",
    "英镑": "GBP", "新台币": "TWD", "台币": "TWD", "澳元": "AUD", "新加坡元": "SGD",
    "瑞郎": "CHF", "卢比": "INR", "元": None,
}

QUALIFIER_PREFIX = {
    "at_most": ["最高可达", "最多可达", "最多", "最高", "至多", "不超过", "不到", "低于", "少于",
                "不足", "多达", "高达", "上限为", "上限"],
    "at_least": ["逾", "超过", "超出", "超", "多于", "不少于", "至少", "突破", "高于", "起码"],
    "approx": ["约合", "折合", "大约", "大概", "约为", "约", "接近", "将近", "近", "近乎", "逼近", "或"],
}
QUALIFIER_SUFFIX = {"approx": ["左右", "上下"], "at_least": ["以上", "多"], "at_most": ["以下", "以内"]}

HYPOTHETICAL = r"(?:如果|假如|假设|倘若|要是|一旦|如若|若是|若(?!干))"

# Cue words around an amount. Each maps a regex to a category; classify.py takes the nearest.
# neg: the amount is not an investment (revenue, profit, market value ...)
NEG = (r"营收|收入|营业额|净利|净利润|利润|亏损|盈利|盈余|纯益|营业利益|每股|市值|股价|回购|股息|派息|"
       r"订单|积压|现金流|现金|资产规模|资产|成交额|履约义务|合约金额|毛利|费用|债务|贷款|售价|招股价|"
       r"套现|出售|烧钱|消耗|扶持计划|补贴|罚款|年化|工资|薪酬|估算值|稅务|税务|收益|集资额|研发|研发费用")
VAL = r"投后估值|投前估值|估值"
CAPEX = r"资本开支|资本支出|资本性支出|(?<!基础)设施投资|资本投入|capex|Capex|CAPEX"
CAPEX_WEAK = r"预估|预期|指引|预算|投入计划|投资计划|芯片投资|全年投资|支出"
DEAL = {
    "funding_round": r"融资(?!租赁)|募资|募集|筹集|筹资|集资|筹组|[A-Z]\+?轮|天使轮|种子轮|领投|拿到|拿了|筹得|斩获",
    "equity": r"追加投资|战略投资|投资|注资|增资|入股|出资|认购|斥资|跟投|参投|持股|投入",
    "acquisition": r"收购案|收购|并购|买下",
    "contract": r"合同|合约|协议|采购|购买|云服务|算力采购",
    "fund": r"新基金|基金",
    "joint_venture": r"合资公司|合资|合营|(?:数据中心|资料中心|AI)\s?(?:项目|计划)|项目",
}
CMP = r"较|比|高于|低于|相比|从|由|此前为|同期为|去年为|上年为"
DIFF = r"高出|多出|增加|减少|下降|下滑|增长|上升|降低"
FACILITY = (r"数据中心|资料中心|基础设施|基建|工厂|晶圆厂|产能|厂房|业务上|建设|兴建|扩产|改造|扩建|"
            r"(?:在|向|于)(?:台湾|日本|美国|国内|本土|英国|沙特|韩国|中国|欧洲|印度|阿联酋|德国|法国|马来西亚|"
            r"印尼|泰国|越南|墨西哥|巴西|澳大利亚|加拿大|中东|新加坡|西班牙|意大利|瑞典|挪威|芬兰|荷兰|爱尔兰)")
STATUS = {
    "cancelled": r"搁置|取消|终止|告吹|拒绝|叫停|破裂|放弃|暂停|否决",
    "talks": r"洽谈|谈判|商谈|磋商|酝酿|拟|考虑|寻求|传出|正筹组|筹组|计划募集|有意|探讨|可能",
    "pledged": r"承诺|将分阶段|分阶段",
    "completed": r"完成|已向|已累计|已投|入股了|斥资|领投了|到位|已出资|曾以|此前已|至今已|已经拿到|拿到|获得|已获|拿了|累计|领投|跟投|已开始",
    "announced": r"宣布|签署|同意|达成|将",
}
GUIDANCE = r"预计|预估|预期|指引|计划|将|有望|目标|预算|维持|上调|下调|收窄"
RESPECTIVELY = r"分别|各自"
PAIR = r"双方|两家公司|两者"

# After an amount with no currency of its own: a count of things, not money (2,540 万股).
CLASSIFIERS = r"\s?(?:股|人|颗|台|吨|辆|名|户|次|个|件|张|部|家|座|条|瓦|千瓦|平方|像素|用户|位|篇|块|美元|倍|点)"

# Right before an amount: "this 110 trillion won" restates a figure given earlier.
ANAPHORIC = r"(?:这|该|此|那)(?:笔|支|个|项|一|些)?\s?$"

# --- role and scope markers (classify.py) -------------------------------------------------
AGG_GROUP = r"四大|五大|三大|前五大|前十大|两家|三家|四家|五家|各家|全球|整体|行业|业者"
AGG_SUM = r"合计|总计|共计|加起来"
EXTEND = r"可增至|最多增至|增至"
CMP_BEFORE = r"(?:与|较|比|同|从|由|高于|低于|相比)\s?$"
# words before a company that make it the receiving side: 向 X 投资, 收购 X, 与 X 签署
TARGET_BEFORE = (r"(?:向|对|入股了?|收购|并购|买下|注资|增资|领投了?|合资公司|与|和|同)\s?"
                 r"(?:[^\s,。;]{0,22}?(?:公司|初创|新创|运营商|企业|厂商|平台|开发商|子公司|机构|对手)\s?)?[「“\"]?\s?$")
COUNTERPART_BEFORE = r"[与和同]\s?[「“\"]?\s?$"         # 与 X: a counterpart only with TALK_AFTER
TARGET_AFTER = (r"^[」”\"]?\s?(?:的|今年|本|这|上一)?\s?(?:[A-Z]\+?|天使|种子|新一|这|首|上一)?\s?轮\s?(?:股权)?(?:融资|募资)"
                r"|^[」”\"]?\s?的\s?[^,。;]{0,4}?(?:融资|募资|投资|收购案|收购)")
TALK_AFTER = r"^\s?[^,。;]{0,8}?(?:签署|签订|洽谈|谈判|达成|商谈|合作|谈)"
INVESTOR_BEFORE = r"由\s?$"
INVESTOR_AFTER = r"^[)」”]?\s?(?:[^,。;]{0,8}?)(?:领投|跟投|共同领投)"
NOT_SUBJECT_AFTER = r"^(?:旗下|\s?的\s?(?:估值|股份|股价))"
PRONOUN_START = r"^(?:该公司|公司|该集团|其)"
PROJECT_AFTER = r"\s?(?:数据中心|资料中心|项目|计划)"
COORD = r"^\s?(?:与|和|及|、)\s?$"
LIST_GAP = r"\s?(?:、|和|及|与|,)\s?"
PARTICIPATION = r"出资|投资|认购|跟投"
RAISE_WORDS = r"融资|募资"
CONTRIBUTION = r"出资|跟投|认购|股权融资|这轮|本轮|该轮"
JV_WORDS = r"合资"
PROJECT_WORDS = r"(?:数据中心|资料中心)?\s?(?:计划|项目)|合资"
SPEND_VERBS = r"投资|投入|出资"
STOCK_WORDS = r"股份|股权"
FIGURE_ANAPHOR = r"\s*(?:这一数字|这个数字)"
RAISE_HINT = r"公司|本轮|这轮|该轮"
DEADLINE_AFTER = r"\s?(?:年底|年前)"                  # 2026年底前: a deadline, not a period
DEADLINE_BEFORE = r"(?:到|截至|截止到?)\s?$"          # 到2030年: a horizon, not a period
FUTURE = r"将|承诺"
PLAN_WORDS = r"计划|计画"
ACTUAL_WORDS = r"实际|已投入"

# A guidance figure the sentence itself says was replaced ("此前的指引为…"): not the current figure.
SUPERSEDED_BEFORE = r"(?:此前|先前|之前|原先|原本|原来)的?(?:指引|预估|预期|预测|目标|计划)(?:区间)?为?\s?(?:约|約)?\s?$"
