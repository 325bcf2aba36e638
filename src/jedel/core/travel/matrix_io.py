"""User-supplied travel-time matrices: CSV and NPZ.

CSV format: the first row is a header whose first cell is a free label (e.g. ``site_id``) and whose other
cells are hospital ids; each following row starts with a casualty/site id followed by minutes. An empty
cell, ``inf`` or ``-`` means "unreachable" (``inf``).

NPZ format (``numpy.savez``): ``minutes`` (2-D float, alias ``travel_time_min``), ``row_ids`` and
``col_ids`` (1-D string arrays). Loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

_UNREACHABLE = {"", "inf", "+inf", "infinity", "-"}


@dataclass(frozen=True)
class TravelTimeMatrix:
    """Travel times in minutes between row ids (casualties or sites) and column ids (hospitals).

    Attributes:
        row_ids: ids of the rows, unique.
        col_ids: ids of the columns, unique.
        minutes: float array ``(len(row_ids), len(col_ids))``; >= 0, ``inf`` = unreachable, no NaN.
    """

    row_ids: tuple[str, ...]
    col_ids: tuple[str, ...]
    minutes: NDArray[np.float64] = field(compare=False)

    def __post_init__(self) -> None:
        m = np.asarray(self.minutes, dtype=np.float64)
        if m.shape != (len(self.row_ids), len(self.col_ids)):
            raise ValueError(
                f"minutes: shape {m.shape} does not match ({len(self.row_ids)} row ids, {len(self.col_ids)} column ids)"
            )
        if np.any(np.isnan(m)):
            raise ValueError("minutes: contains NaN")
        if np.any(m < 0):
            raise ValueError("minutes: must be >= 0")
        for name, ids in (("row_ids", self.row_ids), ("col_ids", self.col_ids)):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{name}: ids must be unique")
        m = m.copy()
        m.setflags(write=False)
        object.__setattr__(self, "minutes", m)

    def reindex(self, row_ids: tuple[str, ...], col_ids: tuple[str, ...]) -> NDArray[np.float64]:
        """The sub-matrix for the given ids, in their order.

        Raises:
            ValueError: an id is not in the matrix.
        """
        rows = {r: i for i, r in enumerate(self.row_ids)}
        cols = {c: j for j, c in enumerate(self.col_ids)}
        for name, wanted, index in (("row", row_ids, rows), ("column", col_ids, cols)):
            missing = [x for x in wanted if x not in index]
            if missing:
                raise ValueError(f"travel_time_min: {name} id {missing[0]!r} not in the matrix")
        result: NDArray[np.float64] = self.minutes[
            np.ix_([rows[r] for r in row_ids], [cols[c] for c in col_ids])
        ]
        return result


def parse_matrix_csv(text: str, *, source: str = "<csv>") -> TravelTimeMatrix:
    """Parse a travel-time CSV (format in the module docstring).

    Args:
        text: CSV content.
        source: name used in error messages.

    Returns:
        The matrix.

    Raises:
        ValueError: ``"<source>:<line>: <problem>"`` for the first bad line.
    """
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise ValueError(f"{source}:1: header must be a label followed by at least one hospital id")
    col_ids = tuple(c.strip() for c in rows[0][1:])
    row_ids: list[str] = []
    values: list[list[float]] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(col_ids) + 1:
            raise ValueError(f"{source}:{line_no}: expected {len(col_ids) + 1} cells, got {len(row)}")
        row_ids.append(row[0].strip())
        parsed: list[float] = []
        for col_id, cell in zip(col_ids, row[1:], strict=True):
            text_cell = cell.strip().lower()
            if text_cell in _UNREACHABLE:
                parsed.append(math.inf)
                continue
            try:
                value = float(text_cell)
            except ValueError:
                raise ValueError(f"{source}:{line_no}: column {col_id!r}: not a number: {cell!r}") from None
            if math.isnan(value) or value < 0:
                raise ValueError(f"{source}:{line_no}: column {col_id!r}: must be >= 0, got {cell!r}")
            parsed.append(value)
        values.append(parsed)
    matrix = np.asarray(values, dtype=np.float64).reshape(len(row_ids), len(col_ids))
    try:
        return TravelTimeMatrix(tuple(row_ids), col_ids, matrix)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None


def load_matrix_csv(path: str | Path) -> TravelTimeMatrix:
    """Read a travel-time matrix from a CSV file (see :func:`parse_matrix_csv`)."""
    p = Path(path)
    return parse_matrix_csv(p.read_text(encoding="utf-8-sig"), source=str(p))


def load_matrix_npz(path: str | Path) -> TravelTimeMatrix:
    """Read a travel-time matrix from an NPZ file (keys in the module docstring).

    Raises:
        ValueError: a key is missing or the arrays are inconsistent.
    """
    with np.load(Path(path), allow_pickle=False) as data:
        key = "minutes" if "minutes" in data.files else "travel_time_min"
        for needed in (key, "row_ids", "col_ids"):
            if needed not in data.files:
                raise ValueError(f"{path}: missing array {needed!r}")
        return TravelTimeMatrix(
            tuple(str(x) for x in data["row_ids"]),
            tuple(str(x) for x in data["col_ids"]),
            np.asarray(data[key], dtype=np.float64),
        )


def save_matrix_npz(path: str | Path, matrix: TravelTimeMatrix) -> None:
    """Write a matrix in the NPZ format read by :func:`load_matrix_npz`."""
    np.savez(
        Path(path),
        minutes=matrix.minutes,
        row_ids=np.asarray(matrix.row_ids, dtype=str),
        col_ids=np.asarray(matrix.col_ids, dtype=str),
    )
