"""The MP3 format Alexa accepts, as data, so encoders and checkers agree on one definition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioSpec:
    """Target format of an encoded clip (constant bit rate MP3)."""

    mpeg_version: float  # 1, 2 or 2.5
    layer: int
    bitrate_kbps: int
    sample_rate_hz: int
    channels: int

    @property
    def frame_samples(self) -> int:
        """Samples per channel in one Layer III frame: 1152 for MPEG-1, 576 for MPEG-2/2.5."""
        return 1152 if self.mpeg_version == 1 else 576


# Alexa SSML <audio src>: "a valid MP3 (MPEG version 2), 48 kbps, 16000 Hz" (the only
# confirmed combination; 22050/24000 Hz are unconfirmed). Channels are not specified; we use 2
# because Amazon's own conversion recipe is `ffmpeg -ac 2 -b:a 48k -ar 16000`, so stereo is the
# shape known to play. At 48 kbps CBR the file size is the same either way and LAME's joint
# stereo spends almost nothing on an identical second channel.
# Source: /work/shared/reference/alexa-platform.md section 3 (Amazon forum post "New SSML tag
# audio" and the Amazon evangelist gist germanviscuso/200f27f975d685dd89d4fcc4c334ef10).
ALEXA_SSML_AUDIO = AudioSpec(
    mpeg_version=2, layer=3, bitrate_kbps=48, sample_rate_hz=16000, channels=2
)

# AudioPlayer streams (continuous mode) are not SSML clips: Amazon's "Recommended Media Support"
# for Alexa devices lists MP3 at 32-256 kbps and 44.1 or 48 kHz, so tracks are MPEG-1 Layer III
# at 44.1 kHz. 64 kbps mono is ample for speech (the tracks hold nothing but a voice and silence)
# and keeps a whole routine's files small; the SSML format above stays for <audio> clips.
# Source: developer.amazon.com/docs/alexa-voice-service/recommended-media-support.html.
ALEXA_STREAM_AUDIO = AudioSpec(
    mpeg_version=1, layer=3, bitrate_kbps=64, sample_rate_hz=44100, channels=1
)

