"""The question form: title, slug (made from the title unless typed), the scale
its stances use, description and tags. Dismissed with the new Question, or None."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from tracker.domain.models import Question, Scale
from tracker.domain.scales import DEFAULT_SCALE
from tracker.store import Store
from tracker.tui.forms.actor_form import slug_check
from tracker.tui.forms.base import SlugForm
from tracker.tui.forms.checks import Verdict, choice_check, guarded, list_check, text_check
from tracker.tui.forms.field import FormField


class QuestionForm(SlugForm[Question]):
    """A new question, its title typed in already (from "create new question “…”")."""

    FORM_TITLE = "New question"
    DRAFT_KIND = "question"

    def __init__(self, title: str = ""):
        super().__init__(title)
        self.scales: dict[str, Scale] = {}

    def compose_fields(self) -> ComposeResult:
        title = FormField("Title", id="title", checker=text_check("title", required=True), value=self.typed)
        title.initial = ""  # carried over from the position form: counts as typed
        yield title
        yield FormField(
            "Slug",
            id="slug",
            checker=slug_check("question", title, self.taken, "title"),
            placeholder="made from the title",
        )
        yield FormField("Scale", id="scale", checker=guarded(self.check_scale, "scale"), placeholder=DEFAULT_SCALE)
        yield FormField("Description", id="description", multiline=True, hint="optional")
        yield FormField("Tags", id="tags", checker=list_check("tags", "tag"), placeholder="comma separated")

    def check_scale(self, text: str) -> Verdict:
        if not self.scales:
            return Verdict(error="loading the scales…", empty=not text.strip())
        found = choice_check("scale", sorted(self.scales), DEFAULT_SCALE)(text)
        if not found.ok:
            return found
        scale = self.scales[found.value]
        levels = " < ".join(lv.key for lv in scale.levels)
        return Verdict(scale.key, preview=f"→ {scale.key}: {levels}", empty=found.empty)

    def load(self, store: Store) -> dict[str, Any]:
        return {"questions": store.questions(), "scales": {s.key: s for s in store.scales()}}

    def loaded_data(self, data: dict[str, Any]) -> None:
        self.taken.update(q.slug for q in data["questions"])
        self.scales.update(data["scales"])

    def on_form_field_changed(self, event: FormField.Changed) -> None:
        if event.field.id == "title":
            self.field("slug").recheck()

    def write(self, store: Store, values: dict[str, Any]) -> Question:
        return store.add_question(
            values["title"],
            slug=values["slug"],
            scale=values["scale"],
            description=values["description"] or "",
            tags=list(values["tags"] or ()),
        )
