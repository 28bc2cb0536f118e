"""The one place SSML is written: escapes text and enforces Alexa's limits (``alexa_limits``:
the longest ``<break>``, the ``<audio>`` per response, the characters of output speech).

Silence longer than a break is made from silent MP3 clips that our own server hosts
(``SilenceClips``); without clips it falls back to consecutive longest breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from heel_coach.alexa_limits import MAX_BREAK_S, MAX_SPEECH_AUDIO_S, MAX_SSML_CHARS
from heel_coach.catalogue.model import SpeakingRate
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.errors import SsmlLimitError

# Not xml.sax.saxutils: importing it pulls in urllib.request, http.client, ssl and email
# (about 14 ms of every Lambda cold start) for two one-line functions.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """Text as XML character data (what ``xml.sax.saxutils.escape`` does)."""
    return text.translate(_ESCAPES)


def quoteattr(value: str) -> str:
    """A double-quoted XML attribute value."""
    return '"' + value.translate(_ATTR_ESCAPES) + '"'


@dataclass(frozen=True)
class SilenceClips:
    """Silent clips by whole seconds, and how to address them (``url_for(seconds)``)."""

    lengths: tuple[int, ...]
    url_for: Callable[[int], str]

    def decompose(self, seconds: int) -> list[int]:
        """Greedy split into available clip lengths; any remainder under the smallest is returned
        as breaks by the caller."""
        out: list[int] = []
        left = seconds
        for length in sorted(self.lengths, reverse=True):
            while left >= length:
                out.append(length)
                left -= length
        return out


class Ssml:
    """Build one ``<speak>`` document. Methods chain; ``build()`` checks the limits."""

    def __init__(
        self, *, max_audio_s: float = MAX_SPEECH_AUDIO_S, silence: SilenceClips | None = None
    ) -> None:
        self._parts: list[str] = []
        self._audio_s = 0.0
        self._max_audio_s = max_audio_s
        self._silence = silence

    @property
    def audio_seconds(self) -> float:
        """Audio counted towards the per-response cap (the SSML limit tests read it)."""
        return self._audio_s

    def say(self, text: str) -> Ssml:
        text = text.strip()
        if text:
            self._parts.append(escape(text))
        return self

    def sentence(self, text: str) -> Ssml:
        text = text.strip()
        if text:
            self._parts.append(f"<s>{escape(text)}</s>")
        return self

    def paragraph(self, text: str) -> Ssml:
        text = text.strip()
        if text:
            self._parts.append(f"<p>{escape(text)}</p>")
        return self

    def pause(self, seconds: float) -> Ssml:
        """Exactly ``seconds`` of silence: breaks up to ``MAX_BREAK_S``, silence clips beyond."""
        if seconds < 0:
            raise SsmlLimitError("negative pause")
        remaining_ms = round(seconds * 1000)
        if self._silence is not None and remaining_ms > MAX_BREAK_S * 1000:
            whole = remaining_ms // 1000
            for length in self._silence.decompose(int(whole)):
                self.audio(self._silence.url_for(length), length)
                remaining_ms -= length * 1000
        while remaining_ms > 0:
            chunk = min(remaining_ms, MAX_BREAK_S * 1000)
            self._parts.append(_break(chunk))
            remaining_ms -= chunk
        return self

    def audio(self, url: str, seconds: float) -> Ssml:
        if not url.startswith("https://"):
            raise SsmlLimitError(f"audio must be served over HTTPS: {url}")
        if self._audio_s + seconds > self._max_audio_s:
            raise SsmlLimitError(
                f"audio would total {self._audio_s + seconds:.0f} s, over {self._max_audio_s:.0f} s"
            )
        self._audio_s += seconds
        self._parts.append(f"<audio src={quoteattr(url)}/>")
        return self

    def extend(self, other: Ssml) -> Ssml:
        if self._audio_s + other._audio_s > self._max_audio_s:
            raise SsmlLimitError("combined audio over the per-response limit")
        self._parts.extend(other._parts)
        self._audio_s += other._audio_s
        return self

    def is_empty(self) -> bool:
        return not self._parts

    @property
    def mark(self) -> int:
        """A position in the speech built so far, for ``spoken_seconds(upto=mark)``."""
        return len(self._parts)

    def spoken_seconds(self, rate: SpeakingRate, upto: int | None = None) -> float:
        """How long the speech (up to a ``mark``) takes to play: words at the locale's speaking
        rate (``engine.speech_time``) plus every break and audio clip."""
        shown = to_display_text(" ".join(self._parts[:upto]))
        words = re.sub(_PAUSE_SHOWN, " ", shown)
        return speech_seconds(words, rate) + sum(float(m) for m in re.findall(_PAUSE_SHOWN, shown))

    def build(self) -> str:
        doc = "<speak>" + " ".join(self._parts) + "</speak>"
        if len(doc) > MAX_SSML_CHARS:
            raise SsmlLimitError(f"speech is {len(doc)} characters, over {MAX_SSML_CHARS}")
        return doc


def _break(ms: int) -> str:
    if ms % 1000 == 0:
        return f'<break time="{ms // 1000}s"/>'
    return f'<break time="{ms}ms"/>'


# Patterns as text: ``re`` compiles each on first use and keeps it (its own cache), so a cold
# start that never reads SSML back does not compile them (~0.4 M instructions each).
_TAGS = r'<break time="\d+(?:ms|s)"/>|<audio src="[^"]*"/>|<[^>]+>'
_BREAK = r'<break time="(\d+)(ms|s)"/>'
_AUDIO = r'<audio src="([^"]*)"/>'
_SILENCE_NAME = r"silence-(\d+)s\.mp3$"
_PAUSE_SHOWN = r"\[pause ([\d.]+) s\]"


def to_display_text(ssml: str) -> str:
    """Render SSML for a terminal: text as spoken, merged silences as "[pause 30 s]".

    Silence clips are recognised by their file name (``silence-<n>s.mp3``); other audio shows
    as "[audio NAME]".
    """
    tokens: list[tuple[str, float | str]] = []  # ("text", str) or ("pause", seconds)
    pos = 0
    for match in re.finditer(_TAGS, ssml):
        if match.start() > pos:
            tokens.append(("text", ssml[pos : match.start()]))
        tag = match.group(0)
        if (b := re.fullmatch(_BREAK, tag)) is not None:
            tokens.append(("pause", int(b.group(1)) / (1000 if b.group(2) == "ms" else 1)))
        elif (a := re.fullmatch(_AUDIO, tag)) is not None:
            url = a.group(1).replace("&amp;", "&")
            if (s := re.search(_SILENCE_NAME, url)) is not None:
                tokens.append(("pause", float(s.group(1))))
            else:
                tokens.append(("text", f" [audio {url.rsplit('/', 1)[-1]}] "))
        else:
            tokens.append(("text", " "))
        pos = match.end()
    tokens.append(("text", ssml[pos:]))
    out: list[str] = []
    pending = 0.0
    for _kind, token in tokens:
        if isinstance(token, float):
            pending += token
            continue
        text = token
        if pending and text.strip():
            out.append(f" [pause {_fmt_seconds(pending)}] ")
            pending = 0.0
        out.append(text)
    if pending:
        out.append(f" [pause {_fmt_seconds(pending)}]")
    text = "".join(out)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def pauses_in(ssml: str) -> list[float]:
    """Every merged silence in document order, in seconds (for tests and the console)."""
    return [float(m) for m in re.findall(_PAUSE_SHOWN, to_display_text(ssml))]


def _fmt_seconds(seconds: float) -> str:
    if abs(seconds - round(seconds)) < 1e-6:
        return f"{int(round(seconds))} s"
    return f"{seconds:.1f} s"
