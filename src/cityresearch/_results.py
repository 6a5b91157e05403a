"""A common base for results that hold more than one number or table.

Every estimator that used to return a ``dict`` returns a frozen dataclass derived
from :class:`Result`:

* fields are attributes (``res.estimate``), documented in the class docstring;
* ``res.tidy()`` returns one :class:`pandas.DataFrame` with a row per estimate
  (columns named with their units), as pyfixest's and broom's ``tidy`` do;
* ``res.summary()`` returns the text a reader sees (also the ``repr``);
* dict-style access (``res["estimate"]``, ``dict(res)``, ``"ci" in res``) keeps
  working, because code written against the former ``dict`` returns must not break.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd


@dataclasses.dataclass(frozen=True, repr=False)
class Result(Mapping):
    """Base class: attribute and mapping access, ``tidy()`` and ``summary()``.

    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True, repr=False)
    ... class Mean(Result):
    ...     estimate: float
    ...     n: int
    ...     def tidy(self):
    ...         return pd.DataFrame({"estimate": [self.estimate], "n": [self.n]})
    >>> r = Mean(2.5, 4)
    >>> r["estimate"], r.n, sorted(r)
    (2.5, 4, ['estimate', 'n'])
    >>> print(r.summary())
    Mean
       estimate  n
    0       2.5  4
    """

    def _names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self) if not f.name.startswith("_")]

    def __getitem__(self, key: str) -> Any:
        if key in self._names():
            return getattr(self, key)
        raise KeyError(
            f"{type(self).__name__} has no field {key!r}; fields: {', '.join(self._names())}"
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __eq__(self, other: object) -> bool:  # dataclass equality breaks on arrays/frames
        return self is other

    __hash__ = object.__hash__

    def tidy(self) -> pd.DataFrame:
        """One row per estimate, columns with units; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__}.tidy() is not defined")

    def summary(self) -> str:
        """The result as text: its name and its tidy table."""
        return f"{type(self).__name__}\n{self.tidy().to_string()}"

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<p><b>{type(self).__name__}</b></p>" + self.tidy().to_html()
