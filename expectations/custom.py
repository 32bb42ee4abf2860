"""Custom Great Expectations expectations of newsclean.

GX registers an expectation class when the class is defined; a suite naming an
unregistered type loses that expectation silently.  ``expectations.validate`` imports this
module before any suite loads, and checks the loaded count against the file.
"""

from __future__ import annotations

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

# C0/C1 controls except tab and newline, zero-width space, BOM, bidi embeddings/overrides/isolates.
# The class lists the characters themselves, not ``\u`` escapes, and the pattern is passed as a
# string: pandas then searches an Arrow-backed column with pyarrow's RE2 (a compiled pattern or
# ``\u`` escapes fall back to Python's ``re``, row by row: 2.5x the time on a part).
CONTROL_CODEPOINTS = (
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x200B,
    0x2060,
    0xFEFF,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
)
CONTROL_CHARACTERS_PATTERN = "[" + "".join(map(chr, CONTROL_CODEPOINTS)) + "]"


class ColumnValuesHaveNoControlCharacters(ColumnMapMetricProvider):
    condition_metric_name = "column_values.no_control_characters"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return ~column.astype(str).str.contains(CONTROL_CHARACTERS_PATTERN)


class ExpectColumnValuesToHaveNoControlCharacters(ColumnMapExpectation):
    """Expect text values free of control, zero-width, BOM and bidi-override characters.

    Suite JSON: ``{"type": "expect_column_values_to_have_no_control_characters",
    "kwargs": {"column": "text"}}``.
    """

    map_metric = "column_values.no_control_characters"
    success_keys = ("mostly",)
