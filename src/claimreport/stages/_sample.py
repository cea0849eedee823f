"""The sample behind a stage's rank-based parts, as the result records it."""

from __future__ import annotations

from ..results.common import SampleInfo

__all__ = ["sample_info", "fitting_rows"]


def sample_info(stats, sample, config) -> SampleInfo:
    """What a stage tells its reader about the rows its sample-based parts used: *sample* is
    the frame :meth:`~claimreport.backends.Backend.sample` returned."""
    return SampleInfo(population=stats.rows, rows=len(sample), seed=config.random_state,
                      backend=stats.name, quantile_error=stats.quantile_error)


def fitting_rows(loaded, config):
    """The rows the regression and the modeling fit on, and what the result says about them:
    every row up to ``sample_rows``, above it a sample stratified by claim status drawn with
    ``random_state`` (a backend past one machine has drawn it already: ``loaded.frame``)."""
    from ..data import schema as S

    stats = loaded.statistics()
    frame = (stats.sample(config.sample_rows, S.CLAIM, config.random_state)[list(S.DATA_COLUMNS)]
             if stats.name == "pandas" else loaded.frame)
    return frame, SampleInfo(population=loaded.rows, rows=len(frame), seed=config.random_state,
                             backend=stats.name)
