"""Wording shared by every stage: formatting for prose, magnitude and significance words.

Every threshold that picks a word is a named constant here, so a reader of a sentence can find
the rule that chose it, and a test can feed the values on either side of it.
"""

from __future__ import annotations

import math

from ..context import num as _num
from ..context import pct as _pct
from ..context import times

__all__ = [
    "NOT_DEFINED", "FAR_RATIO", "MORE_RATIO", "SKEWED", "STRONG_R", "MODERATE_R", "WEAK_R",
    "EVEN_GAP", "defined", "num", "pct", "dec", "about", "join_words", "share_phrase",
    "times", "ratio_words", "amount_words", "strength_word", "chance_words", "plural",
    "per_thousand", "signed_about", "between_words", "distinct_digits", "MINUS",
]

NOT_DEFINED = "not defined"
#: one group has at least this many times the other: "far more"
FAR_RATIO = 3.0
#: below this ratio two amounts are "about the same"; from it on one is "more"
MORE_RATIO = 1.1
#: |skewness| above which a distribution is called skewed
SKEWED = 1.0
#: |correlation| bands for "strongly" / "moderately" / "weakly" (Cohen's conventions)
STRONG_R, MODERATE_R, WEAK_R = 0.7, 0.4, 0.1
#: two shares closer than this (percentage points / 100) are "almost even"
EVEN_GAP = 0.1
#: decimals shown for correlations and similar coefficients, and the most a list may use to keep
#: two different values from reading alike (0.832 and 0.826 both show as "0.83")
COEF_DIGITS, COEF_DIGITS_MAX = 2, 3
#: the minus sign of signed numbers in prose (a true minus, not a hyphen)
MINUS = "\u2212"


def defined(*values) -> bool:
    """Whether every value is a number that exists (not None, not NaN, not infinite)."""
    return all(v is not None and isinstance(v, (int, float)) and math.isfinite(v)
               for v in values)


def _prose(fmt):
    """A formatter for sentences: an undefined value reads "not defined", never a dash or nan."""
    def wrapped(x, *args, **kwargs):
        return fmt(x, *args, **kwargs) if defined(x) else NOT_DEFINED
    wrapped.__doc__ = fmt.__doc__
    return wrapped


num = _prose(_num)
pct = _prose(_pct)
dec = _prose(lambda x, digits: f"{x:.{digits}f}")


@_prose
def about(x: float) -> str:
    """A number rounded for people: three significant figures, thousands separated
    (501,029.45 → "501,000"; 4,956.4 → "4,960"; 0.42 → "0.42")."""
    if x == 0:
        return "0"
    if abs(x) < 1:
        return f"{x:.2g}"
    digits = int(math.floor(math.log10(abs(x))))
    return f"{round(x, 2 - digits):,.0f}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """"1 video", "2 videos"."""
    return f"{num(n)} {one if n == 1 else (many or one + 's')}"


def join_words(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def share_phrase(count: int, total: int) -> str:
    """``9,608 (49.6%)``"""
    return f"{num(count)} ({pct(count / total)})" if total else num(count)


def per_thousand(share: float) -> str:
    """0.0026 → "about 3 in every 1,000"."""
    if not defined(share):
        return NOT_DEFINED
    k = 1000 * share
    shown = f"{k:.0f}" if k >= 1 or k == 0 else "fewer than 1"
    return f"{'about ' if k >= 1 else ''}{shown} in every 1,000"


def ratio_words(hi: float, lo: float) -> str:
    """How much larger *hi* is than *lo*: "about 100 times", or "far more than" when *lo* is 0."""
    return times(hi / lo) if lo > 0 else "far more than"


def amount_words(hi: float, lo: float) -> str:
    """"far more", "more" or "about the same" for two non-negative amounts, hi ≥ lo.

    Rule: ``FAR_RATIO`` and ``MORE_RATIO`` on hi / lo (lo = 0 and hi > 0 is "far more").
    """
    if lo <= 0:
        return "far more" if hi > 0 else "about the same"
    r = hi / lo
    if r >= FAR_RATIO:
        return "far more"
    if r >= MORE_RATIO:
        return "more"
    return "about the same"


def strength_word(r: float) -> str:
    """Words for the size of a correlation (Cohen's conventional bands)."""
    a = abs(r)
    if a >= STRONG_R:
        return "strongly"
    if a >= MODERATE_R:
        return "moderately"
    if a >= WEAK_R:
        return "weakly"
    return "not"


def chance_words(p: float, alpha: float) -> str:
    """Plain words for a test decision (after the family correction), for page 1:
    "too large to be chance" / "small enough to be chance"."""
    if not defined(p):
        return "cannot be tested"
    return ("too large to be explained by chance" if p < alpha
            else "small enough to be explained by chance")


def sample_note(sample, parts: str) -> str | None:
    """What a stage's sample-based *parts* were computed on, when that was not every row; and
    the quantiles' error bound when the backend's quantiles are approximate. None when every
    figure used every row exactly."""
    if sample is None:
        return None
    notes = []
    if sample.rows < sample.population:
        notes.append(f"{parts[0].upper()}{parts[1:]} use a sample of {num(sample.rows)} of the "
                     f"{num(sample.population)} rows, drawn within each claim status with seed "
                     f"{sample.seed}; every count, mean, variance, correlation, quantile, "
                     "histogram, phrase count and test uses all rows.")
    if sample.quantile_error > 0:
        notes.append(f"Medians, quartiles and box plots come from the {sample.backend} backend's "
                     f"approximate quantiles: each is within {sample.quantile_error:.2%} of the "
                     "rows of its exact rank.")
    return " ".join(notes) or None


def fit_sample_note(sample) -> str | None:
    """Which rows a model was fitted on, when they were a sample of the data (None: all)."""
    if sample is None or sample.rows >= sample.population:
        return None
    return (f"The model was fitted and tested on a sample of {num(sample.rows)} of the "
            f"{num(sample.population)} rows, drawn within each claim status with seed "
            f"{sample.seed}; the other stages' figures use every row.")


def signed_about(x: float) -> str:
    """:func:`about` with its sign always shown, minus as a true minus: "+7,040", "−7,220",
    "0"."""
    if not defined(x):
        return NOT_DEFINED
    shown = about(abs(x))
    if shown == "0":
        return "0"
    return ("+" if x > 0 else MINUS) + shown


def between_words(low: float, high: float, unit: str) -> str:
    """A confidence interval of a difference in words, for people: "between about 7,220 fewer
    and about 7,040 more views", "between about 161,000 and about 188,000 more views", "between
    about 12 and about 40 fewer views" (the bound nearer zero first when both point one way).
    """
    if not defined(low, high):
        return f"an undefined number of {unit}"

    def side(x: float) -> str:
        return "0" if about(abs(x)) == "0" else f"about {about(abs(x))}"

    if low > 0 or high < 0:  # one direction: say it once
        word = "more" if low > 0 else "fewer"
        near, far = (low, high) if low > 0 else (high, low)
        return f"between {side(near)} and {side(far)} {word} {unit}"
    return f"between {side(low)} fewer and {side(high)} more {unit}"


def distinct_digits(values, digits: int = COEF_DIGITS, most: int = COEF_DIGITS_MAX) -> int:
    """Decimals to show a list of coefficients with: *digits*, or more (up to *most*) when two
    different values would otherwise read alike (0.832 and 0.826 → 3, so no false tie)."""
    shown = [v for v in values if defined(v)]
    for d in range(digits, most + 1):
        seen: dict[str, float] = {}
        if all(seen.setdefault(f"{v:.{d}f}", v) == v for v in shown):
            return d
    return most

