"""Backends of the statistics layer: pandas on one machine, Spark past it (see :mod:`.base`)."""

from __future__ import annotations

from .base import DERIVED, RATES, Backend, CoMoments, Duplicates, Moments, Tails

__all__ = ["Backend", "Moments", "CoMoments", "Tails", "Duplicates", "DERIVED", "RATES"]
