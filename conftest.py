"""Test-session environment, set before Prefect or Great Expectations is imported:
analytics off, and PREFECT_HOME in a temporary folder so tests leave nothing in $HOME."""

import os
import tempfile

_home = tempfile.mkdtemp(prefix="newsclean-test-prefect-")
os.environ["PREFECT_HOME"] = _home
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.pop("PREFECT_API_URL", None)
# flow runs in the test process reuse one pool of batch workers (flows/run/workers.py)
os.environ["NEWSCLEAN_KEEP_WORKERS"] = "1"
