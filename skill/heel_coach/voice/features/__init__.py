"""One module per feature (routine, playback, reminders, progress): the dialog logic handlers call."""
