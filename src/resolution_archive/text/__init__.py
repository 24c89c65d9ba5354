"""Bytes to text, normalisation with offset maps, 和暦 dates.

Pure functions: no database, no click, no I/O beyond the bytes handed in.
"""
