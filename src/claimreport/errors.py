"""The one exception family that the CLI turns into a one-line message and an exit status."""

from __future__ import annotations

__all__ = [
    "ClaimReportError",
    "DataValidationError",
    "ConfigError",
    "BundleError",
    "RenderError",
    "OutputError",
    "LockBusyError",
    "Interrupted",
]


class ClaimReportError(Exception):
    """Base class for every error a user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class DataValidationError(ClaimReportError):
    """The input data cannot be used. Carries *all* problems found, one line each."""

    exit_code = 2

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{source}: {n} problem{'s' if n != 1 else ''} found, nothing was written:\n{lines}")


class ConfigError(ClaimReportError):
    """The configuration (file or CLI options) is invalid."""

    exit_code = 2


class BundleError(ClaimReportError):
    """A results bundle is missing, corrupt or of an unsupported schema version."""

    exit_code = 3


class RenderError(ClaimReportError):
    """A report could not be rendered (templates missing, PDF engine unavailable...)."""

    exit_code = 4


class OutputError(ClaimReportError):
    """The output folder cannot take the build (read-only, full disk, no permission)."""

    exit_code = 1


class LockBusyError(ClaimReportError):
    """Another build holds the output folder (exit status 75, EX_TEMPFAIL: try again later)."""

    exit_code = 75


class Interrupted(BaseException):
    """SIGINT or SIGTERM during a build: unwinds like KeyboardInterrupt, so staging folders
    are removed, then the CLI exits with 128 + the signal number (130, 143)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum
