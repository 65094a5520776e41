"""Who said each quotation of an article, when, and in what language (French, English and
German conventions).

Plain Python: no SQL, no Textual. :func:`find_quotes` is the whole job; the steps are

1. the quotations and 2. the sentences around them: :mod:`tracker.domain.quotations`.
   ``text`` is always ``article.text[start:end]``, without the quotation marks;
3. the speaker, in the quote's sentence outside the quote: an actor named (name or alias)
   or a capitalised name (a person not in the file, kept as ``speaker_name`` only: "said
   Jane Doe, the minister"), the one a speech verb attaches to, else the sentence's subject.
   A pronoun with a speech verb ("he added", "a-t-il ajouté", "fügte er hinzu"), or no
   name at all: the speaker named last before the quote (the last quote's, or the subject
   of one of the three sentences before). An unnamed source ("a senior official said",
   "confiait un étudiant", "hieß es in einer Erklärung"): no speaker.
4. the date written in the sentence ("le 26 février", "on Monday" before the article's
   date), else the one of the same speaker's quote just before, else the article's; the
   language by a count of stop words (:mod:`tracker.domain.quote_lang`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

from tracker.domain.quotations import mask_quotations, quotation_spans, sentence_spans
from tracker.domain.quote_lang import detect_language, sentence_date


@dataclass(frozen=True)
class Article:
    """An article's text and what is known about it (read by tracker/formats/article.py)."""

    text: str  # the article's text; every offset indexes this string
    title: str | None = None
    url: str | None = None  # canonical URL when known
    outlet: str | None = None  # site name
    published: str | None = None  # EDTF day/month/year, e.g. "2024-02-26"
    language: str | None = None  # "fr", "en", "de"...


@dataclass(frozen=True)
class Speaker:
    slug: str
    names: tuple[str, ...]  # the actor's name and aliases


@dataclass(frozen=True)
class FoundQuote:
    text: str  # == article.text[start:end], without the quotation marks
    start: int
    end: int
    speaker: str | None  # an actor's slug, or None
    speaker_name: str | None  # the person's name as the text gives it, even when no actor matches
    date: str | None  # EDTF
    lang: str | None


# ---------------------------------------------------------------------- speakers

