"""Synthetic datasets in the JSONL exchange format, for benchmarks.

    python benchmarks/generate.py --positions 1000000 --actors 2000 --questions 500 -o big.jsonl

    python benchmarks/generate.py --short-quotes -o short.jsonl   # the second shape

Deterministic for a given --seed. Dates are mostly days, some months and years
(a few approximate); quotes run from empty to a few hundred words, in several
languages; every position cites one of a pool of sources. Every question has the tag
"synthetic", and each run of 20 questions a tag of its own ("group-00" for the first 20),
so the movers of a tag's questions can be measured. With --short-quotes, the second
shape: quotes (and paraphrases) of two to ten words from a vocabulary of 200
(``SHORT_WORDS``), each word as likely: many short texts and few distinct words, the
most rows a megabyte. The default shape is unchanged by the option (the same bytes for
the same seed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from datetime import date, timedelta
from itertools import accumulate

# The vocabulary: real words of the domain, in the languages the quotes use, then made-up
# words built from syllables, 30,000 in all. Words are drawn with Zipf's law (the n-th most
# common word 1/n as often as the first), as in real text: a few words are in most quotes,
# most words in a handful, so searches range from huge match sets to tiny ones.
REAL_WORDS = (
    "nous ne pouvons pas exclure envoi troupes sol la Russie ne doit pas gagner cette guerre "
    "we will not send tanks planes missiles now but nothing is off the table support Ukraine "
    "wir werden keine Waffen liefern die Lage hat sich geändert Verantwortung Bündnis Sicherheit "
    "le les des une et en pour dans sur avec qui président gouvernement ministre défense armée aide "
    "the and of to in for on with that this government minister defence army aid president allies "
    "der und zu den mit für auf Regierung Kanzler Verteidigung Armee Hilfe Panzer Frieden Sanktionen "
    "sanctions peace ceasefire negotiations weapons ammunition artillery drones funding loans "
    "sanctions paix cessez-le-feu négociations armes munitions artillerie financement prêts "
    "Verhandlungen Munition Artillerie Finanzierung Kredite Waffenstillstand Europa Europe OTAN NATO "
    "sovereignty territory border security guarantees membership accession referendum parliament vote "
    "souveraineté territoire frontière garanties adhésion parlement élection coalition opposition "
    "Souveränität Grenze Garantien Mitgliedschaft Beitritt Parlament Wahl Koalition Opposition"
).split()
_ONSETS = ("b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "pl", "gr", "sch", "ch")
_VOWELS = ("a", "e", "i", "o", "u", "é", "ü", "ai", "ou", "ie")
_CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "st")


def vocabulary(size: int = 30_000, seed: int = 0) -> list[str]:
    """``size`` distinct words, the real ones first (the most common), then made-up ones."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(REAL_WORDS))
    seen = {w.casefold() for w in words}
    while len(words) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


WORDS = vocabulary()
_ZIPF = list(accumulate(1 / rank for rank in range(1, len(WORDS) + 1)))  # cumulative weights


SHORT_WORDS = WORDS[:200]  # the vocabulary of --short-quotes: the real words, then a few made-up ones


def words(rng: random.Random, k: int) -> str:
    """``k`` words drawn from the vocabulary by Zipf's law, joined by spaces."""
    return " ".join(rng.choices(WORDS, cum_weights=_ZIPF, k=k))


def short_words(rng: random.Random, low: int, high: int) -> str:
    """Between ``low`` and ``high`` words of ``SHORT_WORDS``, each as likely, joined by spaces."""
    return " ".join(rng.choices(SHORT_WORDS, k=rng.randint(low, high)))


LEVELS = ("ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented")
KINDS = ("person", "government", "organisation", "party", "alliance", "other")
LANGS = ("fr", "en", "de", "pl", "it")


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def generate(
    out, *, positions: int, actors: int, questions: int, sources: int, seed: int, short_quotes: bool = False
) -> None:
    rng = random.Random(seed)
    for i in range(actors):
        out.write(line({"type": "actor", "uid": uid(rng), "slug": f"actor-{i:05d}", "name": f"Actor {i:05d} {rng.choice(WORDS[:2000]).title()}",
                        "kind": rng.choice(KINDS), "country": None, "parent": None, "aliases": [f"A{i}"]}))  # fmt: skip
    for i in range(questions):
        out.write(line({"type": "question", "uid": uid(rng), "slug": f"question-{i:04d}", "title": f"Question {i:04d}: " + words(rng, 6),
                        "description": words(rng, 20), "scale": "commitment", "tags": ["synthetic", f"group-{i // 20:02d}"]}))  # fmt: skip
    source_uids = [uid(rng) for _ in range(sources)]
    for i, s in enumerate(source_uids):
        out.write(line({"type": "source", "uid": s, "url": f"https://example.org/article/{i}", "title": f"Article {i}",
                        "outlet": f"Outlet {i % 50}", "published": "2024-02-27", "language": rng.choice(LANGS)}))  # fmt: skip
    start = date(2014, 1, 1)
    for _ in range(positions):
        day = start + timedelta(days=rng.randrange(4000))
        kind = rng.random()
        when = day.isoformat() if kind < 0.8 else day.isoformat()[:7] if kind < 0.95 else str(day.year)
        if rng.random() < 0.03:
            when += "~"
        if short_quotes:
            quote = short_words(rng, 2, 8) if rng.random() < 0.7 else ""
        else:
            count = int(rng.expovariate(1 / 40)) if rng.random() < 0.7 else 0
            quote = words(rng, count)
        out.write(line({
            "type": "position", "uid": uid(rng), "actor": f"actor-{rng.randrange(actors):05d}",
            "question": f"question-{rng.randrange(questions):04d}", "stance": rng.choice(LEVELS), "date": when,
            "quote": quote, "quote_lang": rng.choice(LANGS) if quote else "",
            "paraphrase": "" if quote else short_words(rng, 3, 10) if short_quotes else words(rng, 15), "context": "", "source": rng.choice(source_uids),
            "confidence": rng.choice(("confirmed", "reported", "inferred")), "notes": "", "tags": [],
        }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--sources", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--short-quotes", action="store_true", help="Quotes of a few words from a vocabulary of 200.")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        generate(out, positions=args.positions, actors=args.actors, questions=args.questions, sources=args.sources, seed=args.seed,
                 short_quotes=args.short_quotes)  # fmt: skip


if __name__ == "__main__":
    main()
