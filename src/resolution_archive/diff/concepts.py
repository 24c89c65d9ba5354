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
holds names of one policy and its direct successors only — never two causes in one family
(新型コロナ and 物価高騰, or 能登半島地震 and 台風: demands for different events are different
demands) and never a word every demand uses (財政支援, 国の責任). 物価高騰 alone is a family:
its demand is carried on for years in wording that changes around the name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence

from resolution_archive.text.normalize import comparison_form
from resolution_archive.text.numerals import value_form

FAMILIES: dict[str, tuple[str, ...]] = {
    "マイナ保険証": (
        "オンライン資格確認",
        "マイナンバーカードと健康保険証",
        "マイナンバーカード",
        "健康保険証の一体化",
        "保険証の一体化",
        "マイナ保険証",
        "資格確認書",
        # The yearly card renewal's cost, asked for until the card was abolished; the
        # 資格確認書 that replaced it is issued by the same office at the same cost.
        "被保険者証の一斉更新",
        "健康保険証の廃止",
        "保険証の廃止",
        "電子資格確認",
        "医療DX",
        "医療・介護DX",
    ),
    "都道府県単位化": (
        "都道府県単位化",
        "都道府県単位の",
        "都道府県単位を",
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
    # 後期高齢者支援金 replaced the 老人保健拠出金 in April 2008: one burden's successor.
    "後期高齢者支援金": ("後期高齢者支援金", "総報酬割", "老人保健拠出金"),
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
    # From 2000 国保 collects the 介護保険 premium of its 第2号被保険者 and pays it on as the
    # 介護納付金: one burden, named by its payers in 1999 and by its payment after.
    "介護納付金": ("介護納付金", "第2号被保険者"),
    # 後期高齢者医療's 2割 reform of 2022 and its 配慮措置, followed by 広域連合 to its end.
    "窓口負担の見直し": ("窓口負担割合", "窓口負担の見直し", "配慮措置", "2割負担"),
    "傷病手当金": ("傷病手当金",),
    "医療費適正化": ("医療費適正化",),
    "共同事業": ("高額医療費共同事業", "保険財政共同安定化事業", "共同事業"),
    "前期高齢者の財政調整": ("前期高齢者納付金", "前期高齢者交付金", "前期財政調整"),
    "激変緩和": ("激変緩和",),
    "審査支払機関": ("審査支払機関", "支払基金", "審査支払機構"),
    # The one cause whose demand the conference carries on from year to year under changing
    # wording (2022–2026: 保険料負担 → 医療費の増加 → 国保財政); its family pairs it only
    # with itself, never with another event's demand.
    "物価高騰": ("物価高騰", "物価上昇", "物価高"),
}


BROAD = frozenset({"都道府県単位化", "国保の構造問題", "公費の拡充", "一体改革"})
"""Families that name a reform of the whole system, not one programme. Demands on them are
rewritten from one to another as the reform moves on (国民会議 → 一体改革 → 都道府県単位化 →
財政基盤の強化), and a demand on any programme may cite them, so they do not tell which
programme a demand is on (Lexicon.programmes)."""


class Lexicon:
    """Policy families to recognise: the built-in FAMILIES, or those plus an office's own.

    Offices follow programmes of their own prefecture or renamed systems (国保総合システム and
    its successor) that no built-in family lists; `extended` adds them for one comparison.
    """

    def __init__(self, families: Mapping[str, Sequence[str]]) -> None:
        self.families: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in families.items()}
        self.family_of = {term: name for name, terms in self.families.items() for term in terms}
        # Longest first: the longest name wins where two overlap.
        self._finder = re.compile(
            "|".join(re.escape(t) for t in sorted(self.family_of, key=len, reverse=True))
        )

    def policy_names(self, form: str) -> frozenset[str]:
        """The policy names a comparison form holds, as spelt; the longest name wins where two
        overlap (マイナンバーカードと健康保険証, not マイナンバー)."""
        return frozenset(m.group() for m in self._finder.finditer(form))

    def concepts(self, form: str) -> frozenset[str]:
        """The families whose names a comparison form holds."""
        return frozenset(self.family_of[name] for name in self.policy_names(form))

    def programmes(self, form: str) -> frozenset[str]:
        """The families a comparison form holds that name one programme (not in BROAD): an
        office's own families always do."""
        return self.concepts(form) - BROAD

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the families: caches of results made with this lexicon key on it."""
        payload = json.dumps(self.families, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def extended(self, extra: Mapping[str, Sequence[str]]) -> Lexicon:
        """This lexicon with `extra` families: a family of the same name (or one that already
        holds one of the names) gains the new names; any other becomes a family of its own."""
        families = {k: list(v) for k, v in self.families.items()}
        for label, names in extra.items():
            home = label if label in families else None
            for name in names:
                if home is None and name in self.family_of:
                    home = self.family_of[name]
            target = families.setdefault(home or label, [])
            target.extend(n for n in names if n not in target)
        return Lexicon(families)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicon) and self.families == other.families

    __hash__ = None  # type: ignore[assignment]


BUILT_IN = Lexicon(FAMILIES)
FAMILY_OF = BUILT_IN.family_of


def with_local(families: Mapping[str, Sequence[str]] | None) -> Lexicon:
    """The built-in lexicon, extended by an office's own families (read_families) if given."""
    return BUILT_IN if families is None else BUILT_IN.extended(families)


