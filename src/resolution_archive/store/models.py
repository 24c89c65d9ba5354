"""The archive's schema: series → editions (one per year) → revisions → documents → items.

Nothing is ever overwritten: a changed text for a year becomes a new revision that points at its
own source bytes, and the earlier revision stays. Types are portable between SQLite and
PostgreSQL (no SQLite-only types); the naming convention keeps constraint names stable, which
SQLite batch migrations need.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Series(Base):
    """A body that adopts a resolution every year (the conference; others may follow)."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    editions: Mapped[list[Edition]] = relationship(back_populates="series")


class Source(Base):
    """The file exactly as the user gave it: bytes, hash, name, detected encoding."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))
    encoding: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # official | example | unknown — from a provenance record beside the file or --status
    status: Mapped[str] = mapped_column(String(20), default="unknown")
    provenance: Mapped[str | None] = mapped_column(Text, default=None)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Edition(Base):
    """One year of a series."""

    __tablename__ = "edition"
    __table_args__ = (UniqueConstraint("series_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    year: Mapped[int] = mapped_column(Integer)

    series: Mapped[Series] = relationship(back_populates="editions")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="edition", order_by="Revision.number"
    )


class Revision(Base):
    """One imported version of a year's text. The highest number is the current one."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id"))
    number: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    date: Mapped[dt.date | None] = mapped_column(default=None)
    title: Mapped[str | None] = mapped_column(String(500), default=None)
    # sha256 of the normalised content: equal hashes mean "nothing changed" on re-import
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    edition: Mapped[Edition] = relationship(back_populates="revisions")
    source: Mapped[Source] = relationship()
    documents: Mapped[list[Document]] = relationship(
        back_populates="revision", order_by="Document.kind", cascade="all, delete-orphan"
    )

    def document(self, kind: str) -> Document | None:
        return next((d for d in self.documents if d.kind == kind), None)


class Document(Base):
    """The 決議 (kind "resolution": preamble + demands) or the 宣言 (kind "declaration")."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("revision_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id"))
    kind: Mapped[str] = mapped_column(String(20))
    preamble: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[Revision] = relationship(back_populates="documents")
    items: Mapped[list[Item]] = relationship(
        back_populates="document", order_by="Item.position", cascade="all, delete-orphan"
    )


class Item(Base):
    """A demand (一、…) of a resolution or a paragraph of a declaration."""

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    text: Mapped[str] = mapped_column(Text)  # display form: original characters, unwrapped
    comparison: Mapped[str] = mapped_column(Text)  # NFKC, no whitespace

    document: Mapped[Document] = relationship(back_populates="items")


class Decision(Base):
    """A reviewer's ruling on two demands (archive link/unlink); never updated or deleted.

    The demands are named by year and number as the reviewer typed them and by their normalised
    wording, so a decision keeps following its demands when a revision renumbers them, and
    `archive verify` can tell when the wording it was made on no longer exists. The latest
    record for a pair of demands is the one in force; undoing adds a record.
    """

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    old_year: Mapped[int] = mapped_column(Integer)
    old_number: Mapped[int] = mapped_column(Integer)
    old_text: Mapped[str] = mapped_column(Text)  # comparison form when decided
    new_year: Mapped[int] = mapped_column(Integer)
    new_number: Mapped[int] = mapped_column(Integer)
    new_text: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10))  # link | unlink
    kind: Mapped[str | None] = mapped_column(String(20), default=None)  # for link: as what
    note: Mapped[str | None] = mapped_column(Text, default=None)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PairingCache(Base):
    """The diff engine's answer for one pair of texts, so threads need not recompute it.

    Keyed by a digest of the engine version and the exact texts compared: a new import, a
    revision or a new engine gives new inputs, hence a new key, and only those pairs are
    computed again. Derived data: not dumped, safe to delete.
    """

    __tablename__ = "pairing_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(20))  # pair (consecutive years) | gap
    result: Mapped[str] = mapped_column(Text)  # JSON: the engine's changes
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
