"""One typed configuration: defaults in code, an optional TOML file, CLI overrides on top.

The full config is recorded in the bundle's manifest so a report says exactly how it was made.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError

__all__ = ["Config", "EdaConfig", "load_config"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EdaConfig(_Frozen):
    """Settings of the EDA stage."""

    top_phrases: int = Field(10, ge=1, le=50, description="phrases listed per class")
    histogram_bins: int = Field(30, ge=5, le=200)
    skew_threshold: float = Field(
        1.0, gt=0, description="|skewness| above which a count is drawn on a log scale"
    )


class Config(_Frozen):
    """Everything that changes a bundle. Stage sections are added as stages arrive."""

    random_state: int = Field(42, description="seed for every random draw in every stage")
    eda: EdaConfig = EdaConfig()


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the config from defaults, an optional TOML *path*, then *overrides*.

    Raises :class:`ConfigError` naming the file and each invalid field.
    """
    data: dict[str, Any] = {}
    source = "command-line options"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{source}: invalid configuration: {problems}") from None


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
