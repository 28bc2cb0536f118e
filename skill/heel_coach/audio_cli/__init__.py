"""`heel-coach audio`: the command line and the one-file export, above both audio/ and voice/.

They need the voice side's wording (``heel_coach.voice.tracks``) and the audio side's
rendering, so they live here rather than in either layer.
"""
