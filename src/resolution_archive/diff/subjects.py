"""What a demand is about: the names in its first clause, and which of them two demands share.

A demand states its subject first (「出産育児一時金の大幅な引上げに当たっては、…」, 「マイナンバー
カードと健康保険証の一体化に当たっては、…」) and its request after. Two demands whose closing
requests match word for word (「市町村等保険者の負担とならないよう、国の責任において十分な
財政支援を講じること」) but whose subjects have nothing in common are different demands, however
much wording they share; two whose wording is mostly new but whose subjects share a rare name
(出産, マイナ保険証) are often this year's version of last year's demand.

A subject name is a 2-gram of name characters (kanji, katakana, Latin letters) in the first
clause — up to the first 「、」 — that few items of either document contain (≤ RARE items each),
so 国保 or 保険 in every demand's subject tie nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_NAME_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u30a1-\u30ffA-Za-z"
_NAME_RUN = re.compile(f"[{_NAME_CHAR}]{{2,}}")
RARE = 2
"""An item's subject name may occur in at most this many items of each document."""


def _name_grams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _NAME_RUN.findall(text):
        grams.update(run[k : k + 2] for k in range(len(run) - 1))
    return grams


def first_clause(form: str) -> str:
    """The text up to the first 「、」 (the whole text when it has none)."""
    return form.split("、", 1)[0]


class Subjects:
    """Subject names of two documents' items (comparison or value forms)."""

    def __init__(self, old_forms: Sequence[str], new_forms: Sequence[str]) -> None:
        self._forms = (list(old_forms), list(new_forms))
        self._df = (
            Counter(g for form in old_forms for g in _name_grams(form)),
            Counter(g for form in new_forms for g in _name_grams(form)),
        )
        self._rarity: dict[str, bool] = {}
        self._all = ([_name_grams(f) for f in old_forms], [_name_grams(f) for f in new_forms])
        self._topics = (
            [_name_grams(first_clause(f)) for f in old_forms],
            [_name_grams(first_clause(f)) for f in new_forms],
        )

    def shared(self, old: int, new: int, *, rare: bool = True) -> set[str]:
        """Name 2-grams the two items' subjects have in common (only rare ones by default)."""
        common = self._topics[0][old] & self._topics[1][new]
        if not rare:
            return common
        return {g for g in common if self._df[0][g] <= RARE and self._df[1][g] <= RARE}

    def shared_text(self, old: int, new: int) -> str:
        """The longest name both subjects contain and no other item of either document does.

        Names are compared whole (保険料 in both, not its rare-looking fragment 険料), so a
        common word never ties two demands through a piece of it. Empty when there is none.
        """
        if not self._topics[0][old] & self._topics[1][new]:
            return ""
        other = first_clause(self._forms[1][new])
        best = ""
        for run in _NAME_RUN.findall(first_clause(self._forms[0][old])):
            for start in range(len(run) - 1):
                for end in range(len(run), start + 1, -1):
                    name = run[start:end]
                    if len(name) <= len(best):
                        break
                    if name in other and self._rare(name):
                        best = name
                        break
        return best

    def _rare(self, name: str) -> bool:
        if name not in self._rarity:
            self._rarity[name] = all(
                sum(name in form for form in forms) == 1 for forms in self._forms
            )
        return self._rarity[name]

    def named_in(self, side: int, part: int, wholes: Sequence[int]) -> list[float]:
        """For each whole of the other document, the share of the part's subject names in it.

        Only rare names count towards the share (of all the subject's names): a subject shared
        with many demands ties the part to none of them. `side` is the part's document (0 old,
        1 new).
        """
        topic = self._topics[side][part]
        if not topic:
            return [0.0] * len(wholes)
        rare = {g for g in topic if self._df[0][g] <= RARE and self._df[1][g] <= RARE}
        other = self._all[1 - side]
        return [len(rare & other[w]) / len(topic) for w in wholes]
