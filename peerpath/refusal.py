"""The one refusal type of the project (imports nothing, so pure modules may raise it).

The central error handler (peerpath.errors) turns an uncaught one into a page or a JSON body.
"""

from __future__ import annotations


class Refused(Exception):
    """A request a service will not carry out as asked: the one refusal type of the project.

    `message` is a sentence for the person who asked (plain words, safe to show them);
    `problems` maps form fields to messages (`"_form"` when no one field is at fault), so an
    HTML page can show an error summary and the API a 409 with the same words. Services
    raise it (or a subclass that carries more, e.g. the next application window); views
    catch it; peerpath.errors turns any they do not catch into a page or JSON body, never
    a 500.
    """

    status = 409

    def __init__(self, message: str | dict[str, str], *, field: str | None = None,
                 status: int | None = None):
        if isinstance(message, dict):
            problems = {str(k): v for k, v in message.items()}
            text = "; ".join(str(v) for v in problems.values())
            field = field or next(iter(problems), None)
        else:
            text = message
            problems = {field or "_form": message}
        super().__init__(text)
        self.message, self.field, self.problems = text, field, problems
        if status is not None:
            self.status = status

    @property
    def reason(self) -> str:
        return self.message
