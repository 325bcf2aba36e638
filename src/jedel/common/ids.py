"""Database row ids accepted from outside (paths, query parameters, bodies).

Why bounded: the databases hold 64-bit signed integers; a larger number (a fuzzer's, a typo's) does not fit
the query parameter and the driver raises OverflowError — a 500 instead of "not found". Within the range, an
unknown id is an ordinary 404 or 422 from the service.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

MAX_ROW_ID = 2**63 - 1
# In bodies: a JSON integer only (no "12" strings, no booleans), as every count in the API.
RowId = Annotated[StrictInt, Field(ge=1, le=MAX_ROW_ID)]
# In paths and query strings, where every value arrives as text and is read as an integer.
RowIdParam = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

# Text from outside: PostgreSQL cannot store NUL (0x00) in a text column (the driver raises, a 500 instead of a 422);
# no Jedel text needs it.
NO_NUL = r"^[^\x00]*$"
