"""The package itself: its type hints and docstrings, the shapes it declares against the dicts
it returns, and the DataFrame example of the README."""

import ast
import datetime
import importlib.metadata
import re
import subprocess
import sys
import typing
from pathlib import Path

import quoth
from conftest import REPO

PACKAGE = Path(quoth.__file__).parent
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-][0-9:]+))?$")


def test_type_hints_are_shipped():
    assert (PACKAGE / "py.typed").is_file()
    assert (PACKAGE / "_quoth.pyi").is_file()


def test_every_public_name_is_documented_in_the_stub_and_at_run_time():
    stub = ast.parse((PACKAGE / "_quoth.pyi").read_text(encoding="utf-8"))
    documented = {}
    for node in ast.walk(stub):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            documented[node.name] = ast.get_docstring(node)
    want = {"extract", "extract_files", "ExtractIterator", "close", "Index", "path", "add",
            "search", "count", "speakers", "stats"}
    assert want <= set(documented), want - set(documented)
    assert all(documented[name] for name in want), [n for n in want if not documented[n]]
    # At run time too: help() shows the docstrings the Rust code carries.
    for obj in (quoth.extract, quoth.extract_files, quoth.ExtractIterator.close, quoth.Index,
                quoth.Index.add, quoth.Index.search, quoth.Index.count, quoth.Index.speakers,
                quoth.Index.stats, quoth.QuothError, quoth.InvalidArgumentError, quoth.QuothWarning):
        assert obj.__doc__ and len(obj.__doc__) > 40, obj
    assert quoth.extract.__text_signature__ == '(text, date=None, format="txt")'
    assert "limit=20" in quoth.Index.search.__text_signature__


def test_type_hints_match_the_module(tmp_path):
    # stubtest compares every name, signature and class of the stub with the module itself.
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "quoth._quoth"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    # A typed use of the package checks, and a wrong one does not (negative).
    code = tmp_path / "use.py"
    code.write_text(
        "import datetime, quoth\n"
        "rows = quoth.extract('x', date=datetime.date(2020, 1, 1))\n"
        "day: datetime.date | None = rows[0]['date']\n"
        "n: int = quoth.Index('i').count('a', speaker=['b'], since='2020')\n"
        "rule: str = next(quoth.extract_files(['a'], threads=2))['rule']\n"
        "wrong: str = quoth.Index('i').stats()['articles']\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), str(code)],
        capture_output=True, text=True,
    )
    assert out.stdout.splitlines()[0].startswith(f"{code}:6: error: Incompatible types"), out.stdout
    assert "Found 1 error" in out.stdout, out.stdout


def test_exceptions():
    assert issubclass(quoth.QuothError, Exception)
    assert issubclass(quoth.InvalidArgumentError, quoth.QuothError)
    assert issubclass(quoth.InvalidArgumentError, ValueError)
    assert issubclass(quoth.QuothWarning, UserWarning)


def test_version():
    assert quoth.__version__ == importlib.metadata.version("quoth")


def keys(typed_dict) -> tuple[set, set]:
    """(required keys, optional keys) of a TypedDict."""
    return set(typed_dict.__required_keys__), set(typed_dict.__optional_keys__)


def matches(value, hint) -> bool:
    """Whether `value` is of the type `hint` (Optional, List and Dict looked into)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        return any(matches(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(matches(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            matches(k, args[0]) and matches(v, args[1]) for k, v in value.items()
        )
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, float)
    # bool is an int in Python, but never what an int field holds.
    return isinstance(value, hint) and not (hint is int and isinstance(value, bool))


def check_shape(row: dict, typed_dict) -> None:
    required, optional = keys(typed_dict)
    assert required <= set(row) <= required | optional, (set(row) ^ required) - optional
    hints = typing.get_type_hints(typed_dict)
    for key, value in row.items():
        assert matches(value, hints[key]), (key, value, hints[key])
        # A date left as a string would mean a date key the binding does not know of.
        assert not (isinstance(value, str) and ISO_DATE.match(value)), (key, value)


def test_returned_dicts_have_the_declared_shapes(tmp_path, samples):
    jsonl = (REPO / "tests" / "formats" / "feed.jsonl").read_text(encoding="utf-8")
    for row in quoth.extract(jsonl, format="jsonl") + list(quoth.extract_files(samples)):
        check_shape(row, quoth.ExtractedQuote)
    index = quoth.Index(tmp_path / "index")
    check_shape(index.add([samples, REPO / "tests" / "formats"]), quoth.Summary)
    rows = index.search(limit=200)
    assert any("line" in r for r in rows)
    for row in rows:
        check_shape(row, quoth.Quote)
    for speaker in index.speakers(top=100):
        check_shape(speaker, quoth.Speaker)
    check_shape(index.stats(), quoth.Stats)


def test_dataframe_example(samples):
    out = subprocess.run(
        [sys.executable, str(REPO / "python" / "examples" / "dataframe.py"), str(samples)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "attributed: 96% of 171 quotations" in out
    assert "indexed 14 articles, 171 quotations" in out
    assert re.search(r"Adaeze Okafor +34 +5 +2022-03-15 +2025-10-27", out), out
