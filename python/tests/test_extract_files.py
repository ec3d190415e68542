"""quoth.extract_files: files and folders, in parallel, streamed in bounded memory."""

import gc
import os
import threading

import pytest

import quoth
from conftest import as_json_values, invented_article, run_cli, write_articles


def test_same_rows_as_the_command_line(samples, quoth_bin):
    rows = [as_json_values(r) for r in quoth.extract_files(samples)]
    assert len(rows) == 171
    assert rows == run_cli(quoth_bin, "extract", str(samples), "--json")


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_any_number_of_threads_gives_the_files_in_order(tmp_path, threads):
    write_articles(tmp_path, 60, paragraphs=2)
    files = [r["file"] for r in quoth.extract_files(tmp_path, threads=threads)]
    assert files == sorted(files)
    assert len(set(files)) == 60
    assert files[0] == os.path.join("000", "000000.txt"), "named relative to the folder given"


def test_paths_may_be_several_files_and_folders(tmp_path, samples):
    (tmp_path / "one.txt").write_text(invented_article(1, 2), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.txt").write_text(invented_article(2, 3), encoding="utf-8")
    rows = list(quoth.extract_files([tmp_path / "one.txt", str(tmp_path / "sub")]))
    assert [r["file"] for r in rows] == ["one.txt"] * 2 + ["two.txt"] * 3


def test_missing_path_raises_at_once(tmp_path):
    with pytest.raises(quoth.QuothError) as caught:
        quoth.extract_files([tmp_path, tmp_path / "nowhere"])
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: no such file or folder"


@pytest.mark.parametrize("threads", [0, -1])
def test_bad_thread_counts(tmp_path, threads):
    error = quoth.InvalidArgumentError if threads == 0 else OverflowError
    with pytest.raises(error):
        quoth.extract_files(tmp_path, threads=threads)


def test_unreadable_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(invented_article(1, 1), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "c.txt").write_text(invented_article(3, 1), encoding="utf-8")
    with pytest.warns(quoth.QuothWarning) as caught:
        rows = list(quoth.extract_files(tmp_path))
    assert [r["file"] for r in rows] == ["a.txt", "c.txt"]
    assert [str(w.message) for w in caught] == [
        f"{tmp_path / 'b.txt'}: not a text file (NUL byte in the first 8 KB)"
    ]


def test_close_and_early_exit_end_the_threads(tmp_path):
    write_articles(tmp_path, 300, paragraphs=1)
    before = threading.active_count()
    native = len(os.listdir("/proc/self/task"))
    it = quoth.extract_files(tmp_path, threads=3)
    assert next(it)["file"] == os.path.join("000", "000000.txt")
    assert len(os.listdir("/proc/self/task")) == native + 4, "three workers and the walk"
    it.close()
    assert len(os.listdir("/proc/self/task")) == native, "close() waits for the threads"
    assert list(it) == []
    # Breaking out of a loop and dropping the iterator ends them too.
    for _ in quoth.extract_files(tmp_path, threads=2):
        break
    gc.collect()
    assert len(os.listdir("/proc/self/task")) == native
    assert threading.active_count() == before


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_large_batch_streams_in_bounded_memory(tmp_path):
    # 12,000 invented articles (about 25 MB, 96,000 quotations, each row holding its
    # paragraph): held at once, the rows would take hundreds of MB, and their Rust side alone
    # more than the whole text. Streamed, memory grows by the few files in flight at most,
    # however many rows pass through.
    n, paragraphs = 12_000, 8
    write_articles(tmp_path, n, paragraphs)
    total_bytes = sum(f.stat().st_size for f in tmp_path.rglob("*.txt"))
    gc.collect()
    start = rss_bytes()
    rows, peak, paragraph_bytes = 0, start, 0
    for row in quoth.extract_files(tmp_path, threads=2):
        rows += 1
        paragraph_bytes += len(row["paragraph"].encode("utf-8"))
        if rows % 500 == 0:
            peak = max(peak, rss_bytes())
    assert rows == n * paragraphs
    assert paragraph_bytes > total_bytes * 3 // 4, "the rows carry about the whole text"
    growth = peak - start
    assert growth < min(24 * 2**20, total_bytes // 2), (
        f"RSS grew by {growth / 2**20:.1f} MB while streaming {total_bytes / 2**20:.1f} MB"
    )
