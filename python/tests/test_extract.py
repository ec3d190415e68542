"""quoth.extract: one article given as a string."""

import datetime
import warnings

import pytest

import quoth
from conftest import FORMATS, as_json_values, run_cli

HARBOUR = (FORMATS / "harbour.txt").read_text(encoding="utf-8")


def triples(rows):
    return [(r["quote"], r["speaker"], r["date"]) for r in rows]


def test_same_rows_as_the_command_line(quoth_bin):
    # The file's text given as a string gives the rows `quoth extract --json` prints for the
    # file, but for the name: "<text>" for a string (and the id, which hashes the name).
    cli = run_cli(quoth_bin, "extract", str(FORMATS / "harbour.txt"), "--json")
    rows = quoth.extract(HARBOUR)
    assert len(rows) == len(cli) > 3
    for row, want in zip(rows, cli):
        assert list(row) == list(want), "same keys in the same order"
        got = as_json_values(row)
        assert got["file"] == "<text>"
        for key in ("file", "id"):
            got.pop(key), want.pop(key)
        assert got == want


def test_dates_are_date_objects():
    rows = quoth.extract(HARBOUR)
    assert rows[0]["date"] == datetime.date(2023, 6, 21)
    assert rows[0]["first_date"] == datetime.date(2023, 6, 21)
    assert quoth.extract("“Yes,” said Ana Vel.")[0]["date"] is None


@pytest.mark.parametrize(
    "name, line, want",
    [
        ("the last year", "date 9999-12-31", datetime.date(9999, 12, 31)),
        ("before tantivy's years", "date 1500-06-01", datetime.date(1500, 6, 1)),
        ("year 0, before Python's dates: its ISO text", "date 0000-06-01", "0000-06-01"),
    ],
)
def test_dates_at_the_ends_of_the_range(name, line, want):
    rows = quoth.extract(f"{line}\n\n“We sailed at dawn,” said Captain Ilse Varnham.\n")
    assert rows[0]["date"] == want, name


@pytest.mark.parametrize(
    "name, date, want",
    [
        ("date object overrides the date line", datetime.date(2020, 2, 29), datetime.date(2020, 2, 29)),
        ("string", "2021-07-04", datetime.date(2021, 7, 4)),
        ("datetime: its day", datetime.datetime(2022, 1, 2, 23, 59), datetime.date(2022, 1, 2)),
        ("RFC 3339 timestamp: its UTC day", "2023-06-21T22:30:00-04:00", datetime.date(2023, 6, 22)),
        ("none: the date line's", None, datetime.date(2023, 6, 21)),
    ],
)
def test_date_argument(name, date, want):
    assert {r["date"] for r in quoth.extract(HARBOUR, date=date)} == {want}, name


@pytest.mark.parametrize("file, format", [
    ("harbour.txt", "txt"),
    ("harbour.md", "md"),
    ("harbour.md", "markdown"),
    ("harbour.json", "json"),
    ("harbour.html", "html"),
])
def test_every_format_gives_the_same_quotations(file, format):
    text = (FORMATS / file).read_text(encoding="utf-8")
    assert triples(quoth.extract(text, format=format)) == triples(quoth.extract(HARBOUR))


def test_json_lines_gives_each_article_with_its_line():
    rows = quoth.extract((FORMATS / "feed.jsonl").read_text(encoding="utf-8"), format="jsonl")
    assert rows and all(isinstance(r["line"], int) for r in rows)
    assert "line" not in quoth.extract(HARBOUR)[0], "line only for JSON Lines, as in the CLI"


@pytest.mark.parametrize("name, text, want", [
    (
        "accents and curly apostrophes in names",
        "“Ça suffit,” said Zoë Ødegård-Nuñez, the mayor’s deputy.",
        [("Ça suffit,", "Zoë Ødegård-Nuñez")],
    ),
    (
        "CJK and emoji inside the quotation",
        "“港口很好 🌊 and the quay is safe,” said Ilse Brannock.",
        [("港口很好 🌊 and the quay is safe,", "Ilse Brannock")],
    ),
    (
        "straight quotes",
        '"We are ready," said Kofi Dunmore.',
        [("We are ready,", "Kofi Dunmore")],
    ),
    ("no quotation (negative)", "The ferry runs hourly. Nobody said anything.", []),
    ("empty text (negative)", "", []),
])
def test_non_ascii_and_edge_texts(name, text, want):
    assert [(r["quote"], r["speaker"]) for r in quoth.extract(text)] == want, name


def test_offsets_are_utf8_byte_offsets_into_the_paragraph():
    row = quoth.extract("“Ça suffit,” said Zoë Ødegård.")[0]
    raw = row["paragraph"].encode("utf-8")
    assert raw[row["start"]:row["end"]].decode("utf-8") == row["quote"]


@pytest.mark.parametrize("kwargs, error, message", [
    (
        {"format": "docx"},
        quoth.InvalidArgumentError,
        "unknown format 'docx': use txt, md, json, jsonl or html",
    ),
    (
        {"date": "2023-02-30"},
        quoth.InvalidArgumentError,
        "invalid date '2023-02-30' for date: use YYYY-MM-DD",
    ),
    ({"date": 2023}, TypeError, None),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error) as caught:
        quoth.extract(HARBOUR, **kwargs)
    if message:
        assert str(caught.value) == message
        assert isinstance(caught.value, (quoth.QuothError, ValueError))


def test_unreadable_article_raises_the_cli_message():
    with pytest.raises(quoth.QuothError) as caught:
        quoth.extract('{"title": "only a title"}', format="json")
    assert str(caught.value).startswith("<text>: no text field")


def test_problems_that_stop_nothing_are_warnings():
    text = "date 2023-13-01\n\n“Yes,” said Ana Vel.\n"
    with pytest.warns(quoth.QuothWarning, match=r"^<text>: invalid date '2023-13-01' on the date line$"):
        rows = quoth.extract(text)
    assert [r["quote"] for r in rows] == ["Yes,"]
    # ... and errors when the warning filters say so.
    with warnings.catch_warnings():
        warnings.simplefilter("error", quoth.QuothWarning)
        with pytest.raises(quoth.QuothWarning):
            quoth.extract(text)
