"""Shared fixtures of the Python tests: the repository's sample articles, the ``quoth`` command
built from the same checkout (to compare the binding with it), and invented articles made on
the spot. Every article here is fiction: invented people, places and events."""

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
FORMATS = REPO / "tests" / "formats"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def quoth_bin() -> Path:
    """The ``quoth`` command of this checkout: ``$QUOTH_BIN``, or target/debug/quoth, built
    when missing."""
    given = os.environ.get("QUOTH_BIN")
    if given:
        return Path(given)
    path = REPO / "target" / "debug" / "quoth"
    if not path.exists():
        subprocess.run(["cargo", "build", "--quiet", "--bin", "quoth"], cwd=REPO, check=True)
    return path


def run_cli(quoth_bin: Path, *args: str, cwd: Path | None = None) -> list[dict]:
    """Runs the command and parses its JSON Lines output (a JSON document when it is one)."""
    out = subprocess.run(
        [str(quoth_bin), *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert out.returncode in (0, 1), out.stderr
    text = out.stdout.strip()
    if not text:
        return []
    if text.startswith("{\n"):
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines()]


def as_json_values(row: dict) -> dict:
    """A row of the binding as the JSON output shows it: dates and times as ISO strings."""
    out = {}
    for key, value in row.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat().replace("+00:00", "Z")
        out[key] = value
    return out


FIRST = ["Mara", "Tobiah", "Ilse", "Quentin", "Odalys", "Bertil", "Séverine", "Jurgis", "Amaia", "Kofi"]
LAST = ["Quill", "Varkonyi", "Brannock", "Ostrega", "Lindqvar", "Mbeki-Hart", "Ferreira", "Dunmore"]
ROLES = ["the harbour master", "a council member", "the ferry union's treasurer", "a teacher"]
TOWNS = ["Veldmoor", "Kestrel Bay", "Ostrava Fen", "Lowmarsh"]
TOPICS = ["ferry timetable", "harbour wall", "school roof", "library hours", "bridge tolls"]


def invented_article(i: int, paragraphs: int = 8) -> str:
    """A plain-text article of invented people and events, with a quotation in most paragraphs;
    deterministic for each `i`."""
    rng = random.Random(i)
    day = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
    lines = [f"date {day}", "", f"{town.upper()} — The council met on Tuesday about the {topic}."]
    for p in range(paragraphs):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        words = " ".join(rng.choice(TOPICS).split()[0] for _ in range(rng.randint(6, 20)))
        lines += [
            "",
            f"“The {topic} matters to article {i}, part {p}, and {words},” said {name}, "
            f"{rng.choice(ROLES)}, adding that the town of {town} had waited long enough.",
        ]
    return "\n".join(lines) + "\n"


def write_articles(folder: Path, n: int, paragraphs: int = 8) -> Path:
    """Writes `n` invented articles under `folder`, a hundred per subfolder."""
    for i in range(n):
        sub = folder / f"{i // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(invented_article(i, paragraphs), encoding="utf-8")
    return folder
