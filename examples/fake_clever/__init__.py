"""A small fake of the Clever API for tests and demos: v2.x and v3.x served from one dataset.

    python -m examples.fake_clever --port 8765

Bearer tokens: `district-token` (Data and Events API), `teacher-token` and `student-token`
(/me). Every request is recorded on the app (`app.requests`)."""

from examples.fake_clever.app import FakeClever, serve

__all__ = ["FakeClever", "serve"]
