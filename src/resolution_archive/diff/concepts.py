"""Policy concepts a demand can name in different words from one year to the next.

The conference follows policies whose names change as they move through the legislature and
the ministry: the オンライン資格確認 demand of 2021 is the マイナンバーカードと健康保険証の一体化
demand of 2023 and the 医療DX／マイナ保険証 demand of 2024; the 都道府県単位化 demanded in 2014
is the 新制度 of 2017 and the 都道府県を保険者とする reform of the 国民会議 report; the 加速化
プラン of 2023 is financed by the 子ども・子育て支援金 of 2024. A reader tracks such a demand
as one demand carried on although its wording shares little more than boilerplate; no
character statistic can see that, so the names are listed here.

Each family lists the spellings that stand for one policy in the resolutions of 2000–2026, in
comparison form (NFKC: DX, not ＤＸ; no spaces). Sources: the national conference's resolutions
and declarations (the 2024 document in data/, and the policy names listed in the benchmark
writers' briefs), and the names of the laws and programmes the 厚生労働省 used for them. A family
holds names of one policy and its direct successors only — never a cause (新型コロナ, 物価高騰,
能登半島地震: demands for different events are different demands) or a word every demand uses
(財政支援, 国の責任).
"""

from __future__ import annotations

import re

FAMILIES: dict[str, tuple[str, ...]] = {
    "マイナ保険証": (
        "オンライン資格確認",
        "マイナンバーカードと健康保険証",
        "マイナンバーカード",
        "健康保険証の一体化",
        "保険証の一体化",
        "マイナ保険証",
        "資格確認書",
        "健康保険証の廃止",
        "保険証の廃止",
        "電子資格確認",
        "医療DX",
        "医療・介護DX",
    ),
    "都道府県単位化": (
        "都道府県単位化",
        "都道府県単位の",
        "都道府県を保険者",
        "保険者を都道府県",
        "運営主体を都道府県",
        "責任主体を都道府県",
        "財政運営の都道府県",
        "都道府県が財政運営",
        "都道府県が担う",
        "財政運営責任",
        "国保の広域化",
        "広域化",
        "新制度",
        "新たな国保制度",
        "国保改革",
        "国保制度改革",
    ),
    "子ども・子育て財源": (
        "加速化プラン",
        "こども未来戦略",
        "子ども未来戦略",
        "子ども・子育て支援金",
        "こども・子育て支援金",
        "支援金制度",
        "子ども・子育て政策",
        "こども・子育て政策",
        "次元の異なる少子化対策",
    ),
    "高齢者医療制度": (
        "後期高齢者医療制度",
        "長寿医療制度",
        "高齢者医療制度",
        "高齢者のための新たな医療制度",
        "老人保健制度",
    ),
    "国保の構造問題": (
        "構造的な問題",
        "構造問題",
        "構造的課題",
        "財政基盤の強化",
        "財政基盤強化",
        "基盤強化協議会",
    ),
    "公費の拡充": (
        "公費拡充",
        "公費の拡充",
        "公費投入",
        "公費の投入",
        "1700億円",
        "2200億円",
        "3400億円",
    ),
    "保険者努力支援制度": ("保険者努力支援", "努力支援制度", "保険者インセンティブ", "加算・減算"),
    "システム標準化": (
        "標準準拠システム",
        "システムの標準化",
        "システム標準化",
        "標準化・共通化",
        "事務処理標準システム",
        "ガバメントクラウド",
    ),
    "国保データベース": ("KDB", "国保データベース"),
    "保険料水準の統一": (
        "保険料水準の統一",
        "保険料水準の平準化",
        "保険料水準統一",
        "納付金ベースの統一",
        "完全統一",
    ),
    "退職者医療制度": ("退職者医療制度", "退職被保険者"),
    "都道府県の調整交付金": (
        "三位一体",
        "都道府県財政調整交付金",
        "都道府県調整交付金",
        "都道府県繰入金",
    ),
    "後期高齢者支援金": ("後期高齢者支援金", "総報酬割"),
    "減額調整措置": ("減額調整措置", "国庫負担減額", "地方単独事業", "医療費助成"),
    "資格証明書": ("資格証明書", "短期被保険者証"),
    "番号制度": ("社会保障・税番号制度", "番号制度", "マイナンバー制度", "マイナンバー"),
    "子どもの均等割": ("均等割", "未就学児"),
    "出産": ("出産育児一時金", "出産費用"),
    "国保組合": ("国保組合", "国民健康保険組合"),
    "外国人": ("外国人",),
    "特定健診": ("特定健診", "特定健康診査", "特定保健指導"),
    "一体改革": (
        "社会保障と税の一体改革",
        "一体改革",
        "社会保障制度改革国民会議",
        "国民会議",
        "プログラム法",
        "社会保障制度改革推進法",
    ),
    "高額療養費": ("高額療養費",),
    "傷病手当金": ("傷病手当金",),
    "医療費適正化": ("医療費適正化",),
    "共同事業": ("高額医療費共同事業", "保険財政共同安定化事業", "共同事業"),
    "前期高齢者の財政調整": ("前期高齢者納付金", "前期高齢者交付金", "前期財政調整"),
    "激変緩和": ("激変緩和",),
    "審査支払機関": ("審査支払機関", "支払基金", "審査支払機構"),
}

_FINDER = re.compile(
    "|".join(
        re.escape(term)
        for term in sorted({t for ts in FAMILIES.values() for t in ts}, key=len, reverse=True)
    )
)
FAMILY_OF = {term: name for name, terms in FAMILIES.items() for term in terms}


def policy_names(form: str) -> frozenset[str]:
    """The policy names a comparison form holds, as spelt (the terms of FAMILIES); the longest
    name wins where two overlap (マイナンバーカードと健康保険証, not マイナンバー)."""
    return frozenset(m.group() for m in _FINDER.finditer(form))


def concepts(form: str) -> frozenset[str]:
    """The families whose names a comparison form holds."""
    return frozenset(FAMILY_OF[name] for name in policy_names(form))
