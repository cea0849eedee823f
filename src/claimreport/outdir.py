"""The output folder: every build is staged, then published in one atomic step.

Layout of ``OUT``::

    bundle  -> .claimreport/current/bundle     (symbolic links, made once)
    reports -> .claimreport/current/reports
    .claimreport/
        current -> builds/<id>                  (swapped with one rename when a build is complete)
        builds/<id>/{bundle,reports}            (the published build and the one before it)
        staging-<id>/{bundle,reports}           (a build in progress; removed if it fails)

Readers (a person, a web server, Quarto) open ``OUT/bundle`` and ``OUT/reports`` and only ever
see a complete build: the previous one until the new one is whole, then the new one. A failed,
interrupted or killed build leaves the published build exactly as it was; a failed first build
leaves no folder behind. Where the platform cannot make symbolic links, the build is moved into
``OUT/bundle`` and ``OUT/reports`` directly (two renames: not atomic, documented).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, OutputError

__all__ = ["OutputFolder", "Staging", "output_error"]

INTERNAL = ".claimreport"
KEEP_BUILDS = 2  # the published build and the one before it (a reader may still be on it)

# OS errors that mean "this folder cannot take the build", not a bug in claimreport
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                  errno.EFBIG, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}


def output_error(exc: OSError, out: Path) -> OutputError | None:
    """An :class:`OutputError` for an OS error that the user must fix, else None (a bug)."""
    if exc.errno not in _OUTPUT_ERRNOS:
        return None
    what = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exhausted",
            errno.EROFS: "the file system is read-only", errno.EFBIG: "a file is too large for "
            "this file system or process limit"}.get(exc.errno, exc.strerror or str(exc))
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(f"cannot write the build into {out}: {what}{where}; free space or choose "
                       "another --out. The published reports were left unchanged.")


@dataclass(frozen=True)
class Staging:
    """A build in progress: write the bundle and the reports here."""

    root: Path

    @property
    def bundle(self) -> Path:
        return self.root / "bundle"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


class OutputFolder:
    """``OUT`` as users and schedulers see it (see the module docstring for the layout)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.internal = self.out / INTERNAL
        self.fresh = not self.out.exists()  # a failed first build removes what it made

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """Refuse folders that must never be written into, before anything is read or written."""
        out = self.out
        try:
            real = out.resolve()
        except (OSError, RuntimeError) as exc:
            raise ConfigError(f"--out {out}: cannot be resolved ({exc})") from None
        if real == Path(real.anchor):
            raise ConfigError(f"--out {out}: refusing to write into the root folder; give a "
                              "folder of its own, e.g. --out build")
        if real == Path.home().resolve():
            raise ConfigError(f"--out {out}: refusing to write into your home folder itself; "
                              "give a folder of its own, e.g. --out ~/claimreport-build")
        if out.exists() and not out.is_dir():
            raise ConfigError(f"--out {out}: is a file, not a folder; choose a folder name")
        for name in ("bundle", "reports"):
            part = out / name
            if part.exists() and not part.is_dir():
                raise ConfigError(f"--out {out}: {part} is a file; move it away or choose "
                                  "another folder")

    # ------------------------------------------------------------------ reading
    def published_bundle(self) -> Path | None:
        """The bundle folder readers see now, or None before the first build."""
        bundle = self.out / "bundle"
        return bundle if (bundle / "manifest.json").is_file() else None

    # ------------------------------------------------------------------ building
    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """Yield a fresh staging folder; publish it when the block succeeds, remove it when the
        block raises (anything, KeyboardInterrupt included)."""
        created_out = self.fresh
        self._sweep()
        build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{os.urandom(3).hex()}"
        stage_dir = self.internal / f"staging-{build_id}"
        try:
            stage_dir.mkdir(parents=True)
            (stage_dir / "bundle").mkdir()
            (stage_dir / "reports").mkdir()
        except OSError as exc:
            self._discard(stage_dir, created_out)
            raise (output_error(exc, self.out) or exc) from None
        try:
            yield Staging(stage_dir)
            self._publish(stage_dir, build_id)
        except BaseException as exc:
            self._discard(stage_dir, created_out)
            if isinstance(exc, OSError) and (err := output_error(exc, self.out)):
                raise err from None
            raise

    def _sweep(self) -> None:
        """Remove what a killed build left behind (staging folders, half-made links). Safe:
        the caller holds the lock, so no other build is writing here."""
        if not self.internal.is_dir():
            return
        for path in self.internal.iterdir():
            if path.name.startswith("staging-") and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith("current.") and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)

    @contextmanager
    def lock(self, wait: float = 0.0):
        """The build lock of this folder (see :mod:`claimreport.lock`); a folder that cannot
        hold the lock file (read-only, no permission, full) is an :class:`OutputError`."""
        from .lock import build_lock

        try:
            held = build_lock(self.internal, wait)
            held.__enter__()
        except OSError as exc:
            self.discard_if_fresh()
            raise (output_error(exc, self.out) or exc) from None
        try:
            yield
        except BaseException:
            held.__exit__(*sys.exc_info())
            raise
        held.__exit__(None, None, None)

    def discard_if_fresh(self) -> None:
        """After a failed first build: remove the folder it created (nothing was published)."""
        if self.fresh and self.published_bundle() is None:
            shutil.rmtree(self.out, ignore_errors=True)

    def _discard(self, stage_dir: Path, created_out: bool) -> None:
        shutil.rmtree(stage_dir, ignore_errors=True)
        if created_out:  # a failed first build leaves no folder behind
            shutil.rmtree(self.out, ignore_errors=True)
        else:
            try:  # an .claimreport folder holding nothing published goes too
                if self.internal.is_dir() and not any(self.internal.iterdir()):
                    self.internal.rmdir()
            except OSError:
                pass

    def _publish(self, stage_dir: Path, build_id: str) -> None:
        builds = self.internal / "builds"
        builds.mkdir(exist_ok=True)
        final = builds / build_id
        os.rename(stage_dir, final)
        if not _can_symlink(self.internal):
            self._publish_by_moving(final)
            return
        tmp = self.internal / f"current.{build_id}.tmp"
        os.symlink(f"builds/{build_id}", tmp)
        os.replace(tmp, self.internal / "current")  # the one atomic step readers depend on
        for name in ("bundle", "reports"):
            self._link(name)
        self._prune(builds, keep=final)

    def _link(self, name: str) -> None:
        """Make ``OUT/<name>`` a link into ``current`` (once; moves an old-layout folder away)."""
        link = self.out / name
        target = f"{INTERNAL}/current/{name}"
        if link.is_symlink():
            if os.readlink(link) == target:
                return
            link.unlink()
        elif link.is_dir():  # a folder written by an older claimreport: replace it
            aside = self.internal / f"old-{name}-{os.urandom(3).hex()}"
            os.rename(link, aside)
            shutil.rmtree(aside, ignore_errors=True)
        tmp = self.out / f".{name}.{os.urandom(3).hex()}.tmp"
        os.symlink(target, tmp)
        os.replace(tmp, link)

    def _prune(self, builds: Path, keep: Path) -> None:
        old = sorted((p for p in builds.iterdir() if p != keep), key=lambda p: p.stat().st_mtime)
        for path in old[: max(0, len(old) - (KEEP_BUILDS - 1))]:
            shutil.rmtree(path, ignore_errors=True)

    def _publish_by_moving(self, final: Path) -> None:  # pragma: no cover - no symlinks
        for name in ("bundle", "reports"):
            dest = self.out / name
            if dest.exists():
                shutil.rmtree(dest)
            os.rename(final / name, dest)
        shutil.rmtree(final, ignore_errors=True)


def _can_symlink(folder: Path) -> bool:
    probe = folder / f".probe-{os.urandom(3).hex()}"
    try:
        os.symlink("builds", probe)
    except (OSError, NotImplementedError):
        return False
    probe.unlink()
    return True
