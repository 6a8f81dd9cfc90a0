"""Corpus articles as verify `Report`s, extracted once per process and shared by the
event and independence measures (extraction is the slow part: tens of texts a second)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from quietwire.verify import Document, Report, extract, extract_many
from verify_quality._common import read_jsonl


def report_of(doc: Document, source: str | None = None, cites: tuple[str, ...] = ()) -> Report:
    return Report(doc, extract(doc), source, cites)


def _reports(rows: list[dict[str, Any]], docs: list[Document]) -> list[Report]:
    return [Report(d, ex) for d, ex in zip(docs, extract_many(docs), strict=True)]


@cache
def ecbplus(corpora: Path) -> tuple[list[dict[str, Any]], list[Report]]:
    """ECB+ documents: the text only (no publication date exists, no outlet is given)."""
    rows = list(read_jsonl(corpora / "ecbplus" / "ecbplus_documents.jsonl"))
    docs = [Document(r["id"], r["text"], "en") for r in rows]
    return rows, _reports(rows, docs)


@cache
def fakes(corpora: Path) -> tuple[list[dict[str, Any]], list[Report]]:
    """FA-KES articles: headline and body as one text, the publication day, the outlet."""
    rows = list(read_jsonl(corpora / "fakes" / "fakes_articles.jsonl"))
    docs = [
        Document(
            r["id"],
            f"{r['title']}\n{r['text']}",
            "en",
            date.fromisoformat(r["published"]) if r.get("published") else None,
            r["outlet"],
        )
        for r in rows
    ]
    return rows, _reports(rows, docs)
