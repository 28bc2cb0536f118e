"""`heel-coach chat`: type what you would say to an Echo; read what Alexa would say.

Lines starting with ``:`` are not speech: they do what Alexa or the Alexa app would do
(move the clock, grant or withdraw the reminders permission, disable the skill). When the
skill hands over to Alexa's own permission question (``Connections.SendRequest`` AskFor),
the console asks it, reads the answer, and sends the ``Connections.Response`` Alexa would.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, TextIO

from heel_coach.catalogue.loader import load_speaking_rates
from heel_coach.catalogue.model import SpeakingRate
from heel_coach.console.account import Account, Clock, parse_moment
from heel_coach.console.client import Heard, VoiceClient
from heel_coach.console.envelopes import utc_now
from heel_coach.console.wording import ConsoleText, console_text
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.locales import choose
from heel_coach.services.reminders import REMINDERS_SCOPE
from heel_coach.simulator.device import WAKE_WORD, ClipSeconds, EchoDevice, Reply, Route, no_clips
from heel_coach.simulator.person import REACTION_S


def show(heard: Heard, out: TextIO, text: ConsoleText | None = None) -> None:
    """The response as the console prints it; ``text``: the chat's language (default English)."""
    text = text or console_text("en-US")
    if heard.status != 200:
        out.write(f"  [HTTP {heard.status}] {heard.body}\n")
        return
    if heard.utterance is not None and heard.utterance.intent_name:
        slots = ", ".join(f"{k}={v.value or v.raw}" for k, v in heard.utterance.slots.items())
        out.write(f"  ({heard.utterance.intent_name}{': ' + slots if slots else ''})\n")
    said = heard.text
    out.write(f"Alexa: {said or text.silence}\n")
    for directive in heard.directives:
        if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
            out.write(f"  [screen: {describe_screen(directive)}]\n")
        else:
            out.write(f"  [{directive.get('type')}]\n")
    card = heard.response.get("card")
    if isinstance(card, dict):
        out.write(
            f"  [{describe_card(card, console_text('en-US').permissions)}]\n"
        )  # English, as [screen: ...]
    if heard.reprompt:
        out.write(f"  {text.reprompt.format(reprompt=heard.reprompt)}\n")
    if heard.ends_session:
        out.write(f"  {text.session_ended}\n")


def describe_card(card: dict[str, Any], permissions: Mapping[str, str]) -> str:
    """One line for a card, which a real user would only see in the Alexa app (``permissions``:
    how each permission scope is named)."""
    if card.get("type") == "AskForPermissionsConsent":
        wanted = ", ".join(permissions.get(p, p) for p in card.get("permissions") or [])
        return f"card shown in the Alexa app: allow Heel Coach to {wanted or 'use a permission'}"
    return f"card shown in the Alexa app: {card.get('title') or card.get('type')}"


def describe_screen(directive: dict[str, Any]) -> str:
    """Which document a screen device would show, and the data that matters in it."""
    token = str(directive.get("token", ""))
    kind = token.split(".")[1] if token.count(".") >= 1 else "?"
    data: dict[str, Any] = (directive.get("datasources") or {}).get("payload") or {}
    where = f"content/screens/{kind}.json"
    if kind == "exercise":
        steps = data.get("steps") or [{}]
        holds = [
            p for p in data.get("phases", []) if p.get("kind") == "work" and p.get("fromS") == p.get("totalS")
        ]
        sides = list(dict.fromkeys(p["indicator"] for p in holds))
        countdown = ", ".join(f"{p['totalS']:g} s at {p['startMs'] / 1000:.1f} s" for p in holds[:6])
        more = f" (+{len(holds) - 6} more)" if len(holds) > 6 else ""
        at = f", starting {data['offsetMs'] / 1000:.1f} s into the track" if data.get("offsetMs") else ""
        titles = " then ".join(s.get("title", "") for s in steps)
        return (
            f"{where}: {titles} ({steps[0].get('counter', '')}); {' / '.join(sides) or 'no timed hold'}; "
            f"countdown {countdown or 'none'}{more}{at}; buttons "
            + ", ".join(b["label"] for b in data.get("buttons", []))
        )
    if kind == "overview":
        return (
            f"{where}: {data.get('title')}, {data.get('total')}, {data.get('feet')}; "
            f"{len(data.get('exercises', []))} exercises; {data.get('equipmentLabel')}: "
            + ", ".join(data.get("equipment", []))
        )
    if kind == "progress":
        days = ", ".join(f"{d['label']} {d['count']}" for d in data.get("days", []) if not d.get("future"))
        tiles = "; ".join(f"{t['value']} {t['label']}" for t in data.get("tiles", []))
        return f"{where}: {data.get('title')}: {days}; {tiles}"
    if kind == "safety":
        items = data.get("items") or []
        return f"{where}: {data.get('title')}: " + (
            f"{len(items)} items" if items else str(data.get("intro"))
        )
    return f"{where}: {token}"


