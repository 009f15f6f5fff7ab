"""Our own records (the app's database layer, simplified)."""

from dataclasses import dataclass, field


@dataclass
class Person:
    clever_id: str
    role: str
    name: dict = field(default_factory=dict)
    schools: list = field(default_factory=list)


@dataclass
class Classroom:
    clever_id: str
    teacher_id: str
