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
