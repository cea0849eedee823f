"""Turn pydantic's validation errors into the one-line config messages users read.

Why a module of its own: pydantic speaks of Python types (``dict_type``, ``tuple_type``) and
dotted model locations, while a user wrote TOML tables, lists, ``true`` and ``inf``. Translating
one into the other is wording, not settings, so it lives apart from the models in
:mod:`claimreport.config`. The root model and the seed limit are passed in, so this module
imports nothing from the config it describes. Internal to :mod:`claimreport.config`.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

# pydantic's wording where it speaks of Python types rather than of the TOML a user wrote
_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "required key missing",
    "model_type": "should be a table",
    "model_attributes_type": "should be a table",
    "dict_type": "should be a table",
    "tuple_type": "should be a list",
    "int_type": "should be a whole number",
    "float_type": "should be a number",
    "string_type": "should be text",
    "finite_number": "should be a finite number",
}


def _describe(err: dict[str, Any], overridden: list[tuple[str, ...]], root: type[BaseModel],
              max_seed: int) -> str:
    """One ``where: what`` phrase for pydantic error *err*; *overridden* are the dotted keys
    set on the command line, *root* is the top-level config model."""
    loc = err["loc"]
    # a key that is not a plain name (a line break, a space) is quoted: one line, always
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" if str(p).isidentifier()
                    else f"[{str(p)!r}]" for p in loc).lstrip(".")
    if any(tuple(map(str, loc[:len(k)])) == k for k in overridden):
        where += " (set on the command line)"
    kind, msg = err["type"], err["msg"].removeprefix("Value error, ")
    if kind in _MESSAGES:
        msg = _MESSAGES[kind]
        if kind == "extra_forbidden":
            keys = _keys_at(loc[:-1], root)
            if keys:
                msg += f" (valid keys: {', '.join(keys)})"
        elif kind != "missing":
            msg += f", not {_toml(err['input'])}"
    elif kind in ("too_long", "too_short") and "groups" in loc:
        msg = f"should be a list of two groups [A, B], not {len(err['input'])} items"
    elif loc == ("random_state",) and kind in ("greater_than_equal", "less_than_equal"):
        msg = f"should be a seed from 0 to {max_seed}, not {err['input']}"
    return f"{where or 'config'}: {msg}"


def _toml(value: Any) -> str:
    """*value* as TOML spells it (``true``, ``inf``, ``nan``), for messages."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and abs(value) == float("inf"):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _keys_at(loc: tuple[Any, ...], root: type[BaseModel]) -> list[str]:
    """The settings a table at *loc* accepts (for an "unknown key" message)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None
