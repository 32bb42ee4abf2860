"""Prefect flows, readers, writers and the CLI of newsclean.

Importing this package turns off Prefect's and Great Expectations' usage analytics
before either library loads.
"""

import os

for _key, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_SHOW_PROMOTIONAL_CONTENT": "false",
}.items():
    os.environ.setdefault(_key, _value)
