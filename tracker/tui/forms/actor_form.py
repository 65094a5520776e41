"""The actor form: name, slug (made from the name unless typed), kind, country,
parent actor and aliases. Dismissed with the new Actor, or None."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult

from tracker.domain import validation
from tracker.domain.models import ACTOR_KINDS, Actor
from tracker.store import Store
from tracker.tui.forms.base import SlugForm
from tracker.tui.forms.checks import Verdict, choice_check, guarded, list_check, text_check
from tracker.tui.forms.field import FormField
from tracker.tui.forms.lookup_field import LookupField
from tracker.tui.forms.matching import actor_candidate


def slug_check(what: str, source_field: FormField, taken: set[str], source_name: str) -> Any:
    """A typed slug, or the one made from ``source_field`` (a name, a title) when left
    empty; either must be free among ``taken``."""

    def run(text: str) -> Verdict:
        typed = text.strip()
        if typed:
            slug = validation.check_slug(typed)
            made = False
        else:
            slug = validation.slugify(source_field.value)
            made = True
            if not slug:
                if source_field.value.strip():
                    return Verdict(error=f"cannot make a slug from the {source_name}: type one", empty=True)
                return Verdict(None, empty=True)  # the missing name says it already
        if slug in taken:
            article = "an" if what[:1] in "aeiou" else "a"
            return Verdict(error=f"{article} {what} with the slug {slug!r} already exists; type another slug")
        return Verdict(slug, preview=f"→ {slug}" + (f" (from the {source_name})" if made else ""), empty=made)

    return guarded(run, "slug")


def country_check(text: str) -> Verdict:
    code = validation.check_country(text.strip())
    return Verdict(code, preview=f"→ {code}" if code else "", empty=code is None)


def aliases_check(text: str) -> Verdict:
    """Comma-separated aliases, counted in good English: "→ 1 alias", "→ 2 aliases"
    (list_check would make "aliass")."""
    found = _ALIASES(text)
    if found.ok and found.value:
        count = len(found.value)  # type: ignore[arg-type]
        return replace(found, preview=f"→ {count} alias{'' if count == 1 else 'es'}")
    return found


_ALIASES = list_check("aliases", "alias")


class ActorForm(SlugForm[Actor]):
    """A new actor, its name typed in already (from "create new actor “…”")."""

    FORM_TITLE = "New actor"
    DRAFT_KIND = "actor"

    def compose_fields(self) -> ComposeResult:
        name = FormField("Name", id="name", checker=text_check("name", required=True), value=self.typed)
        name.initial = ""  # a name carried over from the position form counts as typed
        yield name
        yield FormField(
            "Slug", id="slug", checker=slug_check("actor", name, self.taken, "name"), placeholder="made from the name"
        )
        yield FormField(
            "Kind",
            id="kind",
            checker=choice_check("kind", ACTOR_KINDS, "other"),
            placeholder=" / ".join(ACTOR_KINDS),
        )
        yield FormField(
            "Country", id="country", checker=guarded(country_check, "country"), placeholder="FR, DE… (optional)"
        )
        yield LookupField(
            "Parent", id="parent", noun="actor", required=False, create=False, placeholder="optional: Macron → France"
        )
        yield FormField(
            "Aliases",
            id="aliases",
            checker=guarded(aliases_check, "aliases"),
            placeholder="comma separated: Macron, le président",
        )

    def load(self, store: Store) -> list[Actor]:
        return store.actors()

    def loaded_data(self, actors: list[Actor]) -> None:
        self.taken.update(a.slug for a in actors)
        self.lookup("parent").set_candidates([actor_candidate(a) for a in actors])

    def on_form_field_changed(self, event: FormField.Changed) -> None:
        if event.field.id == "name":
            self.field("slug").recheck()

    def write(self, store: Store, values: dict[str, Any]) -> Actor:
        parent: Actor | None = values["parent"]
        return store.add_actor(
            values["name"],
            slug=values["slug"],
            kind=values["kind"],
            country=values["country"],
            parent=parent.slug if parent is not None else None,
            aliases=list(values["aliases"] or ()),
        )
