"""Synthetic datasets in the JSONL exchange format, for benchmarks.

    python benchmarks/generate.py --positions 1000000 --actors 2000 --questions 500 -o big.jsonl

Deterministic for a given --seed. Dates are mostly days, some months and years
(a few approximate); quotes run from empty to a few hundred words, in several
languages; every position cites one of a pool of sources.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from datetime import date, timedelta

WORDS = (
    "nous ne pouvons pas exclure envoi troupes sol la Russie ne doit pas gagner cette guerre "
    "we will not send tanks planes missiles now but nothing is off the table support Ukraine "
    "wir werden keine Waffen liefern die Lage hat sich geändert Verantwortung Bündnis Sicherheit"
).split()
LEVELS = ("ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented")
KINDS = ("person", "government", "organisation", "party", "alliance", "other")
LANGS = ("fr", "en", "de", "pl", "it")


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def generate(out, *, positions: int, actors: int, questions: int, sources: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(actors):
        out.write(line({"type": "actor", "uid": uid(rng), "slug": f"actor-{i:05d}", "name": f"Actor {i:05d} {rng.choice(WORDS).title()}",
                        "kind": rng.choice(KINDS), "country": None, "parent": None, "aliases": [f"A{i}"]}))  # fmt: skip
    for i in range(questions):
        out.write(line({"type": "question", "uid": uid(rng), "slug": f"question-{i:04d}", "title": f"Question {i:04d}: " + " ".join(rng.choices(WORDS, k=6)),
                        "description": " ".join(rng.choices(WORDS, k=20)), "scale": "commitment", "tags": ["synthetic"]}))  # fmt: skip
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
        words = int(rng.expovariate(1 / 40)) if rng.random() < 0.7 else 0
        quote = " ".join(rng.choices(WORDS, k=words))
        out.write(line({
            "type": "position", "uid": uid(rng), "actor": f"actor-{rng.randrange(actors):05d}",
            "question": f"question-{rng.randrange(questions):04d}", "stance": rng.choice(LEVELS), "date": when,
            "quote": quote, "quote_lang": rng.choice(LANGS) if quote else "",
            "paraphrase": "" if quote else " ".join(rng.choices(WORDS, k=15)), "context": "", "source": rng.choice(source_uids),
            "confidence": rng.choice(("confirmed", "reported", "inferred")), "notes": "", "tags": [],
        }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--sources", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        generate(out, positions=args.positions, actors=args.actors, questions=args.questions, sources=args.sources, seed=args.seed)


if __name__ == "__main__":
    main()