def ask_for_directive(heard: Heard) -> dict[str, Any] | None:
    """The skill's AskFor hand-over to Alexa's permission question, if this response has one."""
    directive = heard.directive("Connections.SendRequest")
    return directive if directive is not None and directive.get("name") == "AskFor" else None


class SimulatedClock(Clock):
    """A clock that moves only with the device model's simulated seconds (``--device-time``)."""

    def __init__(self, echo: EchoDevice, start: datetime | None = None) -> None:
        super().__init__()
        self.echo = echo
        self.start = start or utc_now()

    def __call__(self) -> datetime:
        return self.start + self.offset + timedelta(seconds=self.echo.now)

    def set(self, moment: datetime | None) -> None:
        base = self.start + timedelta(seconds=self.echo.now)
        self.offset = timedelta(0) if moment is None else moment - base


def rate_for(locale: str) -> SpeakingRate:
    """The packaged speaking rate of the locale the skill answers ``locale`` in."""
    rates = load_speaking_rates()
    return rates[choose(locale, list(rates))]


def split_wake_word(text: str) -> tuple[bool, str]:
    """("Alexa, next") -> (True, "next")."""
    head, sep, rest = text.partition(" ")
    if head.strip(",.!").lower() == WAKE_WORD:
        return True, rest.strip(" ,")
    return False, text


