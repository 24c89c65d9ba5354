"""Text → ParsedDocument. See parse.document for the rules and the cases they cover."""

from resolution_archive.parse.document import parse_text
from resolution_archive.parse.model import Demand, ParsedDocument

__all__ = ["Demand", "ParsedDocument", "parse_text"]
