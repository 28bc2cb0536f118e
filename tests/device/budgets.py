"""Issue 9's targets for a routine on the simulated Echo, the same in every locale.

Words are counted in the locale's own language (a German word is a word); time is the
locale's own speaking rate (``speech.yaml``), so a German sentence takes longer to say.
"""

from __future__ import annotations

from heel_coach.console.device_run import Scenario

ROUTINES = ("full", "morning", "evening-massage", "strength", "quick")
SCENARIOS = [
    Scenario(r, foot, returning) for r in ROUTINES for foot in ("both", "left") for returning in (False, True)
]
"""Every routine, both feet and one foot, a first-time and a returning user."""
NEW_USER_WORDS = 150
"""Words Alexa says, from the launch, before a new user's first movement."""
RETURNING_USER_WORDS = 90
"""The same for a user who has done the routine before (short instructions)."""
TURN_WORDS = 300
"""Words in any one response."""
LENGTH_TOLERANCE = 0.10
"""The announced length against the simulated time (and an exported MP3's length)."""
