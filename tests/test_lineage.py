"""Thread building (lineage) as a pure function: texts and pairings in, threads out.

Pairings here are written out as the engine's `Change` rows, so each test pins one structure
(a merge, a split, a gap) regardless of how the engine's thresholds evolve; the re-appearance
tests and the bundled-year tests (test_cli_history.py) run the real engine.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from resolution_archive.diff import Change, diff_items
from resolution_archive.diff.model import Kind
from resolution_archive.history import change_from_json, change_to_json, highlight_spans
from resolution_archive.lineage import (
    Decision,
    Reappearance,
    YearItems,
    apply_decisions,
    build_threads,
    match_reappearances,
)
from tests.thread_texts import BC, COVID, COVID_BACK, A, B, C, D


def row(kind: Kind, old: Sequence[int], new: Sequence[int], olds: Sequence[str],
        news: Sequence[str]) -> Change:
    old_text = "\n".join(olds[i - 1] for i in old)
    new_text = "\n".join(news[j - 1] for j in new)
    ops: tuple[tuple[str, str], ...]
    if kind == "added":
        ops = (("+", new_text),)
    elif kind == "dropped":
        ops = (("-", old_text),)
    else:
        ops = (("-", old_text), ("+", new_text))
    return Change(kind, tuple(old), tuple(new), old_text, new_text, ops)  # type: ignore[arg-type]


def never(dormant: Sequence[str], added: Sequence[str]) -> list[Reappearance]:
    return []


def test_merge_continues_the_first_thread_and_ends_the_other() -> None:
    y1, y2 = [A, B, C], [A, BC]
    threads = build_threads(
        [YearItems(2022, tuple(y1)), YearItems(2023, tuple(y2))],
        [[row("unchanged", [1], [1], y1, y2), row("merged", [2, 3], [2], y1, y2)]],
        matcher=never)
    merged = threads.thread_of(2023, 2)
    assert merged is not None and merged.id == "2022:2"
    assert [(v.year, v.number, v.change) for v in merged.versions] == [
        (2022, 2, "added"), (2023, 2, "merged")]
    assert merged.versions[1].previous == ("2022:2", "2022:3")
    absorbed = threads.thread("2022:3")
    assert absorbed is not None
    assert (absorbed.ending, absorbed.merged_into, absorbed.last_year) == ("merged", "2022:2", 2022)
    assert len(threads.threads) == 3


def test_split_starts_a_thread_that_names_where_it_came_from() -> None:
    y1, y2 = [A, BC], [A, B, C]
    threads = build_threads(
        [YearItems(2022, tuple(y1)), YearItems(2023, tuple(y2))],
        [[row("unchanged", [1], [1], y1, y2), row("split", [2], [2, 3], y1, y2)]],
        matcher=never)
    head, part = threads.thread_of(2023, 2), threads.thread_of(2023, 3)
    assert head is not None and part is not None
    assert head.id == "2022:2" and [v.change for v in head.versions] == ["added", "split"]
    assert part.id == "2023:3" and part.split_from == "2022:2"
    assert part.versions[0].change == "split" and part.versions[0].previous == ("2022:2",)


def test_a_year_missing_from_the_archive_is_shown_not_papered_over() -> None:
    y1, y2 = [A, D], [A, D]
    threads = build_threads(
        [YearItems(2021, tuple(y1)), YearItems(2023, tuple(y2))],
        [[row("unchanged", [1], [1], y1, y2), row("unchanged", [2], [2], y1, y2)]],
        matcher=never)
    thread = threads.thread_of(2023, 1)
    assert thread is not None
    assert [v.year for v in thread.versions] == [2021, 2023]
    assert thread.missing_years == (2022,)
    timeline = threads.timeline()
    assert timeline.years == (2021, 2023)
    assert timeline.to_json()["missing_years"] == [2022]
    assert "2022" not in timeline.to_json()["threads"][0]["cells"]


def test_a_dropped_demand_that_comes_back_resumes_its_thread() -> None:
    y1, y2, y3 = [A, COVID], [A], [A, COVID_BACK]
    threads = build_threads(
        [YearItems(2020, tuple(y1)), YearItems(2021, tuple(y2)), YearItems(2022, tuple(y3))],
        [[row("unchanged", [1], [1], y1, y2), row("dropped", [2], [], y1, y2)],
         [row("unchanged", [1], [1], y2, y3), row("added", [], [2], y2, y3)]])
    thread = threads.thread_of(2022, 2)
    assert thread is not None and thread.id == "2020:2"
    assert [(v.year, v.change) for v in thread.versions] == [(2020, "added"),
                                                             (2022, "reappeared")]
    assert thread.gaps == ((2020, 2022),)
    assert thread.ending is None
    back = thread.versions[1]
    assert back.previous == ("2020:2",)
    assert "".join(t for op, t in back.ops if op != "+") == COVID  # ops replay old → new
    assert "".join(t for op, t in back.ops if op != "-") == COVID_BACK


def test_only_demands_dropped_before_the_previous_year_are_offered_again() -> None:
    """A drop and an add between the same two years were already judged different."""
    calls: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    def recording(dormant: Sequence[str], added: Sequence[str]) -> list[Reappearance]:
        calls.append((tuple(dormant), tuple(added)))
        return match_reappearances(dormant, added)

    y1, y2 = [A, COVID], [A, COVID_BACK]
    threads = build_threads(
        [YearItems(2020, tuple(y1)), YearItems(2021, tuple(y2))],
        [[row("unchanged", [1], [1], y1, y2), row("dropped", [2], [], y1, y2),
          row("added", [], [2], y1, y2)]], matcher=recording)
    assert calls == []
    assert threads.thread_of(2021, 2) is not None
    assert threads.thread_of(2021, 2).id == "2021:2"  # type: ignore[union-attr]


def test_unrelated_new_demand_is_not_a_reappearance() -> None:
    y1, y2, y3 = [A, COVID], [A], [A, D]
    threads = build_threads(
        [YearItems(2020, tuple(y1)), YearItems(2021, tuple(y2)), YearItems(2022, tuple(y3))],
        [[row("unchanged", [1], [1], y1, y2), row("dropped", [2], [], y1, y2)],
         [row("unchanged", [1], [1], y2, y3), row("added", [], [2], y2, y3)]])
    new = threads.thread_of(2022, 2)
    assert new is not None and new.id == "2022:2" and new.versions[0].change == "added"
    old = threads.thread("2020:2")
    assert old is not None and old.ending == "dropped" and old.last_year == 2020


def test_pairings_must_match_the_years() -> None:
    with pytest.raises(ValueError, match="3 years need 2 pairings"):
        build_threads([YearItems(y, (A,)) for y in (2020, 2021, 2022)], [[]])


# --- decisions --------------------------------------------------------------------------------


def test_link_joins_what_the_engine_left_apart() -> None:
    old, new = [A, COVID], [A, D]
    engine = diff_items(old, new).changes
    assert {c.kind for c in engine} == {"unchanged", "dropped", "added"}
    decided = apply_decisions(engine, old, new, [
        Decision(2023, 2, 2024, 2, "link", "reworded", "tanaka")])
    assert [(c.kind, c.old, c.new, c.decided_by) for c in decided] == [
        ("unchanged", (1,), (1,), None), ("reworded", (2,), (2,), "tanaka")]
    reworded = decided[1]
    assert "".join(t for op, t in reworded.ops if op != "+") == COVID
    assert "".join(t for op, t in reworded.ops if op != "-") == D
    assert engine[0] is decided[0]  # rows no decision touches are the engine's own


def test_unlink_separates_and_a_later_decision_wins() -> None:
    old, new = [A, COVID], [A, COVID_BACK]
    engine = diff_items(old, new).changes
    assert [c.kind for c in engine] == ["unchanged", "reworded"]
    unlinked = apply_decisions(engine, old, new, [
        Decision(2023, 2, 2024, 2, "unlink", None, "sato")])
    assert sorted((c.kind, c.decided_by) for c in unlinked) == [
        ("added", "sato"), ("dropped", "sato"), ("unchanged", None)]
    relinked = apply_decisions(engine, old, new, [
        Decision(2023, 2, 2024, 2, "unlink", None, "sato"),
        Decision(2023, 2, 2024, 2, "link", "reworded", "suzuki")])
    assert [(c.kind, c.decided_by) for c in relinked] == [("unchanged", None),
                                                          ("reworded", "suzuki")]


def test_two_links_to_one_demand_make_a_merge() -> None:
    old, new = [B, C, D], [BC, D]
    decided = apply_decisions(diff_items(old, new).changes, old, new, [
        Decision(2023, 1, 2024, 1, "link", "merged", "tanaka"),
        Decision(2023, 2, 2024, 1, "link", "merged", "tanaka")])
    merged = [c for c in decided if c.old == (1, 2)]
    assert len(merged) == 1 and merged[0].kind == "merged" and merged[0].decided_by == "tanaka"


def test_link_as_unchanged_overrides_a_notation_rewording() -> None:
    old, new = [D], ["国民健康保険組合の健全な運営を確保すること"]
    decided = apply_decisions(diff_items(old, new).changes, old, new, [
        Decision(2023, 1, 2024, 1, "link", "unchanged", "tanaka")])
    assert [(c.kind, c.decided_by) for c in decided] == [("unchanged", "tanaka")]


def test_decisions_outside_the_documents_are_ignored() -> None:
    old, new = [A], [A]
    engine = diff_items(old, new).changes
    assert apply_decisions(engine, old, new, [
        Decision(2023, 5, 2024, 1, "unlink", None, "x")]) == engine


def test_decisions_reach_the_threads() -> None:
    y1, y2 = [A, COVID], [A, COVID_BACK]
    pairing = diff_items(y1, y2).changes
    years = [YearItems(2023, tuple(y1)), YearItems(2024, tuple(y2))]
    plain = build_threads(years, [pairing])
    assert plain.thread_of(2024, 2).id == "2023:2"  # type: ignore[union-attr]
    apart = build_threads(years, [pairing], decisions=[
        Decision(2023, 2, 2024, 2, "unlink", None, "sato")])
    thread = apart.thread_of(2024, 2)
    assert thread is not None and thread.id == "2024:2"
    assert thread.versions[0].decided_by == "sato"
    assert apart.thread("2023:2").ending == "dropped"  # type: ignore[union-attr]


def test_decisions_across_a_gap_force_or_forbid_a_reappearance() -> None:
    y1, y2, y3 = [A, COVID], [A], [A, D]
    years = [YearItems(2020, tuple(y1)), YearItems(2021, tuple(y2)), YearItems(2022, tuple(y3))]
    pairings = [diff_items(y1, y2).changes, diff_items(y2, y3).changes]
    forced = build_threads(years, pairings, decisions=[
        Decision(2020, 2, 2022, 2, "link", "reworded", "tanaka")])
    thread = forced.thread_of(2022, 2)
    assert thread is not None and thread.id == "2020:2"
    assert thread.versions[-1].change == "reappeared"
    assert thread.versions[-1].decided_by == "tanaka"

    back = [A, COVID_BACK]
    years[2] = YearItems(2022, tuple(back))
    pairings[1] = diff_items(y2, back).changes
    assert build_threads(years, pairings).thread_of(2022, 2).id == "2020:2"  # type: ignore[union-attr]
    forbidden = build_threads(years, pairings, decisions=[
        Decision(2020, 2, 2022, 2, "unlink", None, "sato")])
    assert forbidden.thread_of(2022, 2).id == "2022:2"  # type: ignore[union-attr]


# --- shapes -----------------------------------------------------------------------------------


def test_titles_come_from_the_latest_wording() -> None:
    y1, y2 = [COVID], ["子ども・子育て支援金制度については、国の責任において十分な説明を行うこと。"]
    threads = build_threads([YearItems(2023, tuple(y1)), YearItems(2024, tuple(y2))],
                            [[row("reworded", [1], [1], y1, y2)]])
    assert threads.threads[0].title == "子ども・子育て支援金制度については"
    long = build_threads([YearItems(2023, (COVID,))], []).threads[0].title
    assert long.endswith("…") and len(long) == 24 and COVID.startswith(long[:-1])


def test_json_shapes() -> None:
    y1, y2 = [A, B], [A, B]
    threads = build_threads(
        [YearItems(2019, tuple(y1)), YearItems(2020, tuple(y2))],
        [[row("unchanged", [1], [1], y1, y2), row("unchanged", [2], [2], y1, y2)]])
    thread = threads.threads[0].to_json()
    assert thread["id"] == "2019:1"
    assert [{k: v[k] for k in ("year", "number", "text", "change")}
            for v in thread["versions"]] == [
        {"year": 2019, "number": 1, "text": A, "change": "added"},
        {"year": 2020, "number": 1, "text": A, "change": "unchanged"}]
    timeline = threads.timeline().to_json()
    assert timeline["years"] == [2019, 2020]
    assert timeline["threads"][1] == {
        "id": "2019:2", "title": threads.threads[1].title, "first_year": 2019,
        "last_year": 2020, "ending": None,
        "cells": {"2019": {"number": 2, "change": "added"},
                  "2020": {"number": 2, "change": "unchanged"}}}
    assert threads.timeline(2020, 2020).to_json()["years"] == [2020]


def test_cached_changes_round_trip() -> None:
    for change in diff_items([A, B, C], [A, BC]).changes:
        assert change_from_json(change_to_json(change)) == change


@pytest.mark.parametrize(("text", "query", "marked"), [
    ("国民の健康保持に向けＫＤＢシステムの活用を進めること。", "KDB", ["ＫＤＢ"]),
    ("保険料(税)の軽減制度の拡充を行うこと。", "（税）", ["(税)"]),
    ("国保の運営に支障を及ぼすことがないよう国保財政を支援すること。", "国保", ["国保", "国保"]),
    ("子ども・子育て支援金制度", "子育", ["子育"]),
])
def test_highlights_map_back_to_the_original_characters(text: str, query: str,
                                                         marked: list[str]) -> None:
    from resolution_archive.text.normalize import comparison_form

    spans = highlight_spans(text, comparison_form(query))
    assert [text[s:e] for s, e in spans] == marked
