"""Pass 1: a same-length shadow of the text that the later passes match on.

Every character maps to exactly one character, so an offset in the shadow is the same offset in
the original text: full-width ASCII becomes half-width, a few dashes and spaces are unified, and
Traditional characters that matter for matching become Simplified (億 -> 亿, 資 -> 资). Matching
on the shadow lets one set of Simplified patterns serve both Chinese scripts.
"""

from __future__ import annotations

from functools import lru_cache

# Traditional -> Simplified, one character each, for the vocabulary the extractor reads
# (money, deals, capex, periods, company names). Written as pairs: traditional then simplified.
_T2S_PAIRS = (
    "億亿萬万資资與与幣币韓韩圓圆額额預预計计開开間间關关門门問问們们會会來来時时現现實实際际"
    "這这個个為为對对將将還还進进過过達达運运國国團团爾尔華华東东車车軍军書书長长張张發发經经"
    "營营業业產产價价買买賣卖購购貨货費费質质賬账貸贷債债損损虧亏淨净稅税報报導导財财務务銀银"
    "錢钱總总數数據据區区機机構构體体傳传專专險险證证權权約约協协議议簽签訂订創创設设併并領领"
    "輪轮籌筹擬拟談谈擱搁終终絕绝諾诺佈布雲云網网絡络線线電电腦脑軟软處处廠厂製制場场擴扩規规"
    "劃划調调條条內内兩两層层級级員员義义係系擔担儲储備备監监審审鐘钟週周歲岁舊旧於于從从後后"
    "裡里裏里麼么並并當当須须歐欧亞亚馬马遜逊輝辉騰腾訊讯積积臺台灣湾鴻鸿廣广緯纬穎颖聯联動动"
    "樂乐豐丰滙汇匯汇彙汇認认參参貝贝萊莱紅红橋桥頭头顯显壓压賽赛齊齐麥麦觀观點点說说請请讀读"
    "語语話话記记許许論论讓让試试詢询該该誤误識识譯译變变軌轨輛辆輸输轉转較较載载輯辑遠远適适"
    "選选邊边鄉乡醫医針针鋼钢錄录鎖锁鏈链閉闭閒闲閣阁陸陆陣阵陽阳隊队階阶隨随隱隐雖虽雙双雜杂"
    "離离難难靈灵靜静響响頂顶項项順顺頻频題题類类顧顾風风飛飞餘余館馆驗验鬥斗魚鱼鳥鸟麗丽黃黄"
    "齡龄龍龙龐庞盧卢採采鎊镑圖图畫划劃划軸轴雙双億亿務务綫线實实幾几現现準准臨临戶户組组織织"
    "續续維维約约紀纪級级給给統统結结緊紧總总繳缴縮缩縣县縱纵績绩纖纤紙纸純纯紛纷細细終终絲丝"
    "優优儀仪傑杰備备儲储償偿價价億亿僅仅們们倉仓來来侖仑係系俠侠倆俩偉伟側侧偵侦傘伞傷伤傾倾"
    "廈厦廳厅廢废廬庐彈弹強强歸归懷怀態态憑凭應应懸悬戰战擁拥擇择擊击據据擬拟攜携攤摊敵敌斂敛"
    "斷断昇升晉晋時时曉晓暫暂曆历書书會会東东條条構构標标樣样樹树橫横檢检歷历殘残氣气決决沒没"
    "況况測测溝沟滅灭滿满漲涨潤润澳澳濟济灣湾燈灯營营爭争牆墙獎奖獨独獲获玀猡環环產产畢毕異异"
    "療疗發发盤盘盜盗眾众睞睐矽硅碼码礎础確确禮礼稱称穩稳競竞筆笔築筑簡简糧粮緒绪緣缘編编練练"
    "縂总繼继罰罚羅罗聖圣聞闻聲声職职膽胆臉脸興兴舉举艙舱藝艺葉叶蘋苹蘭兰處处虛虚號号蝕蚀衛卫"
    "補补裝装製制複复見见規规視视親亲覺觉覽览觸触訂订訴诉詐诈評评詳详誌志認认誕诞誠诚課课調调"
    "諮咨謀谋謂谓講讲謝谢證证譜谱護护讀读貢贡負负貿贸賃赁資资賓宾賠赔賦赋賬账賺赚購购賽赛贊赞"
    "贏赢趨趋躍跃軒轩輔辅輕轻辦办農农遞递違违鄰邻釋释鈔钞鋒锋錯错鍵键鎮镇鏡镜門门閃闪閱阅闊阔"
    "隸隶雞鸡靂雳韌韧頁页預预頓顿頒颁領领頗颇頸颈顆颗額额顯显風风餘余駕驾騎骑驅驱驚惊體体髮发"
    "鬆松鹽盐麵面龜龟儘尽凱凯勝胜勞劳勢势匯汇協协厲厉參参吳吴啟启喬乔單单嚴严團团圍围園园圓圆"
    "執执堅坚報报場场塊块塗涂壞坏壽寿夠够奪夺奮奋媽妈孫孙學学寧宁寶宝將将專专尋寻對对導导屆届"
    "屬属嶺岭巖岩幣币幫帮廠厂廣广彥彦徑径徹彻憶忆懂懂戲戏掃扫掛挂換换揚扬損损搶抢擺摆攝摄擴扩"
    "敗败數数斬斩會会樓楼櫃柜權权歡欢毀毁氫氢漢汉潔洁澤泽濱滨爐炉牽牵犧牺猶犹獵猎瑪玛璽玺瓊琼"
    "產产畝亩碩硕紮扎莊庄蓋盖蔣蒋薦荐蘇苏螢萤衝冲襲袭訊讯託托記记訪访設设許许診诊詞词試试"
    "話话誇夸該该詹詹誰谁諾诺謹谨證证譯译讚赞貓猫貨货販贩貫贯責责貴贵貸贷費费賀贺賈贾賞赏賴赖"
    "趙赵跡迹踐践軍军軟软載载輩辈輪轮輸输轄辖辭辞邁迈郵邮鄭郑醞酝釀酿鈕钮鉅巨銷销鋪铺錦锦鍋锅"
    "鐵铁閘闸闆板闡阐隱隐雜杂雙双雲云電电霧雾韻韵頌颂頗颇頭头頻频顏颜願愿顛颠飯饭飽饱駐驻骯肮"
    "魯鲁鮮鲜鳳凤麼么鼎鼎齒齿億亿兌兑兒儿兩两冊册凍冻劑剂勵励匱匮卻却壇坛壓压奧奥孿孪寬宽尷尴"
    "屆届彌弥徵征戶户擠挤擱搁攏拢斃毙槓杠歐欧氈毡溫温滾滚濾滤烏乌煙烟燒烧爺爷獻献琺珐瑣琐癒愈"
    "盡尽碩硕竄窜篩筛糾纠紐纽絕绝綁绑綜综綠绿網网緩缓緬缅縫缝繪绘纏缠罷罢聯联膚肤蕭萧蟲虫衆众"
    "襯衬訓训詠咏誘诱諸诸謊谎譽誉豎竖豬猪賤贱贈赠趕赶蹤踪轟轰辯辩遲迟遷迁鄧邓醜丑釘钉鈴铃鉛铅"
    "銅铜銳锐錶表鍾钟鑄铸閥阀闖闯陳陈隻只雋隽難难頃顷頹颓颱台飆飙餃饺驗验驟骤髒脏鬧闹鰻鳗鴨鸭"
    "鵬鹏麼么黨党齣出兆兆晶晶芯芯搜搜灘滩綫线別别彎弯樁桩擬拟"
)

