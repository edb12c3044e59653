"""What every family mapper works with: the per-import context that reads a config's keys and
records the fields they map to, and the `Family` record that registers a mapper.

A mapper reads the keys its transformers configuration class and modeling code read (see the
package docstring, capplan.tools.import_hf), applying the class defaults when a key is absent.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable

from capplan.check.schema import MAMBA, MLA, MODEL, MOE

REQUIRED = object()   # no default: the key must be present
MISSING = object()    # the key is absent


class ConfigError(Exception):
    """A config that cannot be imported (wrong types, missing required keys)."""


@dataclass(frozen=True)
class Family:
    """One supported `model_type`: its mapper and the transformers classes it follows."""

    model_type: str                                # config.json `model_type`
    mapper: Callable[["ImportContext"], None]      # reads the config into the context's fields
    config_class: str                              # transformers configuration class (its defaults apply)
    hf_class: str                                  # the class whose parameters are counted
    modeling: str                                  # transformers modeling file, cited in the block header
    head: str = "the causal-LM head: vocab x hidden, unless tied"   # what hf_class puts on top


class ImportContext:
    """One import in progress: the config's keys, how each was accounted for, and the fields set."""

    def __init__(self, config: dict, family: Family):
        self.cfg = config
        self.model_type = family.model_type
        self.config_class = family.config_class   # the transformers class whose defaults apply
        self.accounted: set[str] = set()
        self.ignored: dict[str, str] = {}
        self.warnings: list[tuple[str, str]] = []
        self.unmapped: dict[str, str] = {}
        self.notes: list[tuple[str, str]] = []          # ("UNMAPPED"|"NOTE", text) comments in the block
        self.fields: dict[str, tuple[Any, str]] = {}    # field -> (value, comment)
        self.moe: dict[str, tuple[Any, str]] = {}
        self.mla: dict[str, tuple[Any, str]] = {}
        self.mamba: dict[str, tuple[Any, str]] = {}

    # -- reading keys
    def has(self, key: str) -> bool:
        return key in self.cfg

    def raw(self, key: str, default: Any = None) -> Any:
        """The value as given (JSON null stays None), marking the key as mapped."""
        if key in self.cfg:
            self.accounted.add(key)
            return self.cfg[key]
        return default

    def first(self, keys: tuple[str, ...], default: Any = None) -> tuple[Any, str | None]:
        """The first present alias (transformers attribute_map); warns when aliases disagree."""
        found = [(k, self.cfg[k]) for k in keys if k in self.cfg]
        for k, _ in found:
            self.accounted.add(k)
        if not found:
            return default, None
        values = {json.dumps(v, sort_keys=True) for _, v in found}
        if len(values) > 1:
            self.warn(found[0][0], "aliases disagree: " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in found)
                      + f"; using {found[0][0]}")
        return found[0][1], found[0][0]

    def int_(self, key: str | tuple[str, ...], default: Any = REQUIRED, *, allow_zero: bool = False,
             null: Any = REQUIRED) -> int | None:
        """A whole-number key. `default` applies when absent; `null` when the value is JSON null
        (by default null is an error unless `default` is None)."""
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, MISSING)
        if value is MISSING:
            if default is REQUIRED:
                raise ConfigError(f"`{keys[0]}` is missing and transformers has no default for it")
            return default
        if value is None:
            if null is not REQUIRED:
                return null
            if default is None:
                return None
            raise ConfigError(f"`{used}` is null; expected a whole number")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or value != int(value):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a whole number")
        value = int(value)
        if value < 0 or (value == 0 and not allow_zero):
            raise ConfigError(f"`{used}` = {value}: expected a {'non-negative' if allow_zero else 'positive'} "
                              "whole number")
        return value

    def bool_(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ConfigError(f"`{key}` = {json.dumps(value)}: expected true or false")
        return value

    def float_(self, key: str | tuple[str, ...], default: float) -> float:
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a number")
        return float(value)

    def str_(self, key: str | tuple[str, ...], default: str | None) -> str | None:
        keys = (key,) if isinstance(key, str) else key
        value, used = self.first(keys, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ConfigError(f"`{used}` = {json.dumps(value)}: expected a string")
        return value

    # -- classifying keys
    def ignore(self, table: dict[str, str]) -> None:
        for key, reason in table.items():
            if key in self.cfg and key not in self.accounted and key not in self.unmapped:
                self.ignored[key] = reason
                self.accounted.add(key)

    def ignore_if(self, key: str, expected: Any, reason: str, lacking: str) -> None:
        """Ignored when it has its harmless value; otherwise the schema lacks what it does."""
        if key not in self.cfg:
            return
        self.accounted.add(key)
        value = self.cfg[key]
        if value == expected or (value is None and expected in (False, 0, None)):
            self.ignored[key] = reason
        else:
            self.lacks(key, lacking)

    def warn(self, key: str, message: str, note: bool = False) -> None:
        self.warnings.append((key, message))
        if note:
            self.notes.append(("NOTE", f"{key}: {message}"))

    def lacks(self, key: str, message: str) -> None:
        """Read and understood, but the schema has no field for its effect."""
        self.accounted.add(key)
        self.unmapped[key] = message
        self.warnings.append((key, "unmapped: " + message))
        shown = json.dumps(self.cfg.get(key), sort_keys=True)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        self.notes.append(("UNMAPPED", f"{key} = {shown}: {message}"))

    # -- setting fields
    def set(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MODEL.fields, name
        self.fields[name] = (value, comment)

    def set_moe(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MOE.fields, name
        self.moe[name] = (value, comment)

    def set_mla(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MLA.fields, name
        self.mla[name] = (value, comment)

    def set_mamba(self, name: str, value: Any, comment: str = "") -> None:
        assert name in MAMBA.fields, name
        self.mamba[name] = (value, comment)