_SPEECH_VERBS = (
    # English
    "said", "says", "told", "added", "stated", "declared", "insisted", "warned", "argued", "explained",
    "noted", "recalled", "replied", "continued", "asked", "wrote", "according to", "announced", "stressed",
    "conceded", "admitted", "claimed", "tweeted", "posted", "acknowledged", "maintained", "countered",
    "described", "called", "blamed", "dismissed", "accused", "denounced", "a dénoncé", "a qualifié", "nannte", "sprach",
    # French
    "a déclaré", "a affirmé", "a dit", "a ajouté", "a poursuivi", "a insisté", "a estimé", "a expliqué",
    "a indiqué", "a assuré", "a souligné", "a martelé", "a lancé", "a répondu", "a rappelé", "a prévenu",
    "a averti", "a reconnu", "a jugé", "a tranché", "a confié", "a écrit", "a précisé", "a plaidé",
    "déclare", "affirme", "estime", "explique", "ajoute", "poursuit", "selon", "d'après", "a-t-il",
    "a-t-elle", "déclaré", "affirmé", "ajouté", "poursuivi", "insisté", "estimé", "expliqué", "indiqué",
    "assuré", "souligné", "martelé", "lancé", "répondu", "rappelé", "prévenu", "averti", "reconnu",
    "jugé", "tranché", "confié", "précisé", "plaidé", "a-t-on",
    # German
    "sagte", "erklärte", "betonte", "fügte", "hinzu", "sagt", "erklärt", "betont", "warnte", "meinte",
    "kritisierte", "laut", "zufolge", "schrieb", "räumte", "versicherte", "forderte",
    "bekräftigte", "stellte", "unterstrich", "mahnte", "antwortete",
)  # fmt: skip
_VERB_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in sorted(_SPEECH_VERBS, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
# Words that stand for the last speaker.
_PRONOUN_SPEECH = re.compile(
    r"\b(?:(?:he|she|they)\s+(?:said|added|told|continued|insisted|warned|argued|explained|noted|stressed|went on|replied|answered)"
    r"|(?:said|added|continued|insisted)\s+(?:he|she)\b"
    r"|a-t-(?:il|elle)\s+\w+|(?:il|elle)\s+a\s+(?:ajouté|poursuivi|déclaré|insisté|dit|estimé|expliqué|précisé|assuré)"
    r"|(?:fügte|sagte|erklärte|betonte|warnte|meinte|so)\s+(?:er|sie)\b|(?:er|sie)\s+(?:sagte|fügte|erklärte|betonte|warnte))",
    re.IGNORECASE,
)
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’\-]+|[A-ZÀ-ÖØ-Þ]\.)"
_PARTICLE = r"(?:von der|van der|van den|de la|de|du|von|van|di|da|al)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
_AFTER_VERB = re.compile(
    r"(?:said|says|told|added|according to|a déclaré|a affirmé|a dit|a ajouté|a poursuivi|a estimé|a expliqué|a indiqué"
    r"|a assuré|a souligné|a lancé|a répondu|a rappelé|a prévenu|a reconnu|selon|d'après|d’après|déclare|affirme|estime"
    r"|sagte|erklärte|betonte|warnte|meinte|laut|so|schrieb|insisted|warned|explained|noted|stressed)"
    rf"\s+(?:(?:the|le|la|der|die)\s+[\w\s-]{{0,40}}?,\s+|(?:[a-zà-ÿ0-9]+\s+){{1,4}})?(?P<name>{_NAME})",
)
_BEFORE_VERB = re.compile(
    rf"(?P<name>{_NAME})(?:,\s+[^,]{{1,80}},)?,?\s+(?:said|says|told|added|warned|insisted|argued|explained|stressed|wrote"
    r"|called|described|blamed|dismissed|accused|denounced"
    r"|a déclaré|a affirmé|a dit|a ajouté|a estimé|a expliqué|a indiqué|a assuré|a souligné|a lancé|a répondu|a prévenu"
    r"|sagte|erklärte|betonte|warnte|meinte|schrieb)\b"
)
_TITLE_WORD = re.compile(
    r"(?:Prime|Minister|President|Chancellor|Secretary|Senator|Governor|Mayor|General|Foreign|Defen[cs]e|Finance|"
    r"Interior|Health|Deputy|Vice|Chief|Spokesman|Spokeswoman|Spokesperson|Director|Commissioner|Ambassador|"
    r"Président|Présidente|Ministre|Premier|Première|Maire|Porte-parole|Général|"
    r"\w*(?:[Mm]inister|[Mm]inisterin|[Kk]anzler|[Kk]anzlerin|[Pp]räsident|[Pp]räsidentin|[Ss]precher|[Ss]precherin|"
    r"[Cc]hef|[Cc]hefin|[Vv]orsitzende|[Vv]orsitzender|[Bb]ürgermeister|[Bb]ürgermeisterin|[Ss]ekretär|[Ss]ekretärin))"
)
_TITLED = re.compile(rf"(?<![\w-])(?:{_TITLE_WORD.pattern})\s+(?P<name>{_NAME})")
_ORG_WORDS = {"Institute", "Party", "Stadtrat", "Ministry", "University", "Council", "Commission", "Union", "Group", "Bank",
              "Assemblée", "Parlement", "Parliament", "Bundestag", "Kommission", "Partei", "Office", "House"}  # fmt: skip


def _person(run: str) -> str | None:
    """The person's name in a run of capitalised words after a title ("Minister Erik Brandt",
    "Lardenian President Sofia Marek"), or None when it does not look like one."""
    words = run.split()
    while words and (_TITLE_WORD.fullmatch(words[0]) or words[0] in _NOT_NAMES):
        words = words[1:]
    if len(words) > 2 and not any(re.fullmatch(_PARTICLE, w) for w in words):
        words = words[-2:]
    if len(words) < 2 or any(w in _ORG_WORDS or _TITLE_WORD.fullmatch(w) for w in words):
        return None
    return " ".join(words)


_NOT_NAMES = {"The", "Le", "La", "Les", "Der", "Die", "Das", "But", "Mais", "Aber", "In", "On", "At", "Monday", "Tuesday"}


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    slug: str | None
    name: str  # as written


_TOKEN = re.compile(r"[^\W_]+")
_NAME_GAP = re.compile(r"[ \t\u00a0\u202f'’\-]*")


