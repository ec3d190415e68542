"""The exceptions and the warning category of quoth.

Defined in Python so that an error can be both a ``QuothError`` and a built-in category such
as ``ValueError``; the extension module raises them (see ``src/lib.rs``).
"""


class QuothError(Exception):
    """An error of quoth, with the one-line message the ``quoth`` command prints for it.

    For example a missing path (``articles: no such file or folder``), a missing index
    (``no index at ./index: run 'quoth index <folder>' first``) or an index that another
    process is updating.
    """


class InvalidArgumentError(QuothError, ValueError):
    """An argument with a value quoth cannot use: an invalid date, an unknown format, a limit
    of 0. Also a ``ValueError``."""


class QuothWarning(UserWarning):
    """A problem that stopped nothing: a file that could not be read (skipped), a malformed
    JSON line, an invalid date, a part of a search query that was ignored. The message names
    the file or the query part. Turn it into an error with
    ``warnings.simplefilter("error", quoth.QuothWarning)``."""
