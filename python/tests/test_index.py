"""quoth.Index: add, search, count, speakers and stats, compared with the command line on the
same index."""

import datetime
import fcntl
import pathlib
import shutil

import pytest

import quoth
from conftest import as_json_values, invented_article, run_cli


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, samples):
    """The samples indexed by the binding: (index, its folder)."""
    folder = tmp_path_factory.mktemp("idx") / "index"
    index = quoth.Index(folder)
    summary = index.add(samples)
    assert summary["new"] == 14 and summary["quotes_added"] == 171
    return index, folder


def cli(quoth_bin, folder, *args):
    return run_cli(quoth_bin, "--index", str(folder), *args)


def test_add_returns_the_summary_of_the_command_line(tmp_path, samples, quoth_bin):
    summary = quoth.Index(tmp_path / "py").add(samples)
    want = cli(quoth_bin, tmp_path / "cli", "index", str(samples), "--json")[0]
    assert list(summary) == list(want)
    for key in ("elapsed_secs",):
        summary.pop(key), want.pop(key)
    assert summary == want


def test_the_command_line_reads_what_the_binding_wrote(indexed, quoth_bin):
    index, folder = indexed
    assert [as_json_values(r) for r in index.search("tariff", limit=50)] == cli(
        quoth_bin, folder, "query", "tariff", "--limit", "50", "--json"
    )


# (name, search arguments, the same as command-line arguments)
SEARCHES = [
    ("words", {"words": "tariff"}, ["tariff"]),
    ("word list", {"words": ["tariff", "steel"]}, ["tariff", "steel"]),
    ("speaker", {"speaker": "okafor"}, ["--speaker", "okafor"]),
    ("accent-free speaker", {"speaker": "sanchez"}, ["--speaker", "sanchez"]),
    ("speakers ORed", {"speaker": ["okafor", "løvaas"]}, ["--speaker", "okafor", "--speaker", "løvaas"]),
    ("periods", {"since": "2022", "until": "2023-06"}, ["--since", "2022", "--until", "2023-06"]),
    ("limit, offset", {"limit": 3, "offset": 2}, ["--limit", "3", "--offset", "2"]),
    ("oldest first", {"words": "harbour", "sort": "oldest"}, ["harbour", "--sort", "oldest"]),
    ("phrase", {"words": '"the tariff"'}, ['"the tariff"']),
    ("nothing found (negative)", {"words": "zeppelin"}, ["zeppelin"]),
    ("unknown speaker (negative)", {"speaker": "okafur"}, ["--speaker", "okafur"]),
]


