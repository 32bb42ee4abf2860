"""Great Expectations suites (JSON files in ``suites/``) and the code that runs them."""
