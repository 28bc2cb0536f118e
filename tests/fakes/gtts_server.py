"""A fake Google Translate TTS endpoint speaking gTTS 2.5's batchexecute protocol.

Register it on an :class:`~tests.fakes.intercepting_proxy.InterceptingProxy` for
``translate.google.com`` (and other tlds) so the real gTTS code path runs unmodified:
gTTS POSTs ``f.req=<json>`` to ``/_/TranslateWebserverUi/data/batchexecute`` and scans the
``)]}'``-prefixed reply for a line holding ``jQ1olc","[\\"<base64 mp3>\\"]``.

Usage::

    fake = FakeGTTS(wait=proxy.wait)
    proxy.route("translate.google.com", fake)
    fake.mode = "http500"   # or "timeout", "drop", "garbage", "not_http", "no_audio", "bad_audio"
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs

from heel_coach.audio.mp3 import concat_pcm, encode, silence_pcm, tone_pcm
from heel_coach.audio.spec import AudioSpec
from tests.fakes.intercepting_proxy import DROP, ProxyRequest, RawResponse, Reply, Response

__all__ = ["BATCHEXECUTE_PATH", "GOOGLE_LIKE_SPEC", "FakeGTTS", "GttsCall", "Mode", "tone_speech"]

BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"
RPC_ID = "jQ1olc"
# What Google Translate TTS is believed to return: 24 kHz mono MPEG-2 Layer III at 32 kbps.
GOOGLE_LIKE_SPEC = AudioSpec(mpeg_version=2, layer=3, bitrate_kbps=32, sample_rate_hz=24000,
                             channels=1)  # fmt: skip
SECONDS_PER_CHAR = 0.06  # roughly speaking pace, so decoded length tracks the text

Mode = Literal["ok", "http500", "timeout", "drop", "garbage", "not_http", "no_audio", "bad_audio"]


@dataclass(frozen=True)
class GttsCall:
    """One decoded gTTS request: the RPC parameters gTTS packed into f.req."""

    host: str
    text: str
    lang: str
    speed: object


def tone_speech(text: str, lang: str) -> bytes:
    """A real MP3 standing in for speech: a quiet lead-in, then a tone as long as the text."""
    spec = GOOGLE_LIKE_SPEC
    rate, ch = spec.sample_rate_hz, spec.channels
    pcm = concat_pcm(
        silence_pcm(0.1, rate, ch),
        tone_pcm(440.0, max(0.2, len(text) * SECONDS_PER_CHAR), sample_rate=rate, channels=ch),
    )
    return encode(pcm, spec)


class FakeGTTS:
    """Route handler: ``handler(ProxyRequest) -> Reply`` as InterceptingProxy expects."""

    def __init__(
        self,
        voice: Callable[[str, str], bytes] = tone_speech,
        *,
        mode: Mode = "ok",
        wait: Callable[[float], None] = time.sleep,
        hang_s: float = 30.0,
    ) -> None:
        self.voice = voice
        self.mode: Mode = mode
        self.wait = wait  # pass proxy.wait so a hanging reply ends when the proxy stops
        self.hang_s = hang_s
        self.calls: list[GttsCall] = []

    def __call__(self, request: ProxyRequest) -> Reply:
        if request.method != "POST" or request.path.split("?")[0] != BATCHEXECUTE_PATH:
            return Response(404, {"Content-Type": "text/plain"}, b"not found")
        try:
            call = self._parse(request)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            return Response(400, {"Content-Type": "text/plain"}, f"bad f.req: {exc}".encode())
        self.calls.append(call)
        if self.mode == "http500":
            return Response(500, {"Content-Type": "text/plain"}, b"upstream error")
        if self.mode == "timeout":
            self.wait(self.hang_s)
            return DROP
        if self.mode == "drop":
            return DROP
        if self.mode == "garbage":
            return Response(200, {"Content-Type": "text/html"}, b"<html>captcha?</html>")
        if self.mode == "not_http":
            return RawResponse(b"\x00\xff this is not HTTP\r\n\r\n")
        if self.mode == "no_audio":
            return self._reply(f'[["wrb.fr","{RPC_ID}",null,null,null,[3],"generic"]]')
        if self.mode == "bad_audio":
            audio = b"ID3 but not really an mp3"
        else:
            audio = self.voice(call.text, call.lang)
        payload = json.dumps([base64.b64encode(audio).decode("ascii")])
        line = json.dumps(
            [["wrb.fr", RPC_ID, payload, None, None, None, "generic"], ["di", 42]],
            separators=(",", ":"),
        )
        return self._reply(line)

    @staticmethod
    def _parse(request: ProxyRequest) -> GttsCall:
        form = parse_qs(request.body.decode("utf-8"), strict_parsing=False)
        rpc = json.loads(form["f.req"][0])
        rpc_id, params_json = rpc[0][0][0], rpc[0][0][1]
        if rpc_id != RPC_ID:
            raise ValueError(f"unexpected rpc id {rpc_id!r}")
        text, lang, speed = json.loads(params_json)[:3]
        return GttsCall(request.host, str(text), str(lang), speed)

    @staticmethod
    def _reply(line: str) -> Response:
        """Google's framing: anti-XSSI prefix, then length-prefixed JSON chunks."""
        tail = '[["e",4,null,null,140]]'
        body = f")]}}'\n\n{len(line)}\n{line}\n{len(tail)}\n{tail}\n"
        return Response(200, {"Content-Type": "application/json; charset=utf-8"}, body.encode())
