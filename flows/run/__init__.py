"""Running the flow: checks before Prefect starts, worker processes, memory, progress, and the
processes a run starts ending with it."""
