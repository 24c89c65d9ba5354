"""How alike two demands are: TF-IDF cosine over character 2–3-grams, and 3-gram containment.

Character n-grams need no tokenizer and survive the small orthographic changes (子ども/こども)
that defeat word matching. IDF is computed over the two documents' items together, so wording
that many demands share (「国の責任において必要な財政措置を講じること」) counts little and the
topic words decide. Per-document frequencies are kept as well: an n-gram that only one item
of a document contains is that item's own wording, which the aligner asks pairs to share (see
align).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

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
class Vectors:
    """n-gram counts of the old and new items over one shared vocabulary, with IDF weights.

    `old_counts`/`new_counts` are scipy CSR matrices (items × vocabulary); `tri` marks the
    vocabulary entries used for containment; `old_df`/`new_df` count, per entry, the items of
    each document that contain it (1 = the n-gram is that item's own wording in its document);
    `terms` are the n-grams themselves, by column.
    """

    old_counts: Any
    new_counts: Any
    idf: FloatArray
    tri: FloatArray
    old_df: FloatArray
    new_df: FloatArray
    terms: list[str]

    def cosine(self, old_rows: Sequence[int], new_rows: Sequence[int]) -> FloatArray:
        """Cosine similarity of some old items with some new items (dense, len(old) × len(new)).

        Only the rows asked for are weighted and multiplied: items already paired by equality
        (most of a long document) never enter the matrix. Each value is the same as in the
        whole matrix, since weighting is per row and the product sums one row pair's terms.
        """
        old = tfidf(self.old_counts[list(old_rows)], self.idf)
        new = tfidf(self.new_counts[list(new_rows)], self.idf)
        return np.asarray((old @ new.T).toarray(), dtype=np.float64)

    def containment(self, parts: Any, wholes: Any) -> FloatArray:
        """For each part row, the IDF-weighted share of its 3-grams present in each whole row."""
        weights = sp.diags(self.idf * self.tri)
        part_bin = (parts > 0).astype(np.float64) @ weights
        whole_bin = (wholes > 0).astype(np.float64)
        shared = np.asarray((part_bin @ whole_bin.T).toarray(), dtype=np.float64)
        total = np.asarray(part_bin.sum(axis=1), dtype=np.float64).reshape(-1, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, shared / np.where(total > 0, total, 1.0), 0.0)
        return np.asarray(share, dtype=np.float64)

    def weight(self, counts: Any) -> FloatArray:
        """Total IDF weight of each row's distinct 3-grams (how much text a part carries)."""
        binary = (counts > 0).astype(np.float64)
        return np.asarray(binary @ (self.idf * self.tri), dtype=np.float64).reshape(-1)


def tfidf(counts: Any, idf: FloatArray) -> Any:
    """Sublinear tf × idf, rows L2-normalised (sparse)."""
    tf = counts.astype(np.float64).tocsr(copy=True)
    tf.data = 1.0 + np.log(tf.data)
    weighted = tf @ sp.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).reshape(-1))
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ weighted


def vectorize(old_forms: Sequence[str], new_forms: Sequence[str]) -> Vectors:
    """Count n-grams of both documents' comparison forms over one vocabulary.

    IDF is ln((1+N)/(1+df)) + IDF_OFFSET: as scikit-learn's smoothing but with a smaller
    offset, so n-grams shared by many demands weigh little yet never nothing.
    """
    vocabulary: dict[str, int] = {}

    def counts(forms: Sequence[str]) -> Any:
        rows: list[int] = []
        cols: list[int] = []
        for row, form in enumerate(forms):
            for gram in char_ngrams(form):
                col = vocabulary.setdefault(gram, len(vocabulary))
                rows.append(row)
                cols.append(col)
        return rows, cols

    old_rc = counts(old_forms)
    new_rc = counts(new_forms)
    size = max(len(vocabulary), 1)

    def matrix(rc: tuple[list[int], list[int]], n_rows: int) -> Any:
        rows, cols = rc
        data = np.ones(len(rows), dtype=np.float64)
        # Duplicate (row, col) entries are summed by the CSR conversion: that is the count.
        return sp.coo_matrix((data, (rows, cols)), shape=(n_rows, size)).tocsr()

    old_counts = matrix(old_rc, len(old_forms))
    new_counts = matrix(new_rc, len(new_forms))
    old_df = np.asarray((old_counts > 0).sum(axis=0), dtype=np.float64).reshape(-1)
    new_df = np.asarray((new_counts > 0).sum(axis=0), dtype=np.float64).reshape(-1)
    df = old_df + new_df
    n_docs = len(old_forms) + len(new_forms)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + IDF_OFFSET
    tri = np.zeros(size, dtype=np.float64)
    for gram, col in vocabulary.items():
        if len(gram) == CONTAINMENT_SIZE or len(gram) < min(NGRAM_SIZES):
            tri[col] = 1.0
    return Vectors(
        old_counts,
        new_counts,
        np.asarray(idf, dtype=np.float64),
        tri,
        old_df,
        new_df,
        list(vocabulary),  # insertion order is column order
    )


def group_cosine(vectors: Vectors, old: Sequence[int], new: Sequence[int]) -> float:
    """Cosine between the summed n-gram counts of some old items and of some new items."""
    old_sum = vectors.old_counts[list(old)].sum(axis=0)
    new_sum = vectors.new_counts[list(new)].sum(axis=0)
    a = tfidf(sp.csr_matrix(np.asarray(old_sum)), vectors.idf)
    b = tfidf(sp.csr_matrix(np.asarray(new_sum)), vectors.idf)
    value = float((a @ b.T).toarray()[0, 0])
    return min(1.0, max(0.0, value))
