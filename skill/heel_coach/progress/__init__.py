"""Pure progress arithmetic: local days, weeks, streaks, and the seeds' recommended frequency."""
