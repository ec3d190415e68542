"""The shapes of the dicts quoth returns, for type checkers and editors.

The dicts themselves are made from the same Rust types, through the same serializer, as the
JSON the ``quoth`` command prints; the tests check that these declarations name exactly their
keys.
"""

import datetime
from typing import Dict, List, Optional, TypedDict


class _QuoteBase(TypedDict):
    id: str
    quote: str
    speaker: Optional[str]
    role: Optional[str]
    date: Optional[datetime.date]
    file: str
    title: Optional[str]
    url: Optional[str]
    paragraph: str
    paragraph_number: int
    start: int
    end: int
    score: float
    occurrences: int
    first_date: Optional[datetime.date]


class Quote(_QuoteBase, total=False):
    """A quotation found by ``Index.search``, keyed as ``quoth query --json`` prints it.

    ``id`` is stable; ``start`` and ``end`` are byte offsets of the quotation in the UTF-8
    text of its first and last paragraph; ``line`` (only for JSON Lines files) is the line
    holding the article; ``occurrences`` counts the articles holding this same quotation,
    ``first_date`` is the earliest of their dates.
    """

    line: int


class _ExtractedBase(_QuoteBase):
    rule: str


class ExtractedQuote(_ExtractedBase, total=False):
    """A quotation found by ``extract`` or ``extract_files``, keyed as ``quoth extract --json``
    prints it: the keys of ``Quote`` and ``rule``, the attribution rule that found the speaker
    (``cue-after``, ``cue-before``, ``colon``, ...)."""

    line: int


class Summary(TypedDict):
    """What ``Index.add`` did, as ``quoth index --json`` prints it."""

    roots: List[str]
    new: int
    changed: int
    unchanged: int
    removed: int
    failed: int
    failed_reasons: Dict[str, int]
    undated: int
    empty: int
    quotes_added: int
    quotes_removed: int
    attributed: int
    bytes: int
    elapsed_secs: float
    warnings: List[str]


class Speaker(TypedDict):
    """A speaker of ``Index.speakers``, as ``quoth speakers --json`` prints it."""

    name: str
    quotes: int
    articles: int
    first_date: Optional[datetime.date]
    last_date: Optional[datetime.date]
    roles: List[str]
    variants: List[str]


class Stats(TypedDict):
    """What an index holds, as ``quoth stats --json`` prints it."""

    articles: int
    quotes: int
    attributed: int
    attributed_share: float
    speakers: int
    first_date: Optional[datetime.date]
    last_date: Optional[datetime.date]
    undated_quotes: int
    index_bytes: int
    folders: List[str]
    last_update: Optional[datetime.datetime]
