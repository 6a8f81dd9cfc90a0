"""The source-facing web service: codenames, submissions, replies. No JavaScript at all."""

from quietwire.intake.app import create_app, language_problem

__all__ = ["create_app", "language_problem"]
