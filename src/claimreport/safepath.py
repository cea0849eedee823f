"""Bundle references resolved strictly inside the bundle folder.

A bundle is data, and data can be tampered with: a stage JSON whose figure path reads
``/etc/passwd`` or ``../../secret.csv`` must not pull that file into a report. Every path a
bundle names goes through :func:`inside` before anything opens it.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .errors import BundleError

__all__ = ["REF_PATTERN", "check_ref", "inside"]

#: What a bundle reference may look like: relative POSIX segments of plain file-name characters.
REF_PATTERN = r"^[A-Za-z0-9_.\- ]+(/[A-Za-z0-9_.\- ]+)*$"
_REF = re.compile(REF_PATTERN)


def check_ref(ref: str) -> str:
    """Return *ref* if it is a plain relative path with no ``..``; raise ``ValueError`` otherwise.

    Used as a pydantic validator, so a tampered reference fails when the JSON is read.
    """
    parts = PurePosixPath(ref).parts
    if not _REF.match(ref) or any(p in ("..", ".") for p in parts):
        raise ValueError(f"bundle reference {ref[:80]!r} is not a relative path inside the "
                         "bundle (absolute paths and '..' are refused)")
    return ref


def inside(root: Path, ref: str, what: str = "file") -> Path:
    """``root / ref`` after checking that it stays inside *root*, symlinks resolved.

    Raises :class:`BundleError` (exit status 3) naming the reference when it escapes the bundle
    or the file is missing.
    """
    root = Path(root)
    try:
        check_ref(ref)
    except ValueError as exc:
        raise BundleError(f"{root}: {what} {exc}; the bundle was altered, re-render it with "
                          "`claimreport render --force`") from None
    path = root / ref
    real_root = root.resolve()
    real = path.resolve()
    if not real.is_relative_to(real_root):
        raise BundleError(f"{path}: {what} resolves outside the bundle (to {real}); the bundle "
                          "was altered, re-render it with `claimreport render --force`")
    if not real.is_file():
        raise BundleError(f"{path}: {what} missing from the bundle; re-render it with "
                          "`claimreport render --force`")
    return real
