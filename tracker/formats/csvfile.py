"""CSV for spreadsheets: one position a row.

Actors and questions are looked up exactly, as in every file: by slug, name or
alias, case and accents ignored, never by prefix or id ("Mark" is not Mark Rutte,
"5" is not the actor with id 5). A name that matches none is a new actor or
question (questions with the ``commitment`` scale), and the report says so. A
stance is a level's key or label (see ``resolve_level(exact=True)``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import partial
from typing import IO

from tracker.domain.scales import DEFAULT_SCALE
from tracker.domain.text import quoted
from tracker.domain.validation import quoted_names, slugify
from tracker.errors import NotFound, TrackerError
from tracker.formats.records import check_decoded, check_record
from tracker.store import Store
from tracker.store.exports import export_rows
from tracker.store.rows import out_of_shape

HEADER = (
    "actor", "question", "stance", "date", "quote", "quote_lang", "paraphrase", "context",
    "source_url", "source_title", "outlet", "confidence", "notes",
)  # fmt: skip


def read_records(store: Store, stream: IO[str]) -> Iterator[tuple[int, dict]]:
    """Records for each row, plus the actors, questions and sources the rows need."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            return
        check_decoded("".join(header), reader.line_num)
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [h for h in ("actor", "question", "stance", "date") if h not in header]
        unknown = [h for h in header if h not in HEADER]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {quoted_names(unknown)}")
            raise TrackerError(f"line 1: {'; '.join(problems)} (expected: {','.join(HEADER)})")
        actors: dict[str, str] = {}
        questions: dict[str, str] = {}
        sources: dict[str | tuple, str] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            check_decoded("".join(row), line)
            if len(row) != len(header):
                raise TrackerError(f"line {line}: {len(row)} cells where the header has {len(header)}")
            cells = dict(zip(header, map(_unguard, row)))
            try:
                actor = _ref(partial(store.resolve_actor, exact=True), actors, cells["actor"], "actor")
                if actor[1]:
                    yield line, _new("actor", {"type": "actor", "slug": actor[0], "name": cells["actor"].strip()})
                question = _ref(partial(store.resolve_question, exact=True), questions, cells["question"], "question")
                if question[1]:
                    yield line, _new(
                        "question",
                        {"type": "question", "slug": question[0], "title": cells["question"].strip(), "scale": DEFAULT_SCALE},
                    )
                source = None
                url, title, outlet = (cells.get(k, "").strip() for k in ("source_url", "source_title", "outlet"))
                if url or title:
                    key = url or (title, outlet)  # one source per URL, whatever each row calls it
                    if key not in sources:
                        rec = check_record({"type": "source", "url": url or None, "title": title, "outlet": outlet})
                        existing = _existing_source(store, rec)
                        sources[key] = existing or rec["uid"]
                        if not existing:
                            yield line, rec
                    source = sources[key]
                yield line, check_record(
                    {
                        "type": "position",
                        "actor": actor[0],
                        "question": question[0],
                        "stance": cells["stance"],
                        "date": cells["date"],
                        "quote": cells.get("quote", ""),
                        "quote_lang": cells.get("quote_lang", "").strip(),
                        "paraphrase": cells.get("paraphrase", ""),
                        "context": cells.get("context", ""),
                        "source": source,
                        "confidence": cells.get("confidence", "").strip() or "confirmed",
                        "notes": cells.get("notes", ""),
                    }
                )
            except TrackerError as e:
                raise TrackerError(f"line {line}: {e}") from None
    except csv.Error as e:
        raise TrackerError(f"line {reader.line_num}: not valid CSV ({e})") from None
    except UnicodeDecodeError:
        raise TrackerError(f"line {reader.line_num + 1}: the file is not UTF-8 text") from None


def _ref(resolve, seen: dict[str, str], text: str, what: str) -> tuple[str, bool]:
    """(slug, is new) for an actor or question named in a cell; ``resolve`` is the exact look-up."""
    name = text.strip()
    if not name:
        raise TrackerError(f"{what} is required")
    if name in seen:
        return seen[name], False
    try:
        slug, new = resolve(name).slug, False
    except NotFound:
        slug, new = slugify(name), True
        if not slug:
            raise TrackerError(f"cannot make a slug for the new {what} {quoted(name)}") from None
        if slug in seen.values() or _has_slug(resolve, slug):
            new = False  # already there: a new record would overwrite its name and the rest
    seen[name] = slug
    return slug, new


def _new(column: str, raw: dict) -> dict:
    """The record of a new actor or question named in a cell; a refusal names the column."""
    try:
        return check_record(raw)
    except TrackerError as e:
        raise TrackerError(f"{column}: {e}") from None


def _has_slug(resolve, slug: str) -> bool:
    try:
        return resolve(slug).slug == slug
    except TrackerError:
        return False


def _existing_source(store: Store, rec: dict) -> str | None:
    for ref in (rec["url"], rec["uid"]):
        if ref:
            try:
                return store.source(ref).uid
            except NotFound:
                pass
    return None


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +1+1,
# @SUM(A1); a tab or CR can hide the sign): export writes it with a leading "'", which
# spreadsheets take as "text", and import removes that one "'" again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A cell that already starts with quotes before such a sign ("'=x") gets one more, so that
# the round trip holds for every value.
def _guard(cell: str) -> str:
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def _unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def write(
    conn, out: IO[str], *, actor_id: int | None = None, question_id: int | None = None, raw: bool = False,
    excel: bool = False,
) -> int:
    """One row a position. Formula-like cells get a leading "'" unless ``raw``; ``excel``
    starts the text with a UTF-8 byte-order mark (Excel reads the file as UTF-8 then)."""
    # csv's own line end: with "\n", a cell holding a lone "\r" would be written unquoted
    # and read back as a line break.
    writer = csv.writer(out, lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow(HEADER)
    count = 0
    for p in export_rows(conn, actor_id=actor_id, question_id=question_id)["position"]:
        row = (
            [
                p["actor"], p["question"], p["stance"], p["date"], p["quote"], p["quote_lang"], p["paraphrase"],
                p["context"], p["source_url"] or "", p["source_title"] or "", p["outlet"] or "", p["confidence"],
                p["notes"],
            ]
        )  # fmt: skip
        row = [_text(cell, p) for cell in row]
        writer.writerow(row if raw else map(_guard, row))
        count += 1
    return count


def _text(cell: object, position) -> str:
    """A cell as text; a blob (only another program writes one where a text belongs) is refused."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bytes):
        raise out_of_shape("positions", f"with uid {position['uid']}", "a text column holds a blob", cell)
    return str(cell)