def policy_names(form: str) -> frozenset[str]:
    """The built-in policy names a comparison form holds (Lexicon.policy_names)."""
    return BUILT_IN.policy_names(form)


def concepts(form: str) -> frozenset[str]:
    """The built-in families whose names a comparison form holds."""
    return BUILT_IN.concepts(form)


_NAME_SEPARATOR = re.compile(r"[、,\t]")
MIN_NAME = 2
"""A one-character name (制, 国) would be found inside nearly every demand."""


def read_families(text: str) -> dict[str, tuple[str, ...]]:
    """An office's own families from a plain text file, one policy per line.

    ``名前: 呼び名、呼び名、…`` (or only the names: the first is the family's name); 「、」, a
    comma or a tab between names; lines starting with # and blank lines are skipped. Names are
    compared as the engine compares demands (NFKC, no spaces, numbers by value), so ＫＤＢ and
    KDB, 三千四百億円 and 3,400億円 are one name. Raises ValueError naming the line at fault.
    """
    families: dict[str, tuple[str, ...]] = {}
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        label, colon, rest = comparison_form(line).partition(":")
        names_text = rest if colon else label
        names: list[str] = []
        for piece in _NAME_SEPARATOR.split(names_text):
            name = value_form(comparison_form(piece))
            if not name:
                continue
            if len(name) < MIN_NAME:
                raise ValueError(
                    f"line {number}: the name {piece.strip()!r} is too short (at least "
                    f"{MIN_NAME} characters): it would be found inside almost any demand"
                )
            if name in seen:
                raise ValueError(
                    f"line {number}: {piece.strip()!r} is already listed on line {seen[name]}; "
                    "give each name once"
                )
            seen[name] = number
            names.append(name)
        if not names:
            raise ValueError(f"line {number}: no names after {label!r}; list them after the colon")
        homes = {BUILT_IN.family_of[n] for n in names if n in BUILT_IN.family_of}
        if colon and label in BUILT_IN.families:
            homes.add(label)
        if len(homes) > 1:
            raise ValueError(
                f"line {number}: the names belong to built-in policies "
                f"{' and '.join(sorted(homes))}; "
                "one line is one policy, so put them on separate lines"
            )
        key = label if colon and label else names[0]
        if key in families:
            raise ValueError(f"line {number}: the policy {key!r} is already named above")
        families[key] = tuple(names)
    if not families:
        raise ValueError(
            "the file lists no policies; write one per line, e.g. "
            "「国保総合システム: 国保総合システム、次期国保総合システム」"
        )
    return families
