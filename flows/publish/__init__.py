"""Publishing a run: output schemas, atomic writers, output parts and their validation, the
manifest and state across runs, the conservation check, the HTML report, Prefect artifacts, and
reading a run back (``explain``)."""
