"""The sample behind a stage's rank-based parts, as the result records it."""

from __future__ import annotations

from ..results.common import SampleInfo

__all__ = ["sample_info"]


def sample_info(stats, sample, config) -> SampleInfo:
    """What a stage tells its reader about the rows its sample-based parts used: *sample* is
    the frame :meth:`~claimreport.backends.Backend.sample` returned."""
    return SampleInfo(population=stats.rows, rows=len(sample), seed=config.random_state,
                      backend=stats.name, quantile_error=stats.quantile_error)
