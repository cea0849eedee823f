"""The fast phrase counter must agree with scikit-learn's CountVectorizer exactly."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from claimreport.stats.phrases import ENGLISH_STOP_WORDS as OURS
from claimreport.stats.phrases import count_ngrams

TEXTS = [
    "someone shared with me that the moon is made of cheese and the moon is far",
    "I think that the Moon's surface is dusty; I THINK so!",
    "a friend read online that 42 cats sleep 16 hours a day",
    "the the the and of",  # only stop words
    "café owners learned from the news that naïve cats purr",
    "<script>alert(1)</script> {{ 7*7 }} **bold** [link](http://x)",
]


def reference(texts):
    vec = CountVectorizer(ngram_range=(2, 3), stop_words="english")
    matrix = vec.fit_transform(texts)
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    return {name: int(c) for name, c in zip(vec.get_feature_names_out(), counts)}


def test_stop_words_are_scikit_learns():
    assert OURS == frozenset(ENGLISH_STOP_WORDS)


def test_counts_equal_countvectorizer():
    assert dict(count_ngrams(TEXTS)) == reference(TEXTS)


@pytest.mark.realdata
def test_counts_equal_countvectorizer_on_real_data(real_csv):
    import pandas as pd

    texts = pd.read_csv(real_csv, na_values=["#N/A"])["video_transcription_text"].dropna()
    texts = texts.sample(2000, random_state=0)
    assert dict(count_ngrams(texts)) == reference(texts)


# --- top_ngrams: the vectorised counter the pandas backend uses --------------------------------

def _reference_top(texts, k):
    from claimreport.stats.phrases import count_ngrams

    found = count_ngrams([t for t in texts if t is not None])
    return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


@pytest.mark.parametrize("k", [1, 5, 40, 10_000])
def test_top_ngrams_equals_count_ngrams_on_the_demo_texts(k):
    from claimreport.data.demo import generate
    from claimreport.stats.phrase_counts import top_ngrams

    texts = generate(rows=4000, random_state=3)["video_transcription_text"]
    assert top_ngrams(texts, k) == _reference_top(texts.dropna().tolist(), k)


def test_top_ngrams_handles_unicode_punctuation_and_edges():
    import pandas as pd

    from claimreport.stats.phrase_counts import top_ngrams

    texts = ["Héllo wörld ça va, DON'T stop the Über train now", "a b", "", None,
             "x1 y2_z Z9 ", "naïve café naïve café", "İstanbul ǅemal test test",
             "the and of", "END. start again", "start again"] * 3
    assert top_ngrams(pd.Series(texts), 100) == _reference_top(texts, 100)
    assert top_ngrams(pd.Series([None, "one"]), 5) == []


def test_top_ngrams_counts_copies_of_a_text(monkeypatch):
    import pandas as pd

    import claimreport.stats.phrase_counts as pcounts

    monkeypatch.setattr(pcounts, "CHUNK", 2)  # distinct texts spread over several chunks
    texts = ["red fox jumps", "red fox jumps", "blue fox jumps", "red fox", "zzz"]
    assert pcounts.top_ngrams(pd.Series(texts), 10) == _reference_top(texts, 10)
