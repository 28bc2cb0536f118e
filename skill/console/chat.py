"""`heel-coach chat`: type what you would say to an Echo; read what Alexa would say."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from skill.console.client import Heard, VoiceClient

BANNER = """Heel Coach console. Type what you would say to Alexa, e.g. "open heel coach",
"start my foot routine", "next", "say that again", "how long is left", "stop".
Pauses show as [pause 30 s]. Type "quit" to leave, "new" for a new session.
"""


def show(heard: Heard, out: TextIO) -> None:
    if heard.status != 200:
        out.write(f"  [HTTP {heard.status}] {heard.body}\n")
        return
    if heard.utterance is not None and heard.utterance.intent_name:
        slots = ", ".join(f"{k}={v.value or v.raw}" for k, v in heard.utterance.slots.items())
        out.write(f"  ({heard.utterance.intent_name}{': ' + slots if slots else ''})\n")
    text = heard.text
    out.write(f"Alexa: {text or '(silence)'}\n")
    for directive in heard.directives:
        out.write(f"  [{directive.get('type')}]\n")
    if heard.reprompt:
        out.write(f"  (if you say nothing: {heard.reprompt})\n")
    if heard.ends_session:
        out.write("  (session ended)\n")


def run(client: VoiceClient, lines: Iterable[str], out: TextIO = sys.stdout, prompt: bool = True) -> int:
    out.write(BANNER)
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        if prompt is False:
            out.write(f"You: {text}\n")
        if text.lower() in {"quit", "exit", ":q"}:
            if client.device.session_id:
                client.end()
            break
        if text.lower() == "new":
            client.device.end_session()
            continue
        show(client.say(text), out)
        out.flush()
    return 0


def interactive_lines() -> Iterable[str]:
    while True:
        try:
            yield input("You: ")
        except EOFError:
            return
