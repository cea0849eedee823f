"""The readiness rule on hand-made inputs: every branch, both sides of every bar."""

from __future__ import annotations

import math

import pytest

from claimreport.stats.readiness import MIN_MARGIN_PER_1000, MIN_SLICE_CLAIMS, readiness

NAN = math.nan
OK_SLICES = [(MIN_SLICE_CLAIMS, 1.0), (500, 0.995)]


@pytest.mark.parametrize(("recall", "margin", "slices", "verdict", "reasons"), [
    # ready: target met, margin at the bar, every judged slice meets the target
    (0.99, MIN_MARGIN_PER_1000, OK_SLICES, "ready", []),
    (0.997, 12.0, [], "ready", []),
    # a small slice below the target is not judged
    (0.997, 12.0, [(MIN_SLICE_CLAIMS - 1, 0.5)], "ready", []),
    # pilot: the margin falls short (just below the bar, zero, negative, not defined)
    (0.997, MIN_MARGIN_PER_1000 - 0.01, OK_SLICES, "pilot", ["small_margin"]),
    (0.997, 0.0, OK_SLICES, "pilot", ["small_margin"]),
    (0.997, -3.0, OK_SLICES, "pilot", ["small_margin"]),
    (0.997, NAN, OK_SLICES, "pilot", ["no_margin"]),
    # pilot: a judged slice falls short (or has no recall)
    (0.997, 12.0, [(MIN_SLICE_CLAIMS, 0.98)], "pilot", ["slice_below_target"]),
    (0.997, 12.0, [(MIN_SLICE_CLAIMS, NAN)], "pilot", ["slice_below_target"]),
    (0.997, 4.7, [(190, 0.974)], "pilot", ["small_margin", "slice_below_target"]),
    # not ready: the target is missed or not defined, whatever else holds
    (0.9899, 12.0, OK_SLICES, "not_ready", ["target_missed"]),
    (NAN, 12.0, OK_SLICES, "not_ready", ["target_missed"]),
    (0.5, 0.0, [(100, 0.4)], "not_ready", ["target_missed", "small_margin",
                                           "slice_below_target"]),
])
def test_readiness_rule(recall, margin, slices, verdict, reasons):
    assert readiness(recall, 0.99, margin, slices) == (verdict, reasons)


def test_bars_are_the_documented_ones():
    assert (MIN_MARGIN_PER_1000, MIN_SLICE_CLAIMS) == (5.0, 30)
