"""Custom Great Expectations expectations of newsclean.

GX registers an expectation class when the class is defined; a suite naming an
unregistered type loses that expectation silently.  ``expectations.validate`` imports this
module before any suite loads, and checks the loaded count against the file.
"""

from __future__ import annotations

import re

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import ColumnMapMetricProvider, column_condition_partial

# C0/C1 controls except tab and newline, zero-width space, BOM, bidi embeddings/overrides/isolates
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


class ColumnValuesHaveNoControlCharacters(ColumnMapMetricProvider):
    condition_metric_name = "column_values.no_control_characters"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return ~column.astype(str).str.contains(CONTROL_CHARACTERS)


class ExpectColumnValuesToHaveNoControlCharacters(ColumnMapExpectation):
    """Expect text values free of control, zero-width, BOM and bidi-override characters.

    Suite JSON: ``{"type": "expect_column_values_to_have_no_control_characters",
    "kwargs": {"column": "text"}}``.
    """

    map_metric = "column_values.no_control_characters"
    success_keys = ("mostly",)


CUSTOM_TYPES = ("expect_column_values_to_have_no_control_characters",)
