"""What `heel-coach chat` itself prints, in the language of the chat: ``console.yaml``.

The console is how a person tries the skill without an Echo, so its banner, the help of its
``:`` commands, the notes under an answer and Alexa's own consent question are in the chat's
language (``--locale de-DE``: German), read through the same locale chain as the skill's words
(``en-GB`` reads ``en``). The commands themselves are the same in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from heel_coach.catalogue import _fields as f
from heel_coach.catalogue.locale_files import load_manifest, read_locale_file
from heel_coach.locales import choose
from heel_coach.resources import CONTENT_DIR

CONSOLE_FILE = "console.yaml"


@dataclass(frozen=True)
class ConsoleText:
    banner: str
    commands: str
    """The ``:help`` list."""
    reprompt: str
    """The note under an answer with a reprompt ("{reprompt}" is its text)."""
    session_ended: str
    silence: str
    """In place of the answer when Alexa says nothing."""
    asks: str
    asks_again: str
    question: str
    """Alexa's consent question ("{permission}" names what is asked)."""
    choices: str
    permissions: Mapping[str, str]
    """Permission scope -> how Alexa's question names it ("create reminders")."""
    yes: frozenset[str]
    no: frozenset[str]

    def consent_question(self, scope: str, *, again: bool = False) -> str:
        """ "[Alexa asks: Allow Heel Coach to create reminders? yes / no / (empty = no answer)]"."""
        what = self.permissions.get(scope, scope)
        asks = self.asks_again if again else self.asks
        return f"[{asks}: {self.question.format(permission=what)} {self.choices}]"


def console_text(locale: str, root: Path = CONTENT_DIR) -> ConsoleText:
    """The console's words for the locale the skill answers ``locale`` in."""
    tag = choose(locale, load_manifest(root).locales)
    raw, at = read_locale_file(root, tag, CONSOLE_FILE)
    data = f.mapping(raw, at, ("banner", "commands", "reprompt", "session_ended", "silence", "consent"))
    consent_at = at.key("consent")
    consent = f.mapping(
        data["consent"], consent_at, ("question", "asks", "asks_again", "choices", "permissions", "yes", "no")
    )
    scopes_at = consent_at.key("permissions")
    if not isinstance(consent["permissions"], dict):
        raise scopes_at.error("must be a mapping of permission scope: how Alexa names it")
    permissions = {str(k): f.text(v, scopes_at.key(str(k))) for k, v in consent["permissions"].items()}
    return ConsoleText(
        banner=f.text(data["banner"], at.key("banner")) + "\n",
        commands=f.text(data["commands"], at.key("commands")) + "\n",
        reprompt=f.text(data["reprompt"], at.key("reprompt")),
        session_ended=f.text(data["session_ended"], at.key("session_ended")),
        silence=f.text(data["silence"], at.key("silence")),
        asks=f.text(consent["asks"], consent_at.key("asks")),
        asks_again=f.text(consent["asks_again"], consent_at.key("asks_again")),
        question=f.text(consent["question"], consent_at.key("question")),
        choices=f.text(consent["choices"], consent_at.key("choices")),
        permissions=permissions,
        yes=frozenset(w.lower() for w in f.texts(consent["yes"], consent_at.key("yes"), allow_empty=False)),
        no=frozenset(w.lower() for w in f.texts(consent["no"], consent_at.key("no"), allow_empty=False)),
    )


__all__ = ["CONSOLE_FILE", "ConsoleText", "console_text"]
