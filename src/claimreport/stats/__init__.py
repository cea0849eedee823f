"""Small, reusable statistical helpers shared by stages (pure numpy/pandas, no plotting)."""

__all__ = ["stable"]


def stable(x: float, digits: int = 6) -> float:
    """Round a float for the bundle: stable JSON across platforms and BLAS builds, far below any
    displayed precision. Use only for descriptive numbers; p-values keep full precision."""
    return float(round(float(x), digits))
