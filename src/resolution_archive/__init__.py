"""resolution-archive: every year's 決議 and 宣言 of the 国保制度改善強化全国大会, compared.

Light on purpose: `archive --help` imports this package, so nothing heavy is imported here.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
