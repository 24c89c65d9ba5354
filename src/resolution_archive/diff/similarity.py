"""How alike two demands are: TF-IDF cosine over character 2–3-grams, and 3-gram containment.

Character n-grams need no tokenizer and survive the small orthographic changes (子ども/こども)
that defeat word matching. IDF is computed over the two documents' items together, so wording
that many demands share (「国の責任において必要な財政措置を講じること」) counts little and the
topic words decide. Per-document frequencies are kept as well: an n-gram that only one item
of a document contains is that item's own wording, which the aligner asks pairs to share (see
align).

Counts are kept per item as sorted vocabulary columns (`Rows`), and the matrices the aligner
needs — cosine and containment of the items equality left over — are dense numpy products over
only the columns both sides use. scipy.sparse did this before at an import cost of about 170 ms
on every `archive diff` for matrices of a few dozen rows.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

NGRAM_SIZES = (2, 3)
IDF_OFFSET = 0.3
"""Added to ln((1+N)/(1+df)): low so shared boilerplate weighs little, > 0 so two-item inputs
still have weight (see Thresholds for the measurement)."""
CONTAINMENT_SIZE = 3


def char_ngrams(text: str, sizes: Iterable[int] = NGRAM_SIZES) -> list[str]:
    """All character n-grams of the given sizes; a text shorter than every size is its own gram."""
    grams: list[str] = []
    for n in sizes:
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    if not grams and text:
        grams.append(text)
    return grams


@dataclass(frozen=True)
class Rows:
    """One document's n-gram counts: per item, its vocabulary columns (ascending) and counts."""

    indptr: IntArray
    indices: IntArray
    data: FloatArray

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def columns(self, row: int) -> IntArray:
        return self.indices[self.indptr[row] : self.indptr[row + 1]]

    def counts(self, row: int) -> FloatArray:
        return self.data[self.indptr[row] : self.indptr[row + 1]]

    @functools.cached_property
    def _by_column(self) -> tuple[IntArray, IntArray]:
        """Columns and their items, ordered by column (the transpose, built on first use)."""
        order = np.argsort(self.indices, kind="stable")
        rows = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))
        return self.indices[order], rows[order]

    def rows_with(self, column: int) -> IntArray:
        """The items that contain a vocabulary column (ascending)."""
        columns, rows = self._by_column
        start, end = np.searchsorted(columns, [column, column + 1])
        return np.asarray(rows[start:end], dtype=np.int64)

    def owners(self, size: int) -> IntArray:
        """For each column, the last item that contains it (-1 for none)."""
        owner = np.full(size, -1, dtype=np.int64)
        rows = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))
        owner[self.indices] = rows
        return owner


