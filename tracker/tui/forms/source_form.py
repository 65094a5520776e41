"""The source form: URL, title, outlet, publication date (with a preview) and
language. A source needs a URL or a title. Dismissed with the new Source, or None."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from tracker.domain import validation
from tracker.domain.models import Source
from tracker.store import Store
from tracker.tui.base import tracker_app
from tracker.tui.forms.base import FormScreen
from tracker.tui.forms.checks import Verdict, date_check, guarded, language_check, text_check
from tracker.tui.forms.field import FormField


class SourceForm(FormScreen[Source]):
    """A new source; ``text`` (from "create new source “…”") goes to the URL when it is
    one, else to the title."""

    FORM_TITLE = "New source"
    DRAFT_KIND = "source"

    def __init__(self, text: str = ""):
        super().__init__()
        self.text = text
        text = text.strip()
        is_url = text.lower().startswith(("http://", "https://"))
        self.url_text = text if is_url else ""
        self.title_text = "" if is_url else text
        self.urls: set[str] = set()

    def draft_args(self) -> dict[str, Any]:
        return {"text": self.text}

    def compose_fields(self) -> ComposeResult:
        url = FormField("URL", id="url", checker=guarded(self.check_url, "url"), value=self.url_text, hint="optional")
        title = FormField("Title", id="title", checker=text_check("title"), value=self.title_text)
        url.initial = title.initial = ""  # carried over from the position form: counts as typed
        yield url
        yield title
        yield FormField("Outlet", id="outlet", checker=text_check("outlet"), placeholder="Le Monde, Reuters…")
        yield FormField(
            "Published",
            id="published",
            checker=date_check("published", lambda: tracker_app(self).today, required=False),
            placeholder="26 Feb 2024, 2024-02… (optional)",
        )
        yield FormField("Language", id="language", checker=language_check("language"), placeholder="fr, en, pt-BR")

    def check_url(self, text: str) -> Verdict:
        url = validation.check_url(text.strip())
        if url is None:
            return Verdict(None, empty=True)
        if url in self.urls:
            return Verdict(error=f"a source with the URL {url!r} already exists: pick it in the list instead")
        return Verdict(url)

    def form_errors(self) -> list[tuple[str, str]]:
        if not self.field("url").value.strip() and not self.field("title").value.strip():
            return [("url", "a source needs a URL or a title")]
        return []

    def load(self, store: Store) -> set[str]:
        return {s.url for s in store.sources() if s.url}

    def loaded_data(self, urls: set[str]) -> None:
        self.urls.update(urls)

    def write(self, store: Store, values: dict[str, Any]) -> Source:
        return store.add_source(
            url=values["url"],
            title=values["title"] or "",
            outlet=values["outlet"] or "",
            published=values["published"],
            language=values["language"] or "",
        )
