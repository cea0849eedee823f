"""Word n-gram counting identical to scikit-learn's ``CountVectorizer(ngram_range=(2, 3),
stop_words="english")`` for the EDA phrase tables, without importing scikit-learn.

Why not call scikit-learn here: importing it costs ~0.6 s, a sixth of the EDA stage's time
budget, for a count of a few thousand short texts. ``tests/stats/test_phrases.py`` pins this
module to CountVectorizer (same token pattern, same stop-word list, same counts), so the two
cannot drift apart. The modeling stage uses CountVectorizer itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

__all__ = ["ENGLISH_STOP_WORDS", "TOKEN_PATTERN", "ngrams", "count_ngrams"]

#: scikit-learn's default token pattern: words of two or more word characters.
TOKEN_PATTERN = re.compile(r"(?u)\b\w\w+\b")

#: scikit-learn's ENGLISH_STOP_WORDS (318 words), copied so counting needs no scikit-learn.
ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also
although always am among amongst amoungst amount an and another any anyhow anyone anything
anyway anywhere are around as at back be became because become becomes becoming been before
beforehand behind being below beside besides between beyond bill both bottom but by call can
cannot cant co con could couldnt cry de describe detail do done down due during each eg eight
either eleven else elsewhere empty enough etc even ever every everyone everything everywhere
except few fifteen fifty fill find fire first five for former formerly forty found four from
front full further get give go had has hasnt have he hence her here hereafter hereby herein
hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into
is it its itself keep last latter latterly least less ltd made many may me meanwhile might mill
mine more moreover most mostly move much must my myself name namely neither never nevertheless
next nine no nobody none noone nor not nothing now nowhere of off often on once one only onto
or other others otherwise our ours ourselves out over own part per perhaps please put rather re
same see seem seemed seeming seems serious several she should show side since sincere six sixty
so some somehow someone something sometime sometimes somewhere still such system take ten than
that the their them themselves then thence there thereafter thereby therefore therein thereupon
these they thick thin third this those though three through throughout thru thus to together
too top toward towards twelve twenty two un under until up upon us very via was we well were
what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet
you your yours yourself yourselves
""".split())


def ngrams(text: str, low: int = 2, high: int = 3) -> list[str]:
    """The word n-grams of *text* as CountVectorizer makes them: lower-case, tokenise, drop
    stop words, then join runs of *low*..*high* remaining tokens with a space."""
    tokens = [t for t in TOKEN_PATTERN.findall(text.lower()) if t not in ENGLISH_STOP_WORDS]
    out = []
    for n in range(low, high + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def count_ngrams(texts: Iterable[str], low: int = 2, high: int = 3) -> Counter:
    """Total occurrences of every n-gram over *texts*.

    Counts token tuples and joins each distinct one once at the end (tokens hold no spaces, so
    the joined strings stay distinct): three times faster than joining every occurrence.
    """
    tuples: Counter = Counter()
    findall, stop = TOKEN_PATTERN.findall, ENGLISH_STOP_WORDS
    for text in texts:
        tokens = [t for t in findall(text.lower()) if t not in stop]
        for n in range(low, high + 1):
            tuples.update(zip(*(tokens[i:] for i in range(n))))
    return Counter({" ".join(key): c for key, c in tuples.items()})