class Console:
    """One chat: the simulated Echo (``client``), Alexa's clock and the user's permission.

    ``echo`` times every response as a device would. With ``device_time`` the clock requests
    are stamped with is the simulated one: each line is said just after Alexa stops, or
    after a ``:wait`` that many seconds after she began (with "Alexa" first, over her speech:
    a barge-in), and words that come after the mic closed (said with "Alexa" first, as a
    person would) reach only what a real Echo passes on: nothing, a new session, or the player.
    """

    def __init__(
        self,
        client: VoiceClient,
        out: TextIO = sys.stdout,
        account: Account | None = None,
        clock: Clock | None = None,
        *,
        device_time: bool = False,
        clips: ClipSeconds = no_clips,
        rate: SpeakingRate | None = None,
    ) -> None:
        """``rate``: how fast the device's locale is spoken (default: the packaged content's
        rate for the locale the skill answers in)."""
        self.client = client
        self.out = out
        device = client.device
        self.account = account or Account(
            device.api_access_token, device.api_access_token, granted=device.permissions_token is not None
        )
        if account is not None:
            account.apply(device)
        self.echo = EchoDevice()
        self.device_time = device_time
        self.clips = clips
        self.rate = rate or rate_for(device.locale)
        self.text = console_text(device.locale)
        self.waited = 0.0
        self.clock = clock or (SimulatedClock(self.echo) if device_time else Clock())
        device.clock = self.clock

    def run(self, lines: Iterable[str]) -> int:
        self.out.write(self.text.banner + self.text.commands)
        feed = iter(lines)
        for raw in feed:
            text = raw.strip()
            if not text:
                continue
            if text.lower() in {"quit", "exit", ":q"}:
                if self.client.device.session_id:
                    self.client.end()
                break
            if text.lower() == "new":
                self.client.device.end_session()
                self.echo.close_session()
            elif text.startswith(":"):
                self.command(text[1:].strip())
            else:
                heard = self.speak(text)
                if heard is not None:
                    self.hear(heard, feed)
            self.out.flush()
        return 0

    def speak(self, text: str) -> Heard | None:
        """Send what was typed; with ``device_time``, only if an Echo would pass it on."""
        wake, words = split_wake_word(text)
        if not self.device_time:
            return self.client.say(words)
        assert self.client.matcher is not None
        utterance = self.client.matcher.recognize_best(words)
        line = self.echo.timeline
        if self.waited:  # from when Alexa began her last answer: over it, or after it
            at = (line.start if line else self.echo.now) + self.waited
        else:
            at = (line.speech_end if line else self.echo.now) + REACTION_S
        self.waited = 0.0
        if not self.echo.session_open or (line and line.session_ends is not None and at > line.session_ends):
            wake = True  # Alexa is not listening: whoever speaks to her says "Alexa" first
        names_skill = utterance.kind == "launch" or utterance.new_session_phrase
        delivery = self.echo.hear(at, wake_word=wake, names_skill=names_skill, intent=utterance.intent_name)
        if delivery.timed_out_at is not None:
            self.echo.advance(delivery.timed_out_at)
            self.client.end("EXCEEDED_MAX_REPROMPTS")
            self.out.write(
                "  [too late: Alexa stopped listening and sent SessionEndedRequest "
                "(EXCEEDED_MAX_REPROMPTS)]\n"
            )
        if delivery.route is Route.LOST:
            self.echo.advance(delivery.at)
            self.out.write(
                "  [nobody hears this: no session is open; say 'Alexa, open heel coach' or "
                "'Alexa, ask heel coach to ...']\n"
            )
            return None
        self.echo.advance(delivery.at + speech_seconds(words, self.rate))
        if delivery.barged_in:
            self.out.write(
                f"  [you interrupted Alexa at +{delivery.at - line.start:.0f} s]\n" if line else ""
            )
        if delivery.route is Route.PLAYER and utterance.intent_name is not None:
            return self.client.intent(utterance.intent_name, new_session=True)
        return self.client.say(words)

    def hear(self, heard: Heard, feed: Iterator[str]) -> None:
        """Show a response; while it hands over to Alexa's permission question, play Alexa."""
        self.show(heard)
        directive = ask_for_directive(heard)
        while directive is not None:
            status = self.consent(directive, feed)
            if status == "ACCEPTED":
                self.account.grant(self.client.device)
                self.out.write(
                    "  [permission granted: Alexa now sends a consent token and a new API token]\n"
                )
            body = self.client.device.permission_answer(status, str(directive.get("token") or ""))
            heard = self.client.send(body)
            self.out.write(f"  (Connections.Response: {status})\n")
            self.show(heard)
            directive = ask_for_directive(heard)

    def show(self, heard: Heard) -> None:
        """The response, then how long an Echo plays it and when it stops listening."""
        show(heard, self.out, self.text)
        if heard.status != 200:
            return
        if not self.device_time:
            self.echo.now = 0.0
        reply = Reply.from_body(heard.body, self.rate, self.clips)
        timeline = self.echo.play_reply(reply)
        clock = f"{self.clock():%H:%M:%S} " if self.device_time else ""
        self.out.write(f"  {clock}{reply.speech.describe()} {timeline.describe()}\n")

    def consent(self, directive: dict[str, Any], feed: Iterator[str]) -> str:
        """Alexa's own question; an unclear answer is asked again once, then not answered."""
        scope = str((directive.get("payload") or {}).get("permissionScope") or "")
        for attempt in range(2):
            self.out.write(self.text.consent_question(scope, again=bool(attempt)) + "\n")
            self.out.flush()
            answer = next(feed, "").strip().lower().rstrip(".!")
            if not answer:
                return "NOT_ANSWERED"
            if answer in self.text.yes:
                return "ACCEPTED"
            if answer in self.text.no:
                return "DENIED"
        return "NOT_ANSWERED"

    # -- ":" commands ------------------------------------------------------------------------
    def command(self, line: str) -> None:
        name, _, arg = line.partition(" ")
        handler = {
            "date": self._date,
            "grant": self._grant,
            "revoke": self._revoke,
            "disable": self._disable,
            "wait": self._wait,
            "touch": self._touch,
            "help": self._help,
        }.get(name.lower())
        if handler is None:
            self.out.write(f"  [unknown command :{name}; :help lists the commands]\n")
            return
        handler(arg.strip())

    def _touch(self, arg: str) -> None:
        try:
            heard = self.client.touch(arg or "next")
        except RuntimeError as exc:
            self.out.write(f"  ({exc}: start the console with --screen)\n")
            return
        self.show(heard)

    def _help(self, arg: str) -> None:
        self.out.write(self.text.commands)

    def _wait(self, arg: str) -> None:
        if not self.device_time:
            self.out.write("  [:wait needs --device-time: the real clock keeps its own time]\n")
            return
        try:
            seconds = float(arg.removesuffix("s").strip())
        except ValueError:
            self.out.write("  [:wait needs seconds, e.g. :wait 40]\n")
            return
        self.waited += max(0.0, seconds)
        self.out.write(f"  [your next words come {self.waited:.0f} s after Alexa began her last answer]\n")

    def _date(self, arg: str) -> None:
        if arg and arg.lower() != "now":
            try:
                self.clock.set(parse_moment(arg))
            except ValueError:
                self.out.write("  [:date needs a date like 2026-11-14 or 2026-11-14T08:00]\n")
                return
        elif arg:
            self.clock.set(None)
        else:  # no argument: just say what time it is
            self.out.write(f"  [clock: {self.clock():%a %d %b %Y %H:%M} UTC]\n")
            return
        self.client.device.end_session()  # a session never spans a jump in time
        self.echo.close_session()
        shown = self.clock().strftime("%a %d %b %Y %H:%M")
        self.out.write(f"  [clock: {shown} UTC{'' if self.clock.moved else ' (real time)'}; new session]\n")

    def _grant(self, arg: str) -> None:
        self.account.grant(self.client.device)
        heard = self.client.send(
            self.client.device.skill_event(
                "SkillPermissionAccepted", {"acceptedPermissions": [{"scope": REMINDERS_SCOPE}]}
            )
        )
        self.out.write(
            f"  [reminders permission allowed in the Alexa app; Alexa sent "
            f"SkillPermissionAccepted: HTTP {heard.status}]\n"
        )

    def _revoke(self, arg: str) -> None:
        self.account.revoke(self.client.device)
        heard = self.client.send(
            self.client.device.skill_event("SkillPermissionChanged", {"acceptedPermissions": []})
        )
        self.out.write(
            f"  [reminders permission withdrawn in the Alexa app; Alexa sent "
            f"SkillPermissionChanged: HTTP {heard.status}]\n"
        )

    def _disable(self, arg: str) -> None:
        device = self.client.device
        heard = self.client.send(device.skill_event("SkillDisabled"))
        self.out.write(
            f"  [Heel Coach disabled in the Alexa app; Alexa sent SkillDisabled: "
            f"HTTP {heard.status}; the skill deletes your data]\n"
        )
        device.end_session()
        self.account.revoke(device)
        device.user_id = "amzn1.ask.account." + uuid.uuid4().hex
        self.out.write(
            "  [talking again enables the skill afresh: Alexa gives you a new user id "
            "and the permission must be granted again]\n"
        )


def run(
    client: VoiceClient,
    lines: Iterable[str],
    out: TextIO = sys.stdout,
    account: Account | None = None,
    clock: Clock | None = None,
    *,
    device_time: bool = False,
    clips: ClipSeconds = no_clips,
) -> int:
    return Console(client, out, account, clock, device_time=device_time, clips=clips).run(lines)


def interactive_lines() -> Iterator[str]:
    """A terminal: ``input`` shows the prompt; Ctrl-D or Ctrl-C at the prompt leaves."""
    while True:
        try:
            yield input("You: ")
        except (EOFError, KeyboardInterrupt):
            print()
            return


def piped_lines(stream: TextIO, out: TextIO) -> Iterator[str]:
    """Scripted input: prompt, then echo each line, so the transcript reads like a terminal.

    The prompt is written (and flushed) before each read, so a program driving the console
    through pipes knows the previous answer is complete when it sees ``You: ``.
    """
    while True:
        out.write("You: ")
        out.flush()
        line = stream.readline()
        if not line:
            out.write("\n")
            return
        out.write(line.rstrip("\r\n") + "\n")
        yield line
