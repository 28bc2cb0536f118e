"""Pure reminder scheduling: spoken times to local clock times, and the seeds' suggested schedule."""
