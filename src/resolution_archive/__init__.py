"""resolution-archive: every year's 決議 and 宣言 of the 国保制度改善強化全国大会, compared.

Light on purpose: `archive --help` imports this package, so nothing heavy is imported here.
"""

__version__ = "0.1.0"

# The series every command uses unless --series says otherwise: its slug (stored, typed) and
# its display name. Defined here, not in store/, so the CLI can use them without SQLAlchemy.
DEFAULT_SERIES = "kokuho-taikai"
DEFAULT_SERIES_NAME = "国保制度改善強化全国大会"

__all__ = ["DEFAULT_SERIES", "DEFAULT_SERIES_NAME", "__version__"]