@dataclass(frozen=True)
class Vectors:
    """n-gram counts of the old and new items over one shared vocabulary, with IDF weights.

    `tri` marks the vocabulary entries used for containment; `old_df`/`new_df` count, per entry,
    the items of each document that contain it (1 = the n-gram is that item's own wording in
    its document); `terms` are the n-grams themselves, by column.
    """

    old: Rows
    new: Rows
    idf: FloatArray
    tri: FloatArray
    old_df: FloatArray
    new_df: FloatArray
    terms: list[str]

    def side(self, side: int) -> Rows:
        return self.old if side == 0 else self.new

    def cosine(self, old_rows: Sequence[int], new_rows: Sequence[int]) -> FloatArray:
        """Cosine similarity of some old items with some new items (dense, len(old) × len(new)).

        Only the rows asked for are weighted and multiplied: items already paired by equality
        (most of a long document) never enter the matrix, and only columns both sides use do.
        """
        shared = _shared_columns(self.old, old_rows, self.new, new_rows)
        a = self._weighted(self.old, old_rows, shared)
        b = self._weighted(self.new, new_rows, shared)
        return np.asarray(a @ b.T, dtype=np.float64)

    def _weighted(self, rows: Rows, items: Sequence[int], shared: IntArray) -> FloatArray:
        """Sublinear tf × idf rows, L2-normalised over all their columns, on `shared` columns."""
        out = np.zeros((len(items), len(shared)), dtype=np.float64)
        position = np.full(len(self.idf), -1, dtype=np.int64)
        position[shared] = np.arange(len(shared), dtype=np.int64)
        for r, item in enumerate(items):
            cols = rows.columns(item)
            values = (1.0 + np.log(rows.counts(item))) * self.idf[cols]
            norm = float(np.sqrt(np.add.reduce(values * values))) if len(values) else 0.0
            values = values * (1.0 / (norm if norm != 0 else 1.0))
            keep = position[cols] >= 0
            out[r, position[cols[keep]]] = values[keep]
        return out

    def containment(
        self, part_side: int, parts: Sequence[int], wholes: Sequence[int]
    ) -> FloatArray:
        """For each part, the IDF-weighted share of its 3-grams present in each whole.

        Parts are items of document `part_side` (0 old, 1 new), wholes of the other one.
        """
        part_rows, whole_rows = self.side(part_side), self.side(1 - part_side)
        shared = _shared_columns(part_rows, parts, whole_rows, wholes)
        position = np.full(len(self.idf), -1, dtype=np.int64)
        position[shared] = np.arange(len(shared), dtype=np.int64)
        weights = self.idf * self.tri
        part_matrix = np.zeros((len(parts), len(shared)), dtype=np.float64)
        total = np.zeros(len(parts), dtype=np.float64)
        for a, item in enumerate(parts):
            cols = part_rows.columns(item)
            total[a] = np.add.reduce(weights[cols])
            keep = position[cols] >= 0
            part_matrix[a, position[cols[keep]]] = weights[cols[keep]]
        whole_matrix = np.zeros((len(wholes), len(shared)), dtype=np.float64)
        for b, item in enumerate(wholes):
            cols = whole_rows.columns(item)
            whole_matrix[b, position[cols[position[cols] >= 0]]] = 1.0
        overlap = part_matrix @ whole_matrix.T
        column = total.reshape(-1, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(column > 0, overlap / np.where(column > 0, column, 1.0), 0.0)
        return np.asarray(share, dtype=np.float64)


def _shared_columns(a: Rows, a_items: Sequence[int], b: Rows, b_items: Sequence[int]) -> IntArray:
    """Vocabulary columns that some of a_items and some of b_items contain (ascending)."""

    def used(rows: Rows, items: Sequence[int]) -> IntArray:
        if not len(items):
            return np.zeros(0, dtype=np.int64)
        # Sorted and deduplicated by hand: np.unique imports numpy.ma (12 ms) to ask whether
        # the array is masked, a cost every `archive diff` would pay at start-up.
        columns = np.sort(np.concatenate([rows.columns(i) for i in items]))
        keep = np.ones(len(columns), dtype=bool)
        keep[1:] = columns[1:] != columns[:-1]
        return np.asarray(columns[keep], dtype=np.int64)

    return np.intersect1d(used(a, a_items), used(b, b_items), assume_unique=True)


def vectorize(old_forms: Sequence[str], new_forms: Sequence[str]) -> Vectors:
    """Count n-grams of both documents' comparison forms over one vocabulary.

    IDF is ln((1+N)/(1+df)) + IDF_OFFSET: as scikit-learn's smoothing but with a smaller
    offset, so n-grams shared by many demands weigh little yet never nothing.
    """
    vocabulary: dict[str, int] = {}

    def columns(forms: Sequence[str]) -> tuple[list[int], list[int]]:
        cols: list[int] = []
        lengths: list[int] = []
        for form in forms:
            grams = char_ngrams(form)
            cols.extend([vocabulary.setdefault(gram, len(vocabulary)) for gram in grams])
            lengths.append(len(grams))
        return cols, lengths

    old_columns = columns(old_forms)
    new_columns = columns(new_forms)
    size = max(len(vocabulary), 1)

    def rows(found: tuple[list[int], list[int]]) -> Rows:
        """Rows with each item's columns ascending and repeated n-grams counted."""
        cols, lengths = found
        n = len(lengths)
        item = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keys, counts = np.unique(item * size + np.asarray(cols, dtype=np.int64), return_counts=True)
        per_item = np.bincount(keys // size, minlength=n)
        indptr = np.concatenate(([0], np.cumsum(per_item))).astype(np.int64)
        return Rows(indptr, keys % size, counts.astype(np.float64))

    old, new = rows(old_columns), rows(new_columns)
    old_df = np.bincount(old.indices, minlength=size).astype(np.float64)
    new_df = np.bincount(new.indices, minlength=size).astype(np.float64)
    df = old_df + new_df
    n_docs = len(old_forms) + len(new_forms)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + IDF_OFFSET
    tri = np.zeros(size, dtype=np.float64)
    for gram, col in vocabulary.items():
        if len(gram) == CONTAINMENT_SIZE or len(gram) < min(NGRAM_SIZES):
            tri[col] = 1.0
    return Vectors(
        old,
        new,
        np.asarray(idf, dtype=np.float64),
        tri,
        old_df,
        new_df,
        list(vocabulary),  # insertion order is column order
    )


def group_cosine(vectors: Vectors, old: Sequence[int], new: Sequence[int]) -> float:
    """Cosine between the summed n-gram counts of some old items and of some new items."""

    def summed(rows: Rows, items: Sequence[int]) -> tuple[IntArray, FloatArray]:
        total = np.zeros(len(vectors.idf), dtype=np.float64)
        for item in items:
            total[rows.columns(item)] += rows.counts(item)
        cols = np.flatnonzero(total)
        values = (1.0 + np.log(total[cols])) * vectors.idf[cols]
        norm = float(np.sqrt(np.add.reduce(values * values))) if len(values) else 0.0
        return cols, values * (1.0 / (norm if norm != 0 else 1.0))

    a_cols, a = summed(vectors.old, old)
    b_cols, b = summed(vectors.new, new)
    common, ia, ib = np.intersect1d(a_cols, b_cols, assume_unique=True, return_indices=True)
    value = float(np.add.reduce(a[ia] * b[ib])) if len(common) else 0.0
    return min(1.0, max(0.0, value))
