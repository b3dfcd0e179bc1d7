"""Answers to patients' questions from the clinic's own articles and knowledge base.

Pure and deterministic: no Django, no clock, no I/O beyond reading the packaged data once.
See `engine.ask` for the pipeline and ../shared/contracts/cli.md for the output shape.
"""

from .articles import Articles, load_articles, problems, render
from .engine import KINDS, ask

__all__ = ["KINDS", "Articles", "ask", "load_articles", "problems", "render"]
