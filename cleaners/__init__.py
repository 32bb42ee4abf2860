"""Pure text functions of newsclean: no Prefect, no Great Expectations, no files.

Each cleaner takes text and returns the new text with the edits (and flags) that
explain every change.
"""
