"""Bytes to text, normalisation with offset maps, 和暦 dates. Pure functions, no I/O beyond bytes."""