@pytest.mark.parametrize("name, kwargs, args", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_and_count_as_the_command_line(indexed, quoth_bin, name, kwargs, args):
    index, folder = indexed
    rows = index.search(**kwargs)
    want = cli(quoth_bin, folder, "query", *args, "--json")
    assert [as_json_values(r) for r in rows] == want, name
    if "limit" not in kwargs and "sort" not in kwargs:
        count = cli(quoth_bin, folder, "query", *args, "--count")[0]
        assert index.count(**{k: v for k, v in kwargs.items()}) == count, name


def test_rows_have_date_objects(indexed):
    index, _ = indexed
    row = index.search("tariff", limit=1)[0]
    assert isinstance(row["date"], datetime.date) and isinstance(row["first_date"], datetime.date)


def test_dates_may_be_date_objects_or_strings(indexed):
    index, _ = indexed
    by_text = index.search(since="2022-03-15", until="2023-12-31", limit=100)
    by_date = index.search(since=datetime.date(2022, 3, 15), until=datetime.date(2023, 12, 31), limit=100)
    assert by_text == by_date and by_text
    assert all(datetime.date(2022, 3, 15) <= r["date"] <= datetime.date(2023, 12, 31) for r in by_text)
    assert index.count(since=datetime.date(2030, 1, 1)) == 0


def test_speakers_and_stats_as_the_command_line(indexed, quoth_bin):
    index, folder = indexed
    for kwargs, args in [
        ({}, []),
        ({"top": 3}, ["--top", "3"]),
        ({"prefix": "ok"}, ["--prefix", "ok"]),
        ({"since": "2024", "until": datetime.date(2025, 12, 31)}, ["--since", "2024", "--until", "2025-12-31"]),
    ]:
        got = [as_json_values(s) for s in index.speakers(**kwargs)]
        assert got == cli(quoth_bin, folder, "speakers", *args, "--json"), kwargs
    stats = index.stats()
    assert isinstance(stats["first_date"], datetime.date)
    assert stats["last_update"].tzinfo == datetime.timezone.utc
    assert as_json_values(stats) == cli(quoth_bin, folder, "stats", "--json")[0]


def test_add_is_incremental(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(3):
        (articles / f"{i}.txt").write_text(invented_article(i, 2), encoding="utf-8")
    index = quoth.Index(tmp_path / "index")
    # (step, change before add(), paths, expected counts)
    steps = [
        ("first run", None, articles, {"new": 3, "quotes_added": 6}),
        ("again: nothing read", None, articles, {"unchanged": 3, "quotes_added": 0}),
        ("a changed file", lambda: (articles / "1.txt").write_text(invented_article(7, 4), encoding="utf-8"),
         [articles], {"changed": 1, "unchanged": 2, "quotes_added": 4, "quotes_removed": 2}),
        ("a deleted file, refreshing every folder", lambda: (articles / "2.txt").unlink(),
         None, {"removed": 1, "unchanged": 2, "quotes_removed": 2}),
    ]
    for step, change, paths, want in steps:
        if change:
            change()
        summary = index.add(paths)
        assert {k: summary[k] for k in want} == want, step
    assert index.count() == 2 + 4
    assert index.stats()["articles"] == 2


def test_each_call_sees_the_last_commit_of_another_process(tmp_path, samples, quoth_bin):
    folder = tmp_path / "index"
    shutil.copytree(samples, tmp_path / "a")
    index = quoth.Index(folder)
    index.add(tmp_path / "a" / "2022-03-15-okafor-steel-tariff-bill.txt")
    before = index.count()
    cli(quoth_bin, folder, "index", str(tmp_path / "a"), "--json")
    assert index.count() == 171 > before


@pytest.mark.parametrize("name, call, error, message", [
    ("invalid date", lambda i: i.search(since="2023-13"), quoth.InvalidArgumentError,
     "invalid date '2023-13' for since: use YYYY-MM-DD, YYYY-MM or YYYY"),
    ("reversed period", lambda i: i.count(since="2024", until="2023"), quoth.InvalidArgumentError,
     "since 2024-01-01 is after until 2023-12-31"),
    ("limit 0", lambda i: i.search("tariff", limit=0), quoth.InvalidArgumentError,
     "invalid value '0' for limit: show at least one quote"),
    ("top 0", lambda i: i.speakers(top=0), quoth.InvalidArgumentError,
     "invalid value '0' for top: show at least one speaker"),
    ("sort", lambda i: i.search(sort="best"), quoth.InvalidArgumentError,
     "invalid sort 'best': use relevance, newest or oldest"),
    ("speaker without letters", lambda i: i.search(speaker="!!"), quoth.QuothError,
     "invalid speaker name '!!': it has no letters"),
    ("date of another type", lambda i: i.search(since=20230101), TypeError, None),
])
def test_bad_arguments(indexed, name, call, error, message):
    index, _ = indexed
    with pytest.raises(error) as caught:
        call(index)
    if message is not None:
        assert str(caught.value) == message, name


def test_ignored_query_parts_are_warnings(indexed):
    index, _ = indexed
    with pytest.warns(quoth.QuothWarning, match="^part of the query was ignored"):
        rows = index.search("tariff AND (")
    assert rows


def test_missing_index_and_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    index = quoth.Index("nowhere")
    assert index.path == pathlib.Path("nowhere")
    assert repr(index) == 'quoth.Index("nowhere")'
    for call in (index.search, index.count, index.speakers, index.stats):
        with pytest.raises(quoth.QuothError) as caught:
            call()
        assert str(caught.value) == "no index at ./nowhere: run 'quoth index <folder>' first"
    with pytest.raises(quoth.QuothError) as caught:
        index.add("no-articles-here")
    assert str(caught.value) == "no-articles-here: no such file or folder"
    assert not (tmp_path / "nowhere").exists(), "no index folder made for a typo"
    with pytest.raises(quoth.QuothError) as caught:
        index.add()
    assert str(caught.value) == "no folders indexed yet: run 'quoth index <folder>' first"


def test_never_writes_into_a_foreign_folder(tmp_path, samples):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(quoth.QuothError, match="is not a quoth index and is not empty"):
        quoth.Index(tmp_path).add(samples)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_index_being_updated_elsewhere(tmp_path, samples):
    index = quoth.Index(tmp_path / "index")
    index.add(samples)
    # Another writer holds the index's writer lock, as a running `quoth index` does.
    with open(tmp_path / "index" / ".tantivy-writer.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(quoth.QuothError) as caught:
            index.add(samples)
        assert str(caught.value) == "index is being updated by another quoth process"
        assert index.count() == 171, "searches go on meanwhile"