class _Names:
    """Every actor name and alias, looked up word by word (a file may hold thousands of
    actors). Case matters for a one-word name ("Rutte", never "rutte"), not for a phrase
    ("le président français" at a sentence's start); ' and ’ and - between words are alike."""

    def __init__(self, speakers: Sequence[Speaker]):
        # A name stands for (an actor's slug, None), or (None, a full name) for a person the
        # text names who is not in the file (see add_person).
        self.words: dict[str, tuple[str | None, str | None]] = {}  # a one-word name as written
        # a phrase's first two words, casefolded -> (all its words, who), longest first
        self.phrases: dict[tuple[str, str], list[tuple[tuple[str, ...], tuple[str | None, str | None]]]] = {}
        self.seen: set[tuple[str, ...]] = set()
        for sp in speakers:
            for name in sp.names:
                self._add(name, (sp.slug, None))

    def _add(self, name: str, who: tuple[str | None, str | None]) -> None:
        words = _TOKEN.findall(name)
        if not words or len(name.strip()) < 2:
            return
        if len(words) == 1:
            self.words.setdefault(words[0], who)
            return
        key = tuple(w.casefold() for w in words)
        if key not in self.seen:
            self.seen.add(key)
            entries = self.phrases.setdefault(key[:2], [])
            entries.append((key, who))
            entries.sort(key=lambda e: -len(e[0]))

    def add_person(self, full_name: str) -> None:
        """A person the text names ("Ida Frey") with no actor of that name: found by the full
        name and by the surname alone, unless an actor has either."""
        if tuple(w.casefold() for w in _TOKEN.findall(full_name)) in self.seen:
            return
        self._add(full_name, (None, full_name))
        self._add(full_name.split()[-1], (None, full_name))

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


def _mentions(masked: str, lo: int, hi: int, names: _Names) -> list[_Mention]:
    if not names:
        return []
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(masked, lo, hi)]
    found: list[_Mention] = []
    i = 0
    while i < len(tokens):
        n, who = 0, None
        if i + 1 < len(tokens) and _NAME_GAP.fullmatch(masked, tokens[i][1], tokens[i + 1][0]):
            for seq, phrase_who in names.phrases.get((tokens[i][2].casefold(), tokens[i + 1][2].casefold()), ()):
                run = tokens[i : i + len(seq)]
                if len(run) == len(seq) and all(t[2].casefold() == w for t, w in zip(run[2:], seq[2:])) and all(
                    _NAME_GAP.fullmatch(masked, run[j][1], run[j + 1][0]) for j in range(1, len(seq) - 1)
                ):
                    n, who = len(seq), phrase_who
                    break
        if who is None and tokens[i][2] in names.words:
            n, who = 1, names.words[tokens[i][2]]
        if who is None:
            i += 1
            continue
        start, end = tokens[i][0], tokens[i + n - 1][1]
        slug, full_name = who
        found.append(_Mention(start, end, slug, full_name or masked[start:end]))
        i += n
    return found


def _proper_name(text: str) -> bool:
    words = text.split()
    return bool(words) and all(w[:1].isupper() or w in {"de", "du", "von", "van", "der", "den", "la", "le"} for w in words)


def _unknown_names(masked: str, lo: int, hi: int) -> list[_Mention]:
    """Capitalised names a speech verb attaches to in masked[lo:hi] (no actor matched them)."""
    found = []
    segment = masked[lo:hi]
    for pattern in (_AFTER_VERB, _BEFORE_VERB):
        for m in pattern.finditer(segment):
            name = m.group("name")
            words = [(w.start(), w.group()) for w in re.finditer(r"\S+", name)]
            skip = 0
            while skip < len(words) and _TITLE_WORD.fullmatch(words[skip][1]):
                skip += 1  # "Prime Minister Jane Doe", "Innenministerin Petra Kalb"
            rest = words[skip:]
            if len(rest) > 2 and not any(re.fullmatch(_PARTICLE, w) for _, w in rest):
                rest = rest[-2:]  # "Trade Minister Daniel Okafor": a title the list above lacks
            if len(rest) < 2 or rest[0][1] in _NOT_NAMES:
                continue
            begin = lo + m.start("name") + rest[0][0]
            found.append(_Mention(begin, lo + m.end("name"), None, masked[begin : lo + m.end("name")]))
    return found


_SURNAME_VERB = re.compile(
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+),?\s+(?:said|says|told|added|a déclaré|a ajouté|a dit|sagte|erklärte|fügte)\b"
    r"|(?:said|told|added|a déclaré|a ajouté|selon|sagte|so|laut)\s+(?P<name2>[A-ZÀ-ÖØ-Þ][\w'’-]+)\b"
)


def _surnames(masked: str, lo: int, hi: int, full_names: dict[str, str]) -> list[_Mention]:
    """A surname alone beside a speech verb ("Frey said") for a person the text named in full."""
    found = []
    for m in _SURNAME_VERB.finditer(masked, lo, hi):
        group = "name" if m.group("name") else "name2"
        if m.group(group) in full_names:
            found.append(_Mention(m.start(group), m.end(group), None, full_names[m.group(group)]))
    return found


