"""diff_items on realistic demand wording: each kind, the hard cases, order, moves, determinism."""

from __future__ import annotations

import json
from collections import Counter

from resolution_archive.diff import Change, DiffResult, diff_items, diff_paragraphs

D1 = "医療保険制度の一本化を早期に実現すること。"
D2 = (
    "国保の財政基盤強化のための公費投入の確保を確実に実施するとともに、保険者努力支援制度等が"
    "有効に活用されるよう、適切な評価と財政支援の充実を図ること。"
)
D3 = (
    "普通調整交付金が担う自治体間の所得調整機能を今後も堅持するとともに、生活保護受給者の国保"
    "等への加入の議論については、見直しを行わず国としての責任を果たすこと。"
)
D4 = (
    "被用者保険の適用拡大の検討に当たっては、国保の安定的な財政運営を確保し、保険者機能を堅持"
    "するという観点を踏まえること。"
)
D5 = (
    "医療・保健・介護人材の確保や地域偏在の解消のため総合的な対策を講じるとともに、公立病院等"
    "の医療提供体制を確保するため、十分な支援策を講じること。"
)
D7 = (
    "子ども・子育て支援金制度については、国の責任において、国民の理解が十分得られるよう分かり"
    "やすく丁寧な周知、広報等を行うとともに、国保の運営に支障を及ぼすことがないよう必要な財政"
    "措置を確実に講じること。"
)
D8 = (
    "国保総合システムは、国保運営の基幹システムであり、その開発や運用に当たっては、市町村等保"
    "険者に追加的な財政負担が生じないよう、国の責任において必要な財政措置を確実に講じること。"
)
D10 = (
    "国民の健康保持・増進及び医療費適正化に向けＫＤＢシステムの更なる活用を進めるため、制度的"
    "役割の拡充を図るとともにシステム更改等に係る財政措置を講じること。"
)
D11 = (
    "医療・介護ＤＸの推進に当たっては、地方の意見を十分に踏まえるとともに、国の責任においてマ"
    "イナ保険証の利用を促進し、従来の保険証の廃止に伴う追加的な事務に対して必要な支援を講じる"
    "こと。"
)
D12 = "国民健康保険組合の健全な運営を確保すること。"

SHOSHIKA = (
    "「次元の異なる少子化対策」の財源確保に当たっては、国の責任において、国民の理解が十分得ら"
    "れるよう丁寧な説明を行うとともに、国保の運営に支障を及ぼすことがないよう必要な財政措置を"
    "確実に講じること。"
)
SHUSSAN = (
    "出産育児一時金の引上げに当たっては、国保の財政運営に支障が生じないよう、国の責任において"
    "必要な財政措置を講じること。"
)
KOGAKU = (
    "高額療養費制度の見直しに当たっては、国保の運営に支障を及ぼすことがないよう、国の責任にお"
    "いて必要な財政措置を講じること。"
)
JINZAI = "医療・保健・介護人材の確保や地域偏在の解消のため総合的な対策を講じること。"
KOURITSU = "公立病院等の医療提供体制を確保するため、十分な支援策を講じること。"
DX_2023 = D11.replace("マイナ保険証", "オンライン資格確認").replace("従来の保険証", "健康保険証")


def rows(result: DiffResult) -> list[tuple[str, tuple[int, ...], tuple[int, ...], bool]]:
    return [(c.kind, c.old, c.new, c.moved) for c in result.changes]


def find(result: DiffResult, *, old: int | None = None, new: int | None = None) -> Change:
    for change in result.changes:
        if (old is None or old in change.old) and (new is None or new in change.new):
            return change
    raise AssertionError(f"no change holds old={old} new={new}: {rows(result)}")


def assert_accounted(result: DiffResult, n_old: int, n_new: int) -> None:
    olds = Counter(i for c in result.changes for i in c.old)
    news = Counter(j for c in result.changes for j in c.new)
    assert sorted(olds) == list(range(1, n_old + 1)) and set(olds.values()) <= {1}
    assert sorted(news) == list(range(1, n_new + 1)) and set(news.values()) <= {1}


def test_identical_documents_are_all_unchanged() -> None:
    docs = [D1, D2, D3, D12]
    result = diff_items(docs, docs)
    assert rows(result) == [("unchanged", (i,), (i,), False) for i in range(1, 5)]
    assert all(c.similarity == 1.0 and c.ops == (("=", c.old_text),) for c in result.changes)


