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

from resolution_archive.diff.dates import mask_dates
from resolution_archive.diff.similarity import Vectors

NAME_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u30a1-\u30ffA-Za-z"
"""Name characters: kanji, katakana (with ・ and ー) and Latin letters; hiragana, digits and
punctuation carry grammar, dates and amounts. Shared with align.py."""
NAME_RUN = re.compile(f"[{NAME_CHAR}]{{2,}}")
RARE = 2
"""An item's subject name may occur in at most this many items of each document."""


def name_grams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in NAME_RUN.findall(text):
        grams.update(run[k : k + 2] for k in range(len(run) - 1))
    return grams


_CONNECTIVE = re.compile(r"(?:一方|特に|更に|併せて|加えて|同時に|今後とも|今後|我々国保関係者は)")
"""Opening clauses that name no subject although they hold kanji: 「一方、」「今後とも、」, and
the 宣言's speaker 「我々国保関係者は、」 (every paragraph's, so nobody's subject)."""


_WHEN = re.compile("\x00+(?:以降|以後|以来|まで|までに|から|より|中|において)?")
"""An opening clause that only says when (「平成２０年度以降、」「令和６年度から、」, dates
masked): it names no subject, and its kanji (以降) would tie it to any demand with a date."""


def subject_span(form: str) -> tuple[int, int]:
    """Where the subject clause lies: the first clause (up to 「、」) that names something.

    A 宣言 paragraph opens on a connective (「このような中、」「また、」「一方、」) that names
    nothing: its subject is the clause after it. Clauses with no run of two name characters, the
    few kanji connectives above and clauses that only give a date are skipped; the whole form
    when every clause is such.
    """
    start = 0
    while start <= len(form):
        end = form.find("、", start)
        end = len(form) if end < 0 else end
        clause = form[start:end]
        if (
            NAME_RUN.search(clause)
            and not _CONNECTIVE.fullmatch(clause)
            and not _WHEN.fullmatch(mask_dates(clause))
        ):
            return start, end
        start = end + 1
    first = form.find("、")
    return 0, len(form) if first < 0 else first


def first_clause(form: str) -> str:
    """The subject clause (subject_span): the text up to the first 「、」 once opening
    connectives are skipped (the whole text when it has none)."""
    start, end = subject_span(form)
    return form[start:end]


