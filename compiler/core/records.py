"""Frozen records that cost nothing to define: frozen dataclasses without the import-time work.

`@dataclass(frozen=True)` writes and compiles `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` for each class when its module is imported (CPython's
dataclasses.py builds each from source text and calls exec: about half a millisecond a class;
the AST's 22 node classes took 12 ms of every `capplan` start). A :class:`Record` gets the same
behaviour from methods written once here, and writes its own `__init__` in its source, where it is
compiled into the module's bytecode cache like any other function. `@record` still registers the
class with `dataclasses` (fields(), replace(), is_dataclass() and `match` work as before) without
generating any method.

Behaviour kept from frozen dataclasses: assigning or deleting an attribute raises
FrozenInstanceError; two records are equal when they are of the same class and their fields are
equal, in order; the hash is the hash of the tuple of fields (the same value as a frozen
dataclass's); repr is `Name(field=value, ...)`; pickling stores the fields (a `__dict__`, or for a
slotted record the list of values, as dataclasses' own `__getstate__` does).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

#: Registers a Record subclass with `dataclasses` (its fields from the annotations), generating nothing.
record = dataclass(init=False, repr=False, eq=False)

#: Sets a field of a record being built (its own `__setattr__` refuses).
set_field = object.__setattr__


class Record:
    """Base of frozen records; subclasses are decorated with :data:`record` and define `__init__`."""

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __setattr__(self, name: str, value) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{self.__class__.__qualname__}({fields})"