def test_width_line_breaks_and_spaces_are_not_changes() -> None:
    noisy = [
        D2[:30] + "\n" + D2[30:],
        D3[:20] + "\r\n" + D3[20:40] + " " + D3[40:],
        D10.replace("ＫＤＢ", "KDB"),
        "医療費助成に係る均等割保険料(税)の軽減制度の拡充を行うこと。",
    ]
    clean = [D2, D3, D10, "医療費助成に係る均等割保険料（税）の軽減制度の拡充を行うこと。"]
    result = diff_items(noisy, clean)
    assert [c.kind for c in result.changes] == ["unchanged"] * 4
    # The original characters survive in the ops even when only width differs.
    kdb = find(result, old=3)
    assert ("-", "KDB") in kdb.ops and ("+", "ＫＤＢ") in kdb.ops


def test_each_kind_in_one_realistic_pair() -> None:
    old = [D1, D2, JINZAI, KOURITSU, SHUSSAN, D8, DX_2023, D12]
    new = [D1, D2.replace("確実に", ""), D5, D8, D10, D11, D12]
    result = diff_items(old, new)
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("reworded", (2,), (2,), False),
        ("merged", (3, 4), (3,), False),
        ("dropped", (5,), (), False),
        ("unchanged", (6,), (4,), False),
        ("added", (), (5,), False),
        ("reworded", (7,), (6,), False),
        ("unchanged", (8,), (7,), False),
    ]
    assert_accounted(result, len(old), len(new))
    merged = find(result, new=3)
    assert merged.old_text == JINZAI + "\n" + KOURITSU
    assert merged.similarity is not None and 0 < merged.similarity < 1
    assert find(result, old=5).similarity is None
    assert find(result, new=5).ops == (("+", D10),)


def test_split_into_two_demands() -> None:
    old = [D1, D5, D12]
    new = [D1, JINZAI, KOURITSU, D12]
    result = diff_items(old, new)
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("split", (2,), (2, 3), False),
        ("unchanged", (3,), (4,), False),
    ]
    split = find(result, old=2)
    assert split.new_text == JINZAI + "\n" + KOURITSU


def test_topic_rewritten_around_core_clause_and_boilerplate_distractors() -> None:
    """少子化対策の財源 → 子ども・子育て支援金 pairs; 出産育児一時金 and 高額療養費 do not."""
    old = [D1, SHOSHIKA, SHUSSAN, D8, D12]
    new = [D1, D7, D8, KOGAKU, D12]
    result = diff_items(old, new)
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("reworded", (2,), (2,), False),
        ("dropped", (3,), (), False),
        ("unchanged", (4,), (3,), False),
        ("added", (), (4,), False),
        ("unchanged", (5,), (5,), False),
    ]


def test_key_term_replaced_by_successor_policy() -> None:
    old = [D1, DX_2023, D12]
    new = [D1, D11, D12]
    change = find(diff_items(old, new), old=2)
    assert change.kind == "reworded" and change.new == (2,)
    assert ("+", "マイナ保険証") in change.ops


def test_insertion_above_is_a_shift_not_a_move() -> None:
    old = [D1, D2, D3, D4, D12]
    new = [D1, D8, D2, D3, D4, D12]
    result = diff_items(old, new)
    assert not any(c.moved for c in result.changes)
    assert find(result, old=4).new == (5,)


def test_moved_demand_is_flagged_and_neighbours_are_not() -> None:
    old = [D1, D2, D3, D4, D8, D12]
    new = [D1, D12, D2, D3, D4, D8]
    result = diff_items(old, new)
    assert [(c.old, c.moved) for c in result.changes] == [
        ((1,), False),
        ((6,), True),
        ((2,), False),
        ((3,), False),
        ((4,), False),
        ((5,), False),
    ]
    assert result.summary["moved"] == 1


def test_dropped_items_follow_their_old_predecessor() -> None:
    old = [SHUSSAN, D1, D2, KOGAKU, JINZAI, D12]
    new = [D1, D2, D12]
    result = diff_items(old, new)
    assert [(c.kind, c.old) for c in result.changes] == [
        ("dropped", (1,)),
        ("unchanged", (2,)),
        ("unchanged", (3,)),
        ("dropped", (4,)),
        ("dropped", (5,)),
        ("unchanged", (6,)),
    ]


