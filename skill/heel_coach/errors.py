"""One small exception hierarchy per concern; each is turned into HTTP 400 or speech only at the edge."""

from __future__ import annotations


class HeelCoachError(Exception):
    """Base of every error Heel Coach raises on purpose."""


class SettingsError(HeelCoachError, ValueError):
    """An environment variable has a value we cannot use (a ValueError too, as it always was)."""


class ContentError(HeelCoachError):
    """A content file (exercise, routine, prompt, interaction model) is invalid."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file = file
        self.field = field
        self.problem = problem
        super().__init__(f"{file}: {field}: {problem}")


class EngineError(HeelCoachError):
    """A routine state or command the engine cannot accept (e.g. a corrupt stored state)."""


class StorageError(HeelCoachError):
    """The persistent store failed (locked, unavailable, disk full); the user's state is kept."""


class RequestRejected(HeelCoachError):
    """An HTTP request is not a valid, verified Alexa request: answered with 400 and a JSON reason."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class VerificationError(RequestRejected):
    """Signature, certificate, timestamp or application-id verification failed."""


class ServiceError(HeelCoachError):
    """An Alexa API (reminders, settings) call failed; ``status`` is the HTTP status or 0."""

    def __init__(self, message: str, status: int = 0, code: str = "") -> None:
        self.status = status
        self.code = code
        super().__init__(message)


class SsmlLimitError(HeelCoachError, ValueError):
    """A response would break one of Alexa's SSML limits (a ValueError too, as it always was)."""


class AudioError(HeelCoachError):
    """Rendering, encoding or checking audio failed."""


class SpeechEngineError(AudioError):
    """A text-to-speech engine could not produce audio (network down, engine missing)."""
