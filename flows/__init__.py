"""Prefect flows, readers, writers and the CLI of newsclean.

Importing this package turns off Prefect's and Great Expectations' usage analytics
before either library loads, and gives Prefect's temporary server time to start.
"""

import os

for _key, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    # Prefect's temporary server takes 8-15 s to start on 2 busy cores; Prefect waits 20 s by default
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}.items():
    os.environ.setdefault(_key, _value)