def test_date_only_rewording() -> None:
    old = [
        "令和5年度から実施される出産育児一時金の引上げに伴う国保の負担増について、国の責任において"
        "必要な財政措置を講じること。",
        "令和五年度以降の国保の財政運営に支障が生じないよう、前期高齢者納付金の負担軽減を図ること。",
        "国保制度改革が実効あるものとなるよう毎年3,400億円の公費投入を確実に実施すること。",
    ]
    new = [
        old[0].replace("令和5年度", "令和6年度"),
        old[1].replace("令和五年度", "令和六年度"),
        old[2].replace("3,400", "３，５００"),
    ]
    result = diff_items(old, new)
    assert [(c.kind, c.date_only) for c in result.changes] == [
        ("reworded", True),
        ("reworded", True),
        ("reworded", False),
    ]
    assert result.summary["date_only"] == 2


def test_every_item_accounted_for_once_on_uneven_inputs() -> None:
    old = [D1, D1, D2, SHUSSAN, JINZAI, KOURITSU, D8]
    new = [D1, D5, D7, D1, D11, KOGAKU]
    result = diff_items(old, new)
    assert_accounted(result, len(old), len(new))
    assert diff_items([], [D1]).changes[0].kind == "added"
    assert diff_items([D1], []).changes[0].kind == "dropped"
    assert diff_items([], []).changes == ()


def test_output_is_deterministic_bytes() -> None:
    old = [D1, D2, JINZAI, KOURITSU, SHUSSAN, D8, DX_2023, D12, SHOSHIKA]
    new = [D1, D7, D2, D5, D8, KOGAKU, D11, D12]

    def dump() -> bytes:
        return json.dumps(diff_items(old, new).to_json(), ensure_ascii=False).encode()

    first = dump()
    assert all(dump() == first for _ in range(3))


def test_thresholds_are_recorded_and_respected() -> None:
    from resolution_archive.diff import Thresholds

    old = [D1, DX_2023]
    new = [D1, D11]
    assert diff_items(old, new).thresholds["pair_min"] == Thresholds().pair_min
    strict = Thresholds.from_overrides(
        {"pair_min": 0.99, "pair_accept": 0.99, "pair_named": 0.99, "rescue_containment": 1.0}
    )
    kinds = [c.kind for c in diff_items(old, new, thresholds=strict).changes]
    assert kinds == ["unchanged", "dropped", "added"]


def test_declaration_paragraphs_use_the_same_engine() -> None:
    p1 = (
        "しかしながら、国保が抱える構造的な問題に加え、少子高齢化の進展や被用者保険の適用拡大等"
        "に伴う被保険者数の減少などにより、令和四年度以降も厳しい財政運営が続くことが想定される。"
    )
    p2 = "我々国保関係者は、一致団結してその実現に向け断固邁進することを誓うものである。"
    result = diff_paragraphs([p1, p2], [p1.replace("令和四年度", "令和五年度"), p2])
    assert [(c.kind, c.date_only) for c in result.changes] == [
        ("reworded", True),
        ("unchanged", False),
    ]


# Shared by several demands of both documents below, so it is nobody's own wording.
CLAUSE = (
    "市町村等保険者に追加的な財政負担が生じないよう、国の責任において必要な財政措置を講じること。"
)
RECEIPT = "電子レセプト点検システムの改修に当たっては、" + CLAUSE
SHIKAKU = "資格管理システムの更改に当たっては、" + CLAUSE
KIKIN = "広域化等支援基金の造成に当たっては、" + CLAUSE


def test_split_part_reworded_after_the_split_still_joins() -> None:
    """The middle ask 「…確保の支援」 becomes 「…確保を支援すること。」: a short part of a long
    demand whose own wording (保健師等専門職) reappears there joins the split."""
    kenshin = (
        "特定健康診査・特定保健指導の実施率向上に向けた市町村の取組を十分に支援するとともに、"
        "保健師等専門職の確保の支援及び糖尿病性腎症重症化予防事業の全国的な展開に係る財政措置"
        "の拡充を図ること。"
    )
    parts = [
        "特定健康診査・特定保健指導の実施率向上に向けた市町村の取組を十分に支援すること。",
        "保健師等専門職の確保を支援すること。",
        "糖尿病性腎症重症化予防事業の全国的な展開に係る財政措置の拡充を図ること。",
    ]
    result = diff_items([D1, kenshin, D8, D12], [D1, *parts, D8, D12])
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("split", (2,), (2, 3, 4), False),
        ("unchanged", (3,), (5,), False),
        ("unchanged", (4,), (6,), False),
    ]


