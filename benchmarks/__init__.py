"""Heel Coach benchmarks: the production endpoint measured against ask-sdk-core's own hello world.

Run ``python -m benchmarks`` (``--quick`` for a < 60 s smoke run). Every figure is measured in
one run on one machine, variants interleaved round by round, and reported as ratios.
"""