T2S: dict[str, str] = {}
for _i in range(0, len(_T2S_PAIRS) - 1, 2):
    _t, _s = _T2S_PAIRS[_i], _T2S_PAIRS[_i + 1]
    if _t != _s:
        T2S[_t] = _s

# Characters that only Traditional writing uses (for language detection).
TRADITIONAL_ONLY = frozenset(T2S)
SIMPLIFIED_ONLY = frozenset(set(T2S.values()) - set(T2S))

_PUNCT = {
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2013": "-",  # en dash, used in ranges ($175bn–$185bn)
    "\u2212": "-",  # minus sign
    "\u2019": "'",
    "\u2018": "'",
    "\uff5e": "~",
    "\u301c": "~",
}


def _char_map() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0)
    for src, dst in _PUNCT.items():
        table[ord(src)] = dst
    for src, dst in T2S.items():
        table[ord(src)] = dst
    return table


_TABLE = _char_map()
# No ASCII character is mapped, so an ASCII text is its own shadow.
assert min(_TABLE) > 0x7F
# The same map as a sequence indexed by code point: `str.translate` looks a character up in a
# tuple about twice as fast as in a dict (code points past the tuple raise IndexError, a
# LookupError, and stay as they are, as unmapped ones do with the dict).
_SEQ = tuple(_TABLE.get(code, chr(code)) for code in range(max(_TABLE) + 1))


def shadow(text: str) -> str:
    """The matching shadow of `text`: same length, same offsets."""
    if text.isascii():
        return text
    out = text.translate(_SEQ)
    assert len(out) == len(text)
    return out


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Shadow of a short string (aliases, lexicon entries)."""
    return shadow(text)