class _Verbs:
    """The speech verbs of the whole text, found once; those of a sentence by bisection."""

    def __init__(self, masked: str):
        self.spans = [(m.start(), m.end()) for m in _VERB_RE.finditer(masked)]
        self.masked = masked

    def between(self, lo: int, hi: int) -> list[tuple[int, int]]:
        found = self.spans[bisect_left(self.spans, (lo, -1)) : bisect_left(self.spans, (hi, -1))]
        # "Asked whether she would serve under Aberg, she replied": the question is not Aberg's.
        return [v for v in found if v[1] <= hi and not (v[0] == lo and self.masked[v[0] : v[1]] == "Asked")]


WINDOW = 400  # characters of the quote's sentence looked at on either side of it
ATTACHED = 30  # characters between a speech verb and a name it attaches to ("a affirmé lundi 26 février Emmanuel Macron")


def _gap(m: _Mention, verb: tuple[int, int]) -> int:
    return verb[0] - m.end if verb[0] >= m.end else (m.start - verb[1] if m.start >= verb[1] else 0)


def _pick(mentions: list[_Mention], verbs: list[tuple[int, int]], near: int) -> _Mention | None:
    """The mention a speech verb attaches to (the closest to one), else the sentence's first
    (its subject, in news style)."""
    if not mentions:
        return None
    attached = [(min(_gap(m, v) for v in verbs), m) for m in mentions if verbs and min(_gap(m, v) for v in verbs) <= ATTACHED]
    if attached:
        return min(attached, key=lambda gm: (gm[0], abs(gm[1].start - near)))[1]
    return min(mentions, key=lambda m: m.start)


# An unnamed speaker ("a senior official said", "confiait un étudiant", "hieß es in einer Erklärung"):
# the quote has no speaker rather than the last one named.
_ANONYMOUS = re.compile(
    r"\b(?:(?:a|an|one|un|une|ein|eine|einer|einem)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:official|officials|source|diplomat|aide|adviser|advisor|resident|student|voter|conseill[eè]re?|diplomate|"
    r"étudiante?|habitante?|responsable|proche|électeur|électrice|Diplomat|Beamte[rn]?|Mitarbeiter(?:in)?|Bürger(?:in)?|"
    r"infirmière|infirmier|passante?|manifestante?|usagère|usager|commerçante?|retraitée?|witness|passer-by|protester|"
    r"nurse|worker|teacher|Anwohner(?:in)?|Passant(?:in)?|Demonstrant(?:in)?|Rentner(?:in)?)"
    r"|observers|critics|experts|environmental groups|observateurs|Umweltverbände\w*|Verbände\w*"
    r"|the statement (?:read|said)|(?:le|un|dans un) communiqué|in (?:a|einer) (?:statement|Erklärung)"
    r"|la direction|le ministère|the ministry|the company|l[’']entreprise|la compagnie|das Ministerium"
    r"|hieß es|heißt es|selon une source|according to (?:a|one)|de source)\b",
    re.IGNORECASE,
)
_SUBJECT_VERB = r"(?:a|avait|est|était|has|had|is|was|hat|ist|war|wird|will)"
_APPOSITION = re.compile(
    rf"(?:^|,\s+)(?P<name>{_NAME}),?\s+(?:n[’']|ne\s+|s[’']|se\s+|lui\s+|leur\s+|y\s+|en\s+)?(?:{_SUBJECT_VERB}|[a-z]+ed)\s"
)
# "His rival, Lena Strand, whose…", "le président kestrien, Anton Vilar, les…": a person presented by a role.
_APPOSED = re.compile(rf"[a-zà-ÿ]+,\s+(?P<name>{_NAME}),")


def _subject_like(masked: str, m: _Mention, sentence_start: int) -> bool:
    """Whether a mention reads as the subject of its sentence: near its start, or followed by a verb."""
    return m.start - sentence_start <= 30 or bool(re.match(rf",?\s+(?:[^,]{{1,60}},\s+)?(?:n[’']|ne\s+|s[’']|se\s+|lui\s+|leur\s+|y\s+|en\s+)?(?:{_SUBJECT_VERB}|[a-z]+ed)\s", masked[m.end : m.end + 80]))


