"""quoth: who said what, and when.

Finds the direct quotations in news articles and who said them, and keeps them in a
searchable index: the Python face of the ``quoth`` command, over the same Rust library.

>>> import quoth
>>> quoth.extract("“We will not back down,” said Mayor Tobi Lindqvist.")[0]["speaker"]
'Tobi Lindqvist'

- ``extract(text, date=None, format="txt")``: the quotations of one article given as a string;
- ``extract_files(paths, threads=None)``: the quotations of article files and folders, extracted
  in parallel and streamed;
- ``Index(path)``: an index on disk, with ``add``, ``search``, ``count``, ``speakers`` and
  ``stats``.

Every quotation, summary and statistic is a dict with the keys of the ``quoth`` command's JSON
output, dates as ``datetime.date``. Errors are ``QuothError``; problems that stop nothing are
``QuothWarning`` warnings. The work runs in Rust with the GIL released.
"""

from ._errors import InvalidArgumentError, QuothError, QuothWarning
from ._quoth import ExtractIterator, Index, __version__, extract, extract_files
from ._types import ExtractedQuote, Quote, Speaker, Stats, Summary

__all__ = [
    "ExtractIterator",
    "ExtractedQuote",
    "Index",
    "InvalidArgumentError",
    "Quote",
    "QuothError",
    "QuothWarning",
    "Speaker",
    "Stats",
    "Summary",
    "__version__",
    "extract",
    "extract_files",
]
