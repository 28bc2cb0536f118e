"""The ASK SDK's own Lambda entry point for the hello-world template, as the template writes
it: the SkillBuilder at import, ``lambda_handler = sb.lambda_handler()`` (which builds a
CustomSkill and deserialises / serialises with the SDK's serializer on every invocation)."""

from __future__ import annotations

from benchmarks.hello_world import hello_world_builder

lambda_handler = hello_world_builder().lambda_handler()
