"""Content words of an item: the nouns and noun compounds SudachiPy finds in its text.

A related (関連) link says that a new demand is about what a dropped one was about. Shared
characters cannot say that on their own: two demands that end on the same request share long
runs of characters and nothing else, while a renamed programme keeps its subject's nouns
(医療機関等, 在留期間) in new wording. Words are read on comparison forms with the tokenizer the
inline diff already loads (split mode B), so no second dictionary is opened.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from resolution_archive.diff.inline import tokenizer

_GRAMMAR = re.compile(r"[\u3041-\u309f]{1,2}")
"""Nouns of one or two hiragana (こと, ため, よう, もの) are grammar, not content; こども is
content."""
_ERAS = frozenset({"令和", "平成", "昭和"})
"""Era names belong to dates, which say when, not what (subjects masks dates for the same
reason): two demands that both name 令和 share a calendar, not a subject."""


@dataclass(frozen=True)
class Word:
    """A noun or a run of nouns: its characters in the form, Sudachi's normalised spelling
    (子ども and こども both 子供), and where it starts."""

    surface: str
    key: str
    start: int


@functools.lru_cache(maxsize=8192)
def content_words(form: str) -> tuple[Word, ...]:
    """Nouns of two or more characters and compounds of adjacent nouns, in text order.

    Numerals are no content (amounts and dates change every year); a compound takes the nouns,
    prefixes and suffixes (等, 化) that follow each other, so 医療機関等 is one word beside 医療
    and 機関.
    """
    words: list[Word] = []
    run: list[tuple[str, str, int]] = []

    def close() -> None:
        if len(run) > 1:
            surface = "".join(part[0] for part in run)
            words.append(Word(surface, "".join(part[1] for part in run), run[0][2]))
        run.clear()

    for morpheme in tokenizer().tokenize(form):
        pos = morpheme.part_of_speech()
        surface = morpheme.surface()
        if surface in _ERAS:
            close()
        elif pos[0] == "名詞" and pos[1] != "数詞":
            if len(surface) > 1 and not _GRAMMAR.fullmatch(surface):
                words.append(Word(surface, morpheme.normalized_form(), morpheme.begin()))
            run.append((surface, morpheme.normalized_form(), morpheme.begin()))
        elif pos[0] in ("接尾辞", "接頭辞") and (run or pos[0] == "接頭辞"):
            run.append((surface, surface, morpheme.begin()))
        else:
            close()
    close()
    return tuple(words)
