"""What the interface's lists show: counts and pages from the store, rows as Rich Text.

User text goes through ``printable`` into ``Text``: never markup, never a raw
control character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from tracker.domain.changes import Change, change_between
from tracker.domain.dates import parse_date
from tracker.domain.models import Actor, Question
from tracker.domain.text import fold, printable, quoted
from tracker.errors import TrackerError
from tracker.render import level_style
from tracker.store import Store, positions
from tracker.store.rows import Narrowing


def shrink(width: int, wanted: list[int], least: list[int]) -> list[int]:
    """Widths for columns that want ``wanted`` cells and fit in ``width``: when there is not
    room, the first column gives up cells first, each down to its ``least``."""
    over = sum(wanted) - width
    out = []
    for want, low in zip(wanted, least):
        cut = max(0, min(over, want - low))
        out.append(want - cut)
        over -= cut
    return out


def cell(text: str, width: int) -> str:
    """``text`` on one line, cut or padded to ``width`` terminal cells (wide
    characters such as emoji count twice, so columns stay aligned)."""
    value = printable(text, one_line=True)
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def header(*columns: tuple[str, int]) -> Text:
    """A list's header line: each column's name in the cells its column takes, two apart
    (a width of 0: the rest of the line)."""
    text = Text()
    for i, (name, width) in enumerate(columns):
        text.append(("  " if i else "") + (cell(name, width) if width else name))
    return text


# A position row's columns that narrow on a small terminal, in that order: (wanted, least) cells.
NARROWING = {"question": (28, 12), "actor": (24, 12)}
STATEMENT_AT_LEAST = 20  # cells of the quote kept before they narrow


@dataclass
class QuestionsSource:
    empty = "No questions yet: press n to add a position, or import a file with `tracker import`."

    def count(self, store: Store) -> int:
        return store.count_questions()

    def fetch(self, store: Store, offset: int, limit: int) -> list[Question]:
        return store.questions(limit=limit, offset=offset)

    @staticmethod
    def _widths(width: int) -> tuple[int, int]:
        """The title's and the slug's cells: on a narrow terminal the slug narrows first."""
        slug, title, _tags = shrink(width - (2 + 2 + 12 + 2), [28, 60, 10], [12, 24, 0])
        return title, slug

    def header(self, width: int) -> Text:
        title, slug = self._widths(width)
        return header(("question", title), ("slug", slug), ("scale", 12), ("tags", 0))

    def render(self, q: Question, width: int) -> Text:
        title, slug = self._widths(width)
        text = Text(cell(q.title, title))
        text.append("  " + cell(q.slug, slug), style="dim")
        text.append("  " + cell(q.scale_key, 12), style="italic")
        if q.tags:
            text.append("  " + printable(" ".join(f"#{t}" for t in q.tags), one_line=True), style="dim")
        return text


@dataclass
class ActorsSource:
    empty = "No actors yet."

    def count(self, store: Store) -> int:
        return store.count_actors()

    def fetch(self, store: Store, offset: int, limit: int) -> list[Actor]:
        return store.actors(limit=limit, offset=offset)

    @staticmethod
    def _widths(width: int) -> tuple[int, int]:
        """The name's and the parent's cells: on a narrow terminal the parent narrows first."""
        parent, name, _aliases = shrink(width - (2 + 12 + 2 + 7 + 2 + 2), [20, 36, 10], [10, 16, 0])
        return name, parent

    def header(self, width: int) -> Text:
        name, parent = self._widths(width)
        return header(("actor", name), ("kind", 12), ("country", 7), ("parent", parent), ("aliases", 0))

    def render(self, a: Actor, width: int) -> Text:
        name, parent = self._widths(width)
        text = Text(cell(a.name, name))
        text.append("  " + cell(a.kind, 12), style="italic")
        text.append("  " + cell(a.country or "", 7))
        text.append("  " + cell(a.parent_slug or "", parent), style="dim")
        if a.aliases:
            text.append("  " + printable(", ".join(a.aliases), one_line=True), style="dim")
        return text


MARK = "◆"  # on the row of the position marked for a diff (space)


@dataclass
class PositionsSource:
    """Positions in date order, each with its change against the actor's previous one;
    with ``narrowing``, only those a filter keeps."""

    actor_id: int | None = None
    question_id: int | None = None
    show_actor: bool = True
    show_question: bool = True
    narrowing: Narrowing | None = None
    empty = "No positions here yet: press n to add one."

    def __post_init__(self) -> None:
        if self.narrowing is not None:
            self.empty = "No position matches the filter: escape clears it."

    def count(self, store: Store) -> int:
        return store.count_positions(actor_id=self.actor_id, question_id=self.question_id, narrowing=self.narrowing)

    def index_of(self, store: Store, when: date) -> int:
        """The row of the first position whose date starts on or after ``when`` (the number of rows
        when there is none)."""
        before = replace(self.narrowing or Narrowing(), before=when)
        return store.count_positions(actor_id=self.actor_id, question_id=self.question_id, narrowing=before)

    def fetch(self, store: Store, offset: int, limit: int) -> list[Change]:
        page = positions.page_with_previous(
            store.conn, actor_id=self.actor_id, question_id=self.question_id, limit=limit, offset=offset, narrowing=self.narrowing
        )
        # No quote diff: a row shows the change's marker; the diff view works its diff out anew.
        return [change_between(before, after, size, with_diff=False) for before, after, size in page]

    def _widths(self, width: int) -> dict[str, int]:
        """The cells of the actor and question columns shown, on a line of ``width`` cells."""
        shown = {"question": self.show_question, "actor": self.show_actor}
        columns = [name for name in NARROWING if shown[name]]
        # The mark, the date, the gaps, stance, change, the gap before the quote.
        fixed = 2 + 14 + 2 * len(columns) + (2 + 14) * 2 + 2
        wanted = [NARROWING[name][0] for name in columns] + [STATEMENT_AT_LEAST]
        least = [NARROWING[name][1] for name in columns] + [0]
        return dict(zip(columns, shrink(width - fixed, wanted, least)))

    def header(self, width: int) -> Text:
        widths = self._widths(width)
        columns = [("", 0), ("date".rjust(14), 14)]
        columns += [(name, widths[name]) for name in ("actor", "question") if name in widths]
        columns += [("stance", 14), ("change", 14), ("statement", 0)]
        text = header(*columns)
        return text

    def render(self, change: Change, width: int, marked: bool = False) -> Text:
        """The mark, date, actor, question, stance, change, then the quote (or paraphrase) in
        what is left. On a narrow terminal the question and then the actor columns narrow, so
        that the stance and the change stay whole."""
        p = change.after
        widths = self._widths(width)
        text = Text.assemble((MARK if marked else " ", "bold"), " ")
        text.append(p.date.display.rjust(14), "bold")  # a span: Text(style=) would embolden the row
        if self.show_actor:
            text.append("  " + cell(p.actor_name, widths["actor"]))
        if self.show_question:
            text.append("  " + cell(p.question_title, widths["question"]), style="italic")
        text.append("  ")
        text.append(cell(p.level.label, 14), style=level_style(p.level))
        marker = change.marker if change.before is not None else ""
        text.append("  " + cell(marker, 14), style="yellow" if change.change_class == "shift" else "bold red" if change.change_class == "reversal" else "dim")
        statement = f"“{p.quote}”" if p.quote else p.paraphrase
        text.append("  " + printable(statement, one_line=True), style="" if p.quote else "italic")
        return text


# ---------------------------------------------------------------------- the timeline's filter


@dataclass
class Filter:
    """A filter line read: what it keeps, and its terms as typed (for the view's title)."""

    narrowing: Narrowing
    terms: list[str] = field(default_factory=list)


SEPARATORS = re.compile(r"[,·;]")


def read_filter(store: Store, text: str, today: date | None = None) -> Filter:
    """Read a filter line: words naming actors, questions or stances (a slug, name, alias, key,
    label or a prefix of one, case and accents ignored; consecutive words are read as one
    name when they make one), and a date range ``2023-01..2023-06`` (a side may be left
    open). Several actors (or questions, or stances) keep the positions of any of them;
    actors, questions, stances and dates narrow together. Raises TrackerError with a
    one-line message for a word nothing matches or a date that cannot be understood."""
    names = _Names(store)
    actors: set[int] = set()
    questions: set[int] = set()
    levels: set[str] = set()
    since = until = None
    terms: list[str] = []
    ranges = 0
    for group in SEPARATORS.split(text):
        group = " ".join(group.split())
        if not group:
            continue
        if ".." in group and _is_range(group, today):
            words = [group]  # a range with spaces: "26 Feb 2024 .. Mar 2024"
        else:
            words = group.split()
        i = 0
        while i < len(words):
            if ".." in words[i]:
                ranges += 1
                if ranges > 1:
                    raise TrackerError("one date range at most, such as 2023-01..2023-06")
                since, until = _range(words[i], today)
                terms.append(words[i])
                i += 1
                continue
            end = next((k for k in range(i, len(words)) if ".." in words[k]), len(words))
            for j in range(end, i, -1):
                phrase = " ".join(words[i:j])
                found = names.match(phrase, whole=j - i > 1)
                if found is not None:
                    kind, ids = found
                    {"actor": actors, "question": questions, "stance": levels}[kind].update(ids)
                    terms.append(phrase)
                    i = j
                    break
            else:
                raise TrackerError(f"no actor, question or stance matches {quoted(words[i])}")
    narrowing = Narrowing(frozenset(actors), frozenset(questions), frozenset(levels), since, until)
    return Filter(narrowing, terms)


def _is_range(text: str, today: date | None) -> bool:
    try:
        _range(text, today)
    except TrackerError:
        return False
    return True


def _range(text: str, today: date | None) -> tuple[date | None, date | None]:
    left, _, right = text.partition("..")
    if ".." in right:
        raise TrackerError(f"a date range is two dates around '..', such as 2023-01..2023-06, not {quoted(text)}")
    if not left.strip() and not right.strip():
        raise TrackerError("a date range needs a date on one side of '..' at least, such as 2023-01..")
    since = parse_date(left.strip(), today).start if left.strip() else None
    until = parse_date(right.strip(), today).end if right.strip() else None
    if since and until and since > until:
        raise TrackerError(f"the date range {quoted(text)} ends before it starts")
    return since, until


class _Names:
    """Every actor, question and stance level as names to match, read once."""

    def __init__(self, store: Store):
        self.kinds: list[tuple[str, list[tuple[object, list[str]]]]] = [
            ("actor", [(a.id, [fold(n) for n in (a.name, a.slug, *a.aliases)]) for a in store.actors()]),
            ("question", [(q.id, [fold(q.title), fold(q.slug)]) for q in store.questions()]),
            ("stance", [(lv.key, [fold(lv.key), fold(lv.label)]) for s in store.scales() for lv in s.levels]),
        ]

    def match(self, phrase: str, *, whole: bool) -> tuple[str, set] | None:
        """The kind and the ids (stance keys) that ``phrase`` names best: exactly, by the start of a
        name, or (unless ``whole``) by the start of one of its words; actors first, then questions,
        then stances."""
        wanted = fold(phrase)
        tests = [lambda n: n == wanted, lambda n: n.startswith(wanted)]
        if not whole:
            tests.append(lambda n: any(word.startswith(wanted) for word in re.split(r"[\s\-/'’]+", n)))
        for test in tests:
            for kind, candidates in self.kinds:
                found = {key for key, names in candidates if any(test(n) for n in names)}
                if found:
                    return kind, found
        return None
