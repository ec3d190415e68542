# %% [markdown]
# # Who said what, and when, as a pandas DataFrame
#
# A notebook in script form (each `# %%` is a cell; Jupyter, VS Code and Spyder run them as
# such): the quotations of a folder of articles, then an index searched by speaker and date.
# Run it as a script with the folder as its argument; it uses the repository's `samples/` by
# default: `python python/examples/dataframe.py samples`.

# %%
import sys
import tempfile
from pathlib import Path

import pandas as pd

import quoth

articles = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "samples")
pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 8)
pd.set_option("display.max_colwidth", 40)

# %% [markdown]
# ## Every quotation of every article, extracted in parallel, one row each

# %%
quotes = pd.DataFrame(quoth.extract_files(articles))
quotes["date"] = pd.to_datetime(quotes["date"])
print(quotes[["date", "speaker", "quote", "rule"]].head())

# %% [markdown]
# Who is quoted most, and how often is the speaker found at all?

# %%
print(quotes["speaker"].value_counts().head(5))
print(f"attributed: {quotes['speaker'].notna().mean():.0%} of {len(quotes)} quotations")

# %% [markdown]
# Quotations per speaker and year, for the five speakers quoted most.

# %%
top = quotes["speaker"].value_counts().index[:5]
per_year = (
    quotes[quotes["speaker"].isin(top)]
    .groupby([quotes["date"].dt.year.rename("year"), "speaker"])
    .size()
    .unstack(fill_value=0)
)
print(per_year)

# %% [markdown]
# ## An index: search it by words, speaker and date

# %%
workdir = tempfile.TemporaryDirectory()  # the index goes away with it
index = quoth.Index(Path(workdir.name) / "index")
summary = index.add(articles)
print(f"indexed {summary['new']} articles, {summary['quotes_added']} quotations")

hits = pd.DataFrame(index.search("tariff", since="2022", limit=100))
print(hits[["date", "speaker", "role", "quote", "score"]].head())

# %%
speakers = pd.DataFrame(index.speakers(top=10)).set_index("name")
print(speakers[["quotes", "articles", "first_date", "last_date"]])