class Subjects:
    """Subject names of two documents' items (their value forms), computed as asked.

    Name 2-grams are vocabulary columns of `vectors` (2-grams of the same forms), so their
    per-document frequencies are the vectors' and nothing is counted twice.
    """

    def __init__(self, old_forms: Sequence[str], new_forms: Sequence[str], vectors: Vectors):
        self._forms = (old_forms, new_forms)
        self._vectors = vectors
        self._columns = {term: col for col, term in enumerate(vectors.terms)}
        self._df = (vectors.old_df, vectors.new_df)
        self._topics: tuple[dict[int, set[str]], dict[int, set[str]]] = ({}, {})
        self._rarity: dict[str, bool] = {}

    def _count(self, side: int, gram: str) -> int:
        col = self._columns.get(gram)
        return 0 if col is None else int(self._df[side][col])

    def _is_rare(self, gram: str) -> bool:
        return self._count(0, gram) <= RARE and self._count(1, gram) <= RARE

    def topic(self, side: int, item: int) -> set[str]:
        """The name 2-grams of an item's first clause."""
        cache = self._topics[side]
        if item not in cache:
            # Dates (令和6年11月) say when, not what: a date line has no subject.
            cache[item] = name_grams(mask_dates(first_clause(self._forms[side][item])))
        return cache[item]

    def rare_topic(self, side: int, item: int) -> set[str]:
        return {g for g in self.topic(side, item) if self._is_rare(g)}

    def shared(self, old: int, new: int, *, rare: bool = True) -> set[str]:
        """Name 2-grams the two items' subjects have in common (only rare ones by default)."""
        common = self.topic(0, old) & self.topic(1, new)
        return {g for g in common if self._is_rare(g)} if rare else common

    def shared_text(self, old: int, new: int) -> str:
        """The longest name both subjects contain and no other item of either document does.

        Names are compared whole (保険料 in both, not its rare-looking fragment 険料), so a
        common word never ties two demands through a piece of it. Empty when there is none.
        """
        if not self.topic(0, old) & self.topic(1, new):
            return ""
        other = first_clause(self._forms[1][new])
        best = ""
        for run in NAME_RUN.findall(first_clause(self._forms[0][old])):
            for start in range(len(run) - 1):
                for end in range(len(run), start + 1, -1):
                    name = run[start:end]
                    if len(name) <= len(best):
                        break
                    if name in other and self._unique(name):
                        best = name
                        break
        return best

    def common_name(self, old: int, new: int) -> str:
        """The longest name both subjects contain that is made of rare 2-grams only.

        Weaker than shared_text (the name may occur in another item too, as 出産 in 出産手当金):
        it says what a relation resting on position is about. Empty when there is none.
        """
        other = first_clause(self._forms[1][new])
        best = ""
        for run in NAME_RUN.findall(first_clause(self._forms[0][old])):
            for start in range(len(run) - 1):
                for end in range(len(run), start + len(best) + 1, -1):
                    name = run[start:end]
                    grams = [name[k : k + 2] for k in range(len(name) - 1)]
                    if name in other and all(self._is_rare(g) for g in grams):
                        best = name
                        break
        return best

    def subject_name(self, old: int, new: int) -> str:
        """The longest name (≥ 2 characters) both subjects contain, however common.

        The weakest tie (保険者 in 保険者努力支援制度 and 保険者インセンティブ): it only says what
        a relation resting on position is about. Empty when there is none.
        """
        other = mask_dates(first_clause(self._forms[1][new]))
        best = ""
        for run in NAME_RUN.findall(mask_dates(first_clause(self._forms[0][old]))):
            for start in range(len(run) - 1):
                for end in range(len(run), start + max(len(best), 1), -1):
                    if run[start:end] in other:
                        best = run[start:end]
                        break
        return best

    def holders(self, side: int, text: str) -> int:
        """How many items of one document contain `text` (two or more characters).

        Only the items holding its rarest 2-gram can contain it, so only those are read.
        """
        grams = [text[k : k + 2] for k in range(len(text) - 1)]
        if not grams:
            return 0
        rarest = min(grams, key=lambda g: self._count(side, g))
        col = self._columns.get(rarest)
        if col is None:
            return 0
        forms = self._forms[side]
        return sum(text in forms[r] for r in self._vectors.side(side).rows_with(col).tolist())

    def _unique(self, name: str) -> bool:
        """Whether exactly one item of each document contains `name`.

        Only the items containing its rarest 2-gram can contain it, so only those are read.
        """
        if name not in self._rarity:
            unique = True
            for side in (0, 1):
                grams = [name[k : k + 2] for k in range(len(name) - 1)]
                rarest = min(grams, key=lambda g: self._count(side, g))
                col = self._columns.get(rarest)
                forms = self._forms[side]
                holders = [] if col is None else self._vectors.side(side).rows_with(col).tolist()
                if sum(name in forms[r] for r in holders) != 1:
                    unique = False
                    break
            self._rarity[name] = unique
        return self._rarity[name]

    def named_in(self, side: int, part: int, wholes: Sequence[int]) -> list[float]:
        """For each whole of the other document, the share of the part's subject names in it.

        Only rare names count towards the share (of all the subject's names): a subject shared
        with many demands ties the part to none of them. `side` is the part's document (0 old,
        1 new).
        """
        topic = self.topic(side, part)
        hits: Counter[int] = Counter()
        other = self._vectors.side(1 - side)
        for gram in self.rare_topic(side, part):
            col = self._columns.get(gram)
            if col is not None:
                hits.update(int(r) for r in other.rows_with(col))
        return [hits[w] / len(topic) if hits else 0.0 for w in wholes]
