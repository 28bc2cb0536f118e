"""What an Echo Show, Echo Spot or Fire TV shows: APL documents (data files) and their data.

Pure core: documents are read from ``content/screens/``, data sources are filled from the
catalogue, the engine's plan and timing, and progress. The voice layer decides when a screen
is shown; ``tooling`` runs Amazon's validator and renderer on them.
"""
