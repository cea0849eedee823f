"""The claim classifier's design matrix, built the same way at training and at prediction time.

Column order follows the course exemplar (counts and duration as they appear in the data,
``text_length``, the one-hot indicators with the first level dropped, then the phrase counts),
because a random forest's feature sampling depends on column order and the course protocol must
reproduce the exemplar. Indicators are built from fixed levels, not ``pd.get_dummies`` on the
rows at hand, so a single new video gets the same columns as the training data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .data import schema as S

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["NUMERIC", "INDICATORS", "TEXT_LENGTH", "new_vectorizer", "fit_vectorizer",
           "vocabulary", "phrase_names", "design_matrix",
           "feature_label"]

TEXT_LENGTH = S.TEXT_LENGTH
NUMERIC = (S.DURATION, S.VIEWS, S.LIKES, S.SHARES, S.DOWNLOADS, S.COMMENTS, TEXT_LENGTH)
#: (column, level) → indicator name, first level of each category dropped (as the course does)
INDICATORS = {
    f"{S.VERIFIED}_verified": (S.VERIFIED, "verified"),
    f"{S.BAN}_banned": (S.BAN, "banned"),
    f"{S.BAN}_under review": (S.BAN, "under review"),
}


def new_vectorizer(max_features: int = 15, vocabulary: dict[str, int] | None = None):
    """The course's CountVectorizer: English 2-3-word phrases. Fit it on training text only."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(ngram_range=(2, 3), max_features=None if vocabulary else max_features,
                           stop_words="english", vocabulary=vocabulary)


def fit_vectorizer(texts, max_features: int):
    """The course vectoriser fitted on *texts*; with no 2-3-word phrase in them (every text a
    single word or stop words) it has an empty vocabulary and adds no phrase features."""
    vec = new_vectorizer(max_features)
    try:
        return vec.fit(texts)
    except ValueError:  # scikit-learn: "empty vocabulary"
        vec.vocabulary_ = {}
        return vec


def vocabulary(vectorizer) -> dict[str, int]:
    """Phrase → column of a fitted or vocabulary-given vectoriser (may be empty)."""
    vocab = getattr(vectorizer, "vocabulary_", None)
    return dict(vocab if vocab is not None else (vectorizer.vocabulary or {}))


def phrase_names(vectorizer) -> list[str]:
    vocab = vocabulary(vectorizer)
    return sorted(vocab, key=vocab.get)


def design_matrix(frame: pd.DataFrame, vectorizer) -> pd.DataFrame:
    """Features of *frame* (canonical columns) with an already fitted *vectorizer*."""
    import pandas as pd

    out = pd.DataFrame({c: frame[c].astype(float) for c in NUMERIC if c != TEXT_LENGTH},
                       index=frame.index)
    out[TEXT_LENGTH] = frame[S.TEXT].str.len().astype(float)
    for name, (col, level) in INDICATORS.items():
        out[name] = (frame[col] == level).astype(int)
    out = out.reset_index(drop=True)
    names = phrase_names(vectorizer)
    if not names:
        return out
    phrases = vectorizer.transform(frame[S.TEXT]).toarray()
    return pd.concat([out, pd.DataFrame(phrases, columns=names)], axis=1)


def feature_label(name: str) -> str:
    """Plain words for a feature: video_view_count → Views; 'media claim' → phrase 'media claim'."""
    if name in INDICATORS:
        return S.level_label(*INDICATORS[name])
    if S.known(name):
        return S.noun(name).capitalize() if name == TEXT_LENGTH else S.short(name)
    return f"Phrase '{name}'"
