"""Forms and drafts (tracker.tui.drafts): the forms on screen as drafts, and a draft's forms
opened again, each as it was opened the first time (what it was opened with is read from
the file as untrusted: anything out of shape refuses the draft, in one line)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from tracker.tui.drafts import Draft, FormDraft
from tracker.tui.forms.base import FormScreen
from tracker.tui.forms.lookup_field import LookupField

if TYPE_CHECKING:
    from textual.app import App


def form_drafts(app: App, leaving: FormScreen | None = None) -> list[FormDraft]:
    """What is typed in the forms of the screen stack, bottom to top (but ``leaving``, a form
    being closed)."""
    found = []
    for screen in app.screen_stack:
        if isinstance(screen, FormScreen) and screen is not leaving:
            draft = screen.draft()
            if draft is not None:
                found.append(draft)
    return found


async def reopen(app: App, draft: Draft) -> None:
    """Open ``draft``'s forms over the current screen, each with its text put back; a form
    that made a record for a field of the one below it is opened from that field again, so
    that what it saves fills the field. ValueError (nothing opened) when what a form was
    opened with is out of shape."""
    made = [make_form(form.kind, form.args) for form in draft.forms]  # all checked before any opens
    below: FormScreen | None = None
    for form, form_draft in zip(made, draft.forms):
        restoring = (form_draft, draft.kept_at)
        field = _field(below, form_draft.opened_for) if below is not None else None
        if field is not None:
            opened = below.open_create(field, _carried_text(form_draft.args), restoring)
            if opened is not None:
                below = opened
                continue
        form.restore(*restoring)
        await app.push_screen(form)
        below = form


def _field(form: FormScreen, field_id: str | None) -> LookupField | None:
    if field_id is None:
        return None
    return next((f for f in form.fields if f.id == field_id and isinstance(f, LookupField)), None)


def _carried_text(args: dict[str, Any]) -> str:
    """The text a form opened from a lookup field was given (a new actor's name...)."""
    return next((args[k] for k in ("typed", "text") if isinstance(args.get(k), str)), "")


def make_form(kind: str, args: dict[str, Any]) -> FormScreen:
    """The form of ``kind`` opened with ``args`` (a form's ``draft_args``), or ValueError."""
    if kind == "position":
        from tracker.tui.forms.position_form import CapturePrefill, PositionForm

        prefill = args.get("prefill")
        if prefill is not None:
            names = {f.name for f in dataclass_fields(CapturePrefill)}
            if not isinstance(prefill, dict) or set(prefill) != names or not all(_optional_text(v) for v in prefill.values()):
                raise ValueError("a capture's prefill out of shape")
            prefill = CapturePrefill(**prefill)
        return PositionForm(
            _optional_id(args.get("position_id")),
            actor_id=_optional_id(args.get("actor_id")),
            question_id=_optional_id(args.get("question_id")),
            prefill=prefill,
        )
    if kind == "actor":
        from tracker.tui.forms.actor_form import ActorForm

        return ActorForm(_text(args.get("typed", "")))
    if kind == "question":
        from tracker.tui.forms.question_form import QuestionForm

        return QuestionForm(_text(args.get("typed", "")))
    if kind == "source":
        from tracker.tui.forms.source_form import SourceForm

        return SourceForm(_text(args.get("text", "")))
    if kind == "scale":
        from tracker.tui.forms.scale_form import ScaleForm

        key = args.get("scale_key")
        if not _optional_text(key):
            raise ValueError("a scale key out of shape")
        return ScaleForm(key)
    raise ValueError(f"no form of kind {kind!r}")


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("a text out of shape")
    return value


def _optional_id(value: object) -> int | None:
    if value is not None and (type(value) is not int or value < 1):
        raise ValueError("a record id out of shape")
    return value
