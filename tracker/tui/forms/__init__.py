"""Keyboard-only entry forms: position, actor, question, source and scale.

Each is a screen to push with a callback that receives the saved record, or None
when the form was cancelled: ``app.push_screen(PositionForm(actor_id=3), done)``.
"""

from tracker.tui.forms.actor_form import ActorForm
from tracker.tui.forms.position_form import CapturePrefill, PositionForm
from tracker.tui.forms.question_form import QuestionForm
from tracker.tui.forms.scale_form import ScaleForm
from tracker.tui.forms.source_form import SourceForm

__all__ = ["ActorForm", "CapturePrefill", "PositionForm", "QuestionForm", "ScaleForm", "SourceForm"]
