"""Stance comparison: who demanded, conceded and criticised what, side by side.

Given analysed readouts (their sentences carry statements):

- :func:`statements_frame`, :func:`stance_counts`, :func:`side_by_side`: party (and actor)
  x stance, with counts and the statements behind each cell; :class:`StatementFilter`.
- :func:`assign_topics`: topics by clustering sentence embeddings (labelled by key terms),
  or from a user's ``{topic: [keywords]}`` list.
- :func:`align_readouts`: two readouts of one meeting: matches, omissions, reframings.
- :func:`link_demands`: demands answered, rejected or left open in later readouts.
- :func:`compare_readouts`: all of it at once, as a :class:`Comparison` with DataFrames and
  JSON, Markdown and self-contained HTML output.

Embeddings are pluggable (any ``texts -> np.ndarray``): :func:`encoder_embedder` uses a
model's fine-tuned encoder; without one, :class:`TfidfEmbedder` is used.

>>> from stancekit.compare import compare_readouts
>>> from stancekit.records import Readout, Sentence, Statement
>>> s = Statement("Li", 0, 2, "Li Qiang", "China", "demand", "EU", confidence=0.9)
>>> compare_readouts([Readout("d", [Sentence("d", 0, "Li urged the EU to act.", [s])])]).to_dict()["counts"]
{'China': {'demand': 1, 'concession': 0, 'criticism': 0, 'total': 1}}
"""

from __future__ import annotations

from stancekit.compare.align import AlignConfig, Alignment, align_readouts, align_statements
from stancekit.compare.embed import Embedder, TfidfEmbedder, default_embedder, embed, encoder_embedder
from stancekit.compare.frame import UNKNOWN_PARTY, StatementFilter, statements_frame
from stancekit.compare.render_html import render_html
from stancekit.compare.render_md import render_markdown
from stancekit.compare.report import CompareConfig, Comparison, compare_readouts
from stancekit.compare.table import side_by_side, stance_counts
from stancekit.compare.timeline import assign_dates, link_demands, timeline_counts
from stancekit.compare.topics import Topics, assign_topics, check_topic_list

__all__ = [
    "UNKNOWN_PARTY",
    "AlignConfig",
    "Alignment",
    "CompareConfig",
    "Comparison",
    "Embedder",
    "StatementFilter",
    "TfidfEmbedder",
    "Topics",
    "align_readouts",
    "align_statements",
    "assign_dates",
    "assign_topics",
    "check_topic_list",
    "compare_readouts",
    "default_embedder",
    "embed",
    "encoder_embedder",
    "link_demands",
    "render_html",
    "render_markdown",
    "side_by_side",
    "stance_counts",
    "statements_frame",
    "timeline_counts",
]