def test_merge_of_two_boilerplate_demands_joined_by_oyobi() -> None:
    """Two demands ending in the same clause become one with 「及び」 and a rewritten subject;
    each brings its own system name, so both are merged, not one reworded and one dropped."""
    merged = (
        "電子レセプト点検システム及び資格管理システムは、国保事務の基盤であり、その改修や更改に"
        "当たっては、市町村等保険者に追加的な財政負担が生じないよう、国の責任において必要な財政"
        "措置を確実に講じること。"
    )
    result = diff_items([D1, RECEIPT, SHIKAKU, KIKIN, D8, D12], [D1, merged, KIKIN, D8, D12])
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("merged", (2, 3), (2,), False),
        ("unchanged", (4,), (3,), False),
        ("unchanged", (5,), (4,), False),
        ("unchanged", (6,), (5,), False),
    ]


def test_same_slot_sharing_only_boilerplate_is_dropped_and_added() -> None:
    """保険者努力支援制度 → 国保事務の標準化 in the same place, the clause shared by other demands
    too: nothing of either demand's own wording is shared, so no rewording."""
    doryoku = "保険者努力支援制度の見直しに当たっては、" + CLAUSE
    hyojun = "国保事務の標準化の推進に当たっては、" + CLAUSE
    result = diff_items([D1, KIKIN, doryoku, RECEIPT, D12], [D1, KIKIN, hyojun, RECEIPT, D12])
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("unchanged", (2,), (2,), False),
        ("dropped", (3,), (), False),
        ("added", (), (3,), False),
        ("unchanged", (4,), (4,), False),
        ("unchanged", (5,), (5,), False),
    ]


ONLINE_OLD = (
    "オンライン診療の普及に当たっては、地域の医療機関の実情を十分に踏まえるとともに、必要な設備"
    "整備に対する支援を講じること。"
)
ONLINE_NEW = (
    "オンライン診療については、へき地や離島の住民が安心して受診できるよう、通信環境の整った受診"
    "拠点を計画的に整えること。"
)


def test_rewrite_keeping_policy_name_in_its_slot_is_reworded() -> None:
    """Rewritten almost entirely, but still the オンライン診療 demand between the same two
    neighbours: reworded, with its low similarity reported as it is."""
    result = diff_items([D1, D4, ONLINE_OLD, D8, D12], [D1, D4, ONLINE_NEW, D8, D12])
    assert rows(result) == [
        ("unchanged", (1,), (1,), False),
        ("unchanged", (2,), (2,), False),
        ("reworded", (3,), (3,), False),
        ("unchanged", (4,), (4,), False),
        ("unchanged", (5,), (5,), False),
    ]
    change = find(result, old=3)
    assert change.similarity is not None and change.similarity < 0.4


def test_slot_rule_needs_two_anchors_and_respects_pair_min() -> None:
    from resolution_archive.diff import Thresholds

    # At the end of the documents there is no neighbour below: dropped + added.
    end = diff_items([D1, D4, ONLINE_OLD], [D1, D4, ONLINE_NEW])
    assert [c.kind for c in end.changes] == ["unchanged", "unchanged", "dropped", "added"]
    # A floor above slot_prior asks for similar wording as well.
    strict = Thresholds.from_overrides({"pair_min": 0.6})
    kinds = [
        c.kind
        for c in diff_items(
            [D1, D4, ONLINE_OLD, D8, D12], [D1, D4, ONLINE_NEW, D8, D12], thresholds=strict
        ).changes
    ]
    assert kinds.count("dropped") == 1 and kinds.count("added") == 1
    # A name shorter than slot_name is no name.
    short = Thresholds.from_overrides({"slot_name": 8})
    kinds = [
        c.kind
        for c in diff_items(
            [D1, D4, ONLINE_OLD, D8, D12], [D1, D4, ONLINE_NEW, D8, D12], thresholds=short
        ).changes
    ]
    assert "reworded" not in kinds


def test_a_thousand_dropped_demands_in_a_row_come_out_in_order() -> None:
    """A run of dropped demands is a chain (each follows its predecessor); put in order by a
    stack, not by recursion, 1,200 of them do not exhaust Python's recursion limit."""
    old = [f"第{i}の要望を実現すること。" for i in range(1, 1201)]
    new = ["医療保険制度の一本化を早期に実現すること。"]
    result = diff_items(old, new)
    dropped = [c.old for c in result.changes if c.kind == "dropped"]
    assert len(dropped) == 1200 and dropped == sorted(dropped)