def find_quotes(article: Article, speakers: Sequence[Speaker]) -> list[FoundQuote]:
    """The article's quotations, in text order, with their speakers, dates and languages."""
    text = article.text
    spans = quotation_spans(text)
    if not spans:
        return []
    masked = mask_quotations(text, spans)
    sentences = sentence_spans(masked)
    patterns = _Names(speakers)
    all_verbs = _Verbs(masked)
    first_names = {sp.slug: sp.names[0] for sp in reversed(speakers) if sp.names}
    article_lang = article.language or detect_language(text)
    # People the text names without an actor in the file, so that "Frey said" finds "Ida Frey".
    full_names = {m.name.split()[-1]: m.name for m in _unknown_names(masked, 0, len(masked))}
    full_names.update({m.group("name").split()[-1]: m.group("name") for m in _APPOSITION.finditer(masked)})
    for m in [*_TITLED.finditer(masked), *_APPOSED.finditer(masked)]:
        person = _person(m.group("name"))
        if person:
            full_names.setdefault(person.split()[-1], person)
    for person in full_names.values():
        patterns.add_person(person)
    result: list[FoundQuote] = []
    last: _Mention | None = None
    last_dated: str | None = None
    k = 0
    for start, end in spans:
        while k < len(sentences) - 1 and sentences[k][1] <= start:
            k += 1
        first_k = k
        last_k = first_k
        while last_k < len(sentences) - 1 and sentences[last_k][1] < end:
            last_k += 1
        lo, hi = sentences[first_k][0], sentences[last_k][1]
        lo, hi = max(lo, start - WINDOW), min(hi, end + WINDOW)  # a run-on "sentence" (a list, a table) stays cheap
        mentions = _mentions(masked, lo, hi, patterns)
        verbs = all_verbs.between(lo, hi)
        unknown = _unknown_names(masked, lo, hi) + _surnames(masked, lo, hi, full_names)
        unknown = [u for u in unknown if not any(m.start < u.end and u.start < m.end for m in mentions)]
        pronoun = _PRONOUN_SPEECH.search(masked, lo, hi)
        chosen: _Mention | None = None
        named = _pick(mentions + unknown, verbs, start)
        attached = named is not None and any(
            _gap(named, v) <= ATTACHED for v in verbs if not (pronoun and pronoun.start() <= v[0] < pronoun.end())
        )
        if named is not None and not attached and not pronoun and not _subject_like(masked, named, lo) and last is not None:
            # Named only in passing ("… sur la position de la France, évoquant une « … »"): the
            # sentence's subject is someone the file does not name ("Le chef de l'Etat"), so
            # the speaker named last is likelier than the country in the middle of the sentence.
            named = None
        if named is not None and (not pronoun or attached):
            chosen = named
        elif not pronoun and _ANONYMOUS.search(masked, lo, hi):
            chosen = None
        else:  # "he added", or no name at all: the speaker named last before the quote
            candidates = [last] if last is not None and last.start < start else []
            for back in range(max(0, first_k - 3), first_k + 1):
                b_lo, b_hi = max(sentences[back][0], start - 2 * WINDOW), min(sentences[back][1], start)
                if b_lo >= b_hi:
                    continue
                known = _mentions(masked, b_lo, b_hi, patterns)
                candidates += [m for m in known if _subject_like(masked, m, b_lo)]
                candidates += [
                    _Mention(b_lo + m.start("name"), b_lo + m.end("name"), None, m.group("name"))
                    for m in _APPOSITION.finditer(masked[b_lo:b_hi])
                    if not any(x.start <= b_lo + m.start("name") < x.end for x in known)
                ]
            chosen = max(candidates, key=lambda m: m.start) if candidates else None
        if chosen is not None:
            last = chosen
        sentence = masked[lo:hi]
        quote = text[start:end]
        said_on = sentence_date(sentence, article.published)
        if said_on is None and result and chosen is not None and result[-1].speaker_name == (
            _speaker_name(chosen, first_names)) and last_dated is not None:
            said_on = last_dated  # the same speaker going on: the same occasion
        last_dated = said_on
        result.append(
            FoundQuote(
                text=quote,
                start=start,
                end=end,
                speaker=chosen.slug if chosen else None,
                speaker_name=_speaker_name(chosen, first_names) if chosen else None,
                date=said_on or article.published,
                lang=detect_language(quote, article_lang),
            )
        )
    return result


def _speaker_name(mention: _Mention, first_names: dict[str, str]) -> str:
    """The name as written when it is one ("Emmanuel Macron", "Macron"), else the actor's own
    name (for "le président français")."""
    if mention.slug is None or _proper_name(mention.name):
        return mention.name
    return first_names.get(mention.slug, mention.name)
