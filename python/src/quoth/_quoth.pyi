"""Type hints of the extension module ``quoth._quoth`` (see ``src/lib.rs``), re-exported by
``quoth``."""

import datetime
import os
import pathlib
from typing import Iterator, List, Literal, Optional, Sequence, Union, final

from ._types import ExtractedQuote, Quote, Speaker, Stats, Summary

__all__ = ["ExtractIterator", "Index", "__version__", "extract", "extract_files"]
__version__: str

_Path = Union[str, os.PathLike[str]]
_Paths = Union[_Path, Sequence[_Path]]
_Strings = Union[str, Sequence[str]]
_Date = Union[datetime.date, str]

def extract(
    text: str,
    date: Optional[_Date] = None,
    format: str = "txt",
) -> List[ExtractedQuote]:
    """Finds the quotations in one article given as a string, and who said them.

    ``text`` is the article in ``format``: "txt" (plain text; a first line ``date YYYY-MM-DD``
    gives its date), "md" (Markdown with YAML front matter), "json" (one article), "jsonl" (one
    article per line) or "html". ``date`` (a ``datetime.date`` or "YYYY-MM-DD") is the article's
    date, over any date its text gives. Returns one dict per quotation, with the keys of
    ``quoth extract --json`` (``file`` is "<text>"), dates as ``datetime.date``.

    Raises ``InvalidArgumentError`` for an unknown format or date, ``QuothError`` for an article
    that cannot be read (a JSON article without text); warns (``QuothWarning``) of problems
    that stop nothing, such as an invalid date line.
    """

def extract_files(paths: _Paths, threads: Optional[int] = None) -> ExtractIterator:
    """Starts extracting the article files under ``paths`` (files or folders, a path or a list
    of them) on ``threads`` threads (all cores by default), and returns an iterator over their
    quotations: one dict per quotation, with the keys of ``quoth extract --json`` (``file``
    relative to the path it was found under), dates as ``datetime.date``.

    Quotations come in the order of the files, as ``quoth extract`` prints them, each as soon as
    its file's turn comes; threads work a few files ahead of the iterator and wait for it, so
    memory stays bounded however many files there are. A missing path raises ``QuothError`` at
    once; a file that cannot be read is skipped with a ``QuothWarning`` naming it.
    """

@final
class ExtractIterator(Iterator[ExtractedQuote]):
    """The iterator ``extract_files`` returns: dicts of quotations, as their files are
    extracted."""

    def __iter__(self) -> ExtractIterator: ...
    def __next__(self) -> ExtractedQuote: ...
    def close(self) -> None:
        """Stops the extraction: its threads end after the files they hold, and the iterator is
        exhausted. Breaking out of a loop needs no ``close()``: the threads also end when the
        iterator is garbage-collected."""

@final
class Index:
    """A quote index on disk, as ``quoth index`` makes it and ``quoth query`` searches it.

    ``Index(path)`` opens the index at ``path`` when it is first used; ``add()`` creates it
    there when there is none yet (in an empty or new folder). One ``Index`` may be used from
    several Python threads at once: searches run in parallel, with the GIL released. Each call
    sees the index as last committed, by this process or another.
    """

    def __new__(cls, path: _Path) -> Index: ...
    @property
    def path(self) -> pathlib.Path:
        """The folder of the index."""

    def add(self, paths: Optional[_Paths] = None, *, threads: Optional[int] = None) -> Summary:
        """Indexes the articles under ``paths`` (a file or folder, or a list of them), as
        ``quoth index`` does: the index remembers its folders, and ``add()`` without paths
        refreshes all of them. A re-run reads only changed files and removes the quotations of
        deleted ones. ``threads`` read and extract articles (all cores by default).

        Returns the summary of ``quoth index --json`` as a dict: files new, changed, unchanged,
        removed and failed, quotations added and removed, and ``warnings``, one line per
        problem (a file that could not be read is counted as failed and named there, never
        raised). Raises ``QuothError`` for a missing path or an index another process is
        updating.
        """

    def search(
        self,
        words: Optional[_Strings] = None,
        speaker: Optional[_Strings] = None,
        since: Optional[_Date] = None,
        until: Optional[_Date] = None,
        limit: int = 20,
        *,
        offset: int = 0,
        sort: Literal["relevance", "newest", "oldest"] = "relevance",
    ) -> List[Quote]:
        """Searches the quotations, as ``quoth query`` does, and returns the best ``limit``
        after skipping ``offset``: one dict per quotation with the keys of
        ``quoth query --json``, dates as ``datetime.date``.

        ``words`` (a string or a list of them) are ANDed and stemmed; "phrases", OR,
        -exclusion and prefix* work. ``speaker`` (a name or a list of names, any of which may
        match) matches whole name words, any case or accent. ``since`` and ``until``
        (inclusive) are ``datetime.date``s or strings "YYYY-MM-DD", "YYYY-MM" or "YYYY".
        ``sort`` is "relevance" (newest first without words), "newest" or "oldest". A quotation
        republished by several articles is one row, with ``occurrences`` and ``first_date``.
        """

    def count(
        self,
        words: Optional[_Strings] = None,
        speaker: Optional[_Strings] = None,
        since: Optional[_Date] = None,
        until: Optional[_Date] = None,
    ) -> int:
        """The number of quotations matching the same arguments as ``search``, every occurrence
        of a republished quotation counted (as ``quoth query --count``)."""

    def speakers(
        self,
        top: int = 20,
        prefix: Optional[str] = None,
        since: Optional[_Date] = None,
        until: Optional[_Date] = None,
    ) -> List[Speaker]:
        """The ``top`` speakers by number of quotations, as ``quoth speakers --json`` lists
        them: dicts with ``name``, ``quotes``, ``articles``, ``first_date``, ``last_date``,
        ``roles`` and ``variants`` (other spellings merged into the name). ``prefix`` keeps
        names with a word starting with it; ``since`` and ``until`` count only quotations in
        that period."""

    def stats(self) -> Stats:
        """What the index holds, as ``quoth stats --json``: articles, quotes, attributed quotes
        and their share, speakers, first and last date (``datetime.date``), undated quotes,
        index size in bytes, folders, and the last update (a UTC ``datetime.datetime``)."""
