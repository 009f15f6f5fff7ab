"""A local Clever API: v2.x and v3.x views of one roster, answered without a network.

- `Roster`: one district's people, held as v3 multi-role users (the v2 per-role records are
  derived from them). `Roster.default()` is a small district; `Roster.load(path)` reads a
  user's YAML or JSON file (docs/runtime.md gives its shape).
- `FakeClever(roster, versions)`: `respond(method, target, headers)` answers one request the
  way Clever does (the `data`/`links` envelope with versioned relative `next` links,
  `limit`/`starting_after` paging, 401 without a bearer token, 404 for a path the requested
  version lacks); the app is also a WSGI application (`serve()` runs it on a port).

Standard library only, and importing nothing of ours: `clever-upgrade trace` loads this file
by its path into the programs it runs (linter/runtime/intercept.py), whatever else they have
installed."""

from __future__ import annotations

import copy
import json
import re
import threading
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import parse_qs, urlencode, urlsplit

__all__ = ["FakeClever", "Roster", "RosterError", "serve", "versions_of"]

# the v2 collection of each role; the v3 role of each v2 collection
V2_COLLECTIONS = {
    "student": "students",
    "teacher": "teachers",
    "staff": "school_admins",
    "district_admin": "district_admins",
    "contact": "contacts",
}
V2_ROLES = {collection: role for role, collection in V2_COLLECTIONS.items()}
ROSTER_LISTS = {
    "students": "student",
    "teachers": "teacher",
    "staff": "staff",
    "district_admins": "district_admin",
    "contacts": "contact",
}


def versions_of(version: str) -> Tuple[str, ...]:
    """The API versions a fake of `version` serves: v2.1 also answers v2.0, v3.1 also v3.0."""
    family = {"v2.0": ("v2.0", "v2.1"), "v2.1": ("v2.0", "v2.1"), "v3.0": ("v3.0", "v3.1"), "v3.1": ("v3.0", "v3.1")}
    if version not in family:
        raise ValueError(f"unknown Clever API version {version!r} (expected v2.1 or v3.1)")
    return family[version]


class RosterError(ValueError):
    """A roster file that cannot be used (the message names the file and the problem)."""


DEFAULT_ROSTER = {
    "district": {"id": "d1", "name": "Fake Unified School District"},
    "schools": [
        {"id": "s1", "name": "Lovelace Elementary"},
        {"id": "s2", "name": "Turing Middle"},
    ],
    "students": [
        {"id": "st1", "name": {"first": "Ada", "last": "Byron"}, "school": "s1", "grade": "3", "sis_id": "S-1"},
        {"id": "st2", "name": {"first": "Ben", "last": "Ito"}, "school": "s1", "grade": "4", "sis_id": "S-2"},
    ],
    # Grace Hopper is a teacher and staff: two v2 records (t2, sa1), one v3 user (u-gh)
    "teachers": [
        {"id": "u-t1", "legacy_id": "t1", "name": {"first": "Alan", "last": "Kay"}, "school": "s1", "sis_id": "T-1"},
        {
            "id": "u-gh",
            "legacy_id": "t2",
            "name": {"first": "Grace", "last": "Hopper"},
            "school": "s2",
            "sis_id": "T-2",
        },
    ],
    "staff": [{"id": "u-gh", "legacy_id": "sa1", "schools": ["s1", "s2"], "title": "Principal"}],
    "contacts": [
        {
            "id": "u-c1",
            "legacy_id": "c1",
            "name": {"first": "Mary", "last": "Byron"},
            "students": [{"student": "st1", "relationship": "Parent", "type": "Parent/Guardian"}],
        },
    ],
    "courses": [{"id": "co1", "name": "Reading", "number": "R-3"}, {"id": "co2", "name": "Logic", "number": "L-7"}],
    "terms": [{"id": "tm1", "name": "Fall", "start_date": "2026-08-24", "end_date": "2026-12-18"}],
    "sections": [
        {
            "id": "sec1",
            "school": "s1",
            "course": "co1",
            "term": "tm1",
            "name": "Reading 3",
            "teachers": ["u-t1"],
            "students": ["st1", "st2"],
        },
        {
            "id": "sec2",
            "school": "s2",
            "course": "co2",
            "term": "tm1",
            "name": "Logic 7",
            "teachers": ["u-gh"],
            "students": ["st2"],
        },
    ],
    "events": [{"user": "st1", "action": "created"}, {"user": "u-t1", "action": "updated"}],
    # named user tokens for /me; any other bearer token is a district app's token
    "tokens": {"teacher-token": "u-t1", "student-token": "st1"},
    "other_tokens": "district",
}


class Roster:
    """One district's roster as v3 users (`users`: id, district, name, roles: {role: fields,
    each with its v2 `legacy_id`}), schools, sections (teacher/teachers hold v3 user IDs),
    events (v2 type, v3 type, user id) and bearer tokens (token -> user id, None: district)."""

    def __init__(self, data: Mapping, source: str = "the roster") -> None:
        self.source = source
        self.raw = data  # as given (`trace` hands it on to the traced processes as JSON)
        try:
            self._read(data)
        except RosterError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise RosterError(f"{source}: not a roster ({type(exc).__name__}: {exc})") from None

    @classmethod
    def default(cls) -> "Roster":
        return cls(copy.deepcopy(DEFAULT_ROSTER), "the default roster")

    @classmethod
    def load(cls, path: str) -> "Roster":
        """A roster from a .json file, or a .yaml/.yml file (that needs PyYAML)."""
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise RosterError(f"{path}: cannot read the roster ({exc.strerror or exc})") from None
        if path.endswith((".yaml", ".yml")):
            try:
                import yaml
            except ImportError:
                raise RosterError(f"{path}: a YAML roster needs PyYAML; write it as JSON instead") from None
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise RosterError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
        else:
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise RosterError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise RosterError(f"{path}: a roster is a mapping of students, teachers, staff, sections, ...")
        return cls(data, path)

    def _read(self, data: Mapping) -> None:
        known = {"district", "schools", "courses", "terms", "sections", "events", "tokens", "other_tokens"}
        unknown = set(data) - known - set(ROSTER_LISTS)
        if unknown:
            raise RosterError(
                f"{self.source}: unknown key {sorted(unknown)[0]!r} (expected district, schools, courses, terms, "
                f"{', '.join(ROSTER_LISTS)}, sections, events, tokens)"
            )
        self.district = dict(data.get("district") or {"id": "d1", "name": "Fake District"})
        district = self.district["id"]
        self.schools = [dict(school, district=district) for school in data.get("schools") or []]
        self.courses = [dict(course, district=district) for course in data.get("courses") or []]
        self.terms = [dict(term, district=district) for term in data.get("terms") or []]
        users: Dict[str, dict] = {}
        for listing, role in ROSTER_LISTS.items():
            for person in data.get(listing) or []:
                person = dict(person)
                user_id = str(person.pop("id"))
                user = users.setdefault(user_id, {"id": user_id, "district": district, "roles": {}})
                if "name" in person:
                    user.setdefault("name", person.pop("name"))
                fields = {"legacy_id": str(person.pop("legacy_id", user_id)), **person}
                if role == "contact":
                    fields["student_relationships"] = fields.pop("students", [])
                elif "school" in fields and "schools" not in fields:
                    fields["schools"] = [fields["school"]]
                user["roles"][role] = fields
        for user in users.values():
            user.setdefault("name", {"first": user["id"], "last": ""})
        self.users: List[dict] = list(users.values())
        self.sections = []
        for section in data.get("sections") or []:
            section = dict(section, district=district)
            section.setdefault("teachers", [section["teacher"]] if section.get("teacher") else [])
            section.setdefault("teacher", (section["teachers"] or [None])[0])
            section.setdefault("students", [])
            for user_id in section["teachers"] + section["students"]:
                if user_id not in users:
                    raise RosterError(f"{self.source}: section {section['id']} names an unknown user {user_id!r}")
            self.sections.append(section)
        self.events: List[Tuple[str, str, str]] = []
        for event in data.get("events") or []:
            user = users.get(str(event["user"]))
            if user is None:
                raise RosterError(f"{self.source}: an event names an unknown user {event['user']!r}")
            action = event.get("action", "updated")
            v2_resource = V2_COLLECTIONS[next(iter(user["roles"]))]
            self.events.append((f"{v2_resource}.{action}", f"users.{action}", user["id"]))
        self.tokens: Dict[str, Optional[str]] = dict(data.get("tokens") or {})
        # a roster that names its tokens accepts only those; the default takes any as a district's
        self.any_token = not self.tokens or data.get("other_tokens") == "district"

    # -- lookups ---------------------------------------------------------------------------------
    def user(self, user_id: str) -> Optional[dict]:
        return next((u for u in self.users if u["id"] == user_id), None)

    def with_role(self, role: str) -> List[dict]:
        return [u for u in self.users if role in u["roles"]]

    def v2_user(self, role: str, legacy_id: str) -> Optional[dict]:
        return next((u for u in self.with_role(role) if u["roles"][role]["legacy_id"] == legacy_id), None)

    def token_user(self, token: str) -> Tuple[bool, Optional[str]]:
        """(accepted, user id or None for a district token)."""
        if token in self.tokens:
            return True, self.tokens[token]
        return bool(token) and self.any_token, None


def _by_id(items: Iterable[dict]) -> Dict[str, dict]:
    return {item["id"]: item for item in items}


def _members(section: dict) -> List[str]:
    return section["teachers"] + section["students"]


def _v2_record(user: dict, role: str) -> dict:
    """A v2 per-role record: the role's fields flattened, the role's legacy ID."""
    fields = user["roles"][role]
    record = {"id": fields["legacy_id"], "district": user["district"]}
    record.update({k: v for k, v in fields.items() if k not in ("legacy_id", "student_relationships")})
    if role == "contact":
        relations = fields.get("student_relationships") or [{}]
        record.update(
            name=f"{user['name']['first']} {user['name']['last']}".strip(),
            relationship=relations[0].get("relationship"),
            type=relations[0].get("type"),
            students=[r["student"] for r in relations if "student" in r],
        )
    else:
        record["name"] = user["name"]
    return record


_REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
Route = Tuple["re.Pattern[str]", Callable]


class FakeClever:
    """The fake API over a roster, serving `versions` (a request for another version is a 404,
    as after Clever retires a version). Every request is recorded: `requests` holds
    (method, path with query), `statuses` the status answered to each."""

    def __init__(self, versions: Iterable[str] = ("v2.0", "v2.1", "v3.0", "v3.1"), roster: Optional[Roster] = None):
        self.versions = tuple(versions)
        self.roster = roster or Roster.default()
        self.requests: List[Tuple[str, str]] = []
        self.statuses: List[int] = []
        self._lock = threading.Lock()
        self._routes = self._build_routes()

    def use(self, roster: Roster) -> None:
        """Serve another roster from now on."""
        self.roster = roster
        self._routes = self._build_routes()

    @property
    def newest(self) -> str:
        return max(self.versions)

    # -- routes ----------------------------------------------------------------------------------
    def _build_routes(self) -> List[Route]:
        r = self.roster
        v2, v3, id_ = r"/v[12]\.\d", r"/v3\.\d", r"(?P<id>[^/]+)"
        any_version = r"/(?P<v>v\d\.\d)"
        people = "|".join(V2_ROLES)
        role = lambda m: V2_ROLES[m["r"]]  # noqa: E731 - the v3 role of a v2 collection segment
        routes = [
            (rf"{any_version}/districts", lambda m, q: [r.district]),
            (rf"{any_version}/districts/{id_}", lambda m, q: r.district if m["id"] == r.district["id"] else None),
            (rf"{any_version}/schools", lambda m, q: r.schools),
            (rf"{any_version}/schools/{id_}", lambda m, q: _by_id(r.schools).get(m["id"])),
            (rf"{any_version}/schools/{id_}/district", lambda m, q: self._district_of(r.schools, m["id"])),
            (rf"{any_version}/schools/{id_}/sections", lambda m, q: self._sections_where(m, "school")),
            (rf"{any_version}/sections", lambda m, q: self._sections(m["v"], r.sections)),
            (rf"{any_version}/sections/{id_}", lambda m, q: self._one_section(m["v"], m["id"])),
            (rf"{any_version}/sections/{id_}/district", lambda m, q: self._district_of(r.sections, m["id"])),
            (rf"{any_version}/sections/{id_}/(?P<f>school|course|term)", self._section_field),
            (rf"{any_version}/courses", lambda m, q: r.courses),
            (rf"{any_version}/courses/{id_}", lambda m, q: _by_id(r.courses).get(m["id"])),
            (rf"{any_version}/courses/{id_}/district", lambda m, q: self._district_of(r.courses, m["id"])),
            (rf"{any_version}/courses/{id_}/sections", lambda m, q: self._sections_where(m, "course")),
            (rf"{any_version}/terms", lambda m, q: r.terms),
            (rf"{any_version}/terms/{id_}", lambda m, q: _by_id(r.terms).get(m["id"])),
            (rf"{any_version}/terms/{id_}/district", lambda m, q: self._district_of(r.terms, m["id"])),
            (rf"{any_version}/terms/{id_}/sections", lambda m, q: self._sections_where(m, "term")),
            (rf"{any_version}/events", lambda m, q: self._events(m["v"], q)),
            (rf"{any_version}/events/{id_}", self._one_event),
            # v2 people: one record per role
            (rf"{v2}/(?P<r>{people})", lambda m, q: [_v2_record(u, role(m)) for u in r.with_role(role(m))]),
            (rf"{v2}/(?P<r>{people})/{id_}", self._v2_one),
            (rf"{v2}/(?P<r>teachers|students)/{id_}/sections", lambda m, q: self._v2_sections_of(role(m), m["id"])),
            (rf"{v2}/sections/{id_}/(?P<r>students|teachers)", self._v2_section_people),
            (rf"{v2}/school_admins/{id_}/schools", lambda m, q: self._v2_admin_schools(m["id"])),
            (rf"{v2}/students/{id_}/contacts", lambda m, q: self._v2_contacts(m["id"])),
            (rf"{v2}/(?P<r>{people})/{id_}/district", self._v2_district),
            (rf"{v2}/(?P<r>teachers|students)/{id_}/schools", self._v2_schools),
            (rf"{v2}/(?P<r>teachers|students)/{id_}/school", self._v2_school),
            (rf"{v2}/students/{id_}/teachers", lambda m, q: self._v2_related("student", m["id"], "teacher")),
            (rf"{v2}/teachers/{id_}/students", lambda m, q: self._v2_related("teacher", m["id"], "student")),
            (rf"{v2}/contacts/{id_}/students", self._v2_contact_students),
            (rf"{v2}/schools/{id_}/(?P<r>students|teachers)", self._v2_school_people),
            (rf"{v2}/sections/{id_}/teacher", self._v2_section_teacher),
            # v3 users: one record per person, every role in it
            (rf"{v3}/users", lambda m, q: [u for u in r.users if not q.get("role") or q["role"][0] in u["roles"]]),
            (rf"{v3}/users/{id_}", lambda m, q: r.user(m["id"])),
            (rf"{v3}/users/{id_}/sections", lambda m, q: [s for s in r.sections if m["id"] in _members(s)]),
            (rf"{v3}/users/{id_}/mystudents", lambda m, q: self._my_students(m["id"])),
            (rf"{v3}/users/{id_}/schools", lambda m, q: self._v3_schools(m["id"])),
            (rf"{v3}/users/{id_}/mycontacts", lambda m, q: self._v3_contacts(m["id"])),
            (rf"{v3}/users/{id_}/myteachers", lambda m, q: self._my_teachers(m["id"])),
            (rf"{v3}/users/{id_}/district", lambda m, q: r.district if r.user(m["id"]) else None),
            (rf"{v3}/sections/{id_}/users", self._v3_section_users),
            (rf"{v3}/schools/{id_}/users", self._v3_school_users),
        ]
        return [(re.compile(pattern + "$"), handler) for pattern, handler in routes]

    def _district_of(self, items: List[dict], item_id: str):
        return self.roster.district if item_id in _by_id(items) else None

    def _sections_where(self, match, field_name: str) -> List[dict]:
        found = [s for s in self.roster.sections if s.get(field_name) == match["id"]]
        return self._sections(match["v"], found)

    def _section_field(self, match, query):
        section = _by_id(self.roster.sections).get(match["id"])
        items = {"school": self.roster.schools, "course": self.roster.courses, "term": self.roster.terms}
        return _by_id(items[match["f"]]).get(section.get(match["f"], "")) if section else None

    def _one_event(self, match, query):
        return next((e for e in self._events(match["v"], {}) if e["id"] == match["id"]), None)

    def _v2_district(self, match, query):
        return self.roster.district if self.roster.v2_user(V2_ROLES[match["r"]], match["id"]) else None

    def _schools_of(self, user: dict, role: str) -> List[dict]:
        ids = user["roles"][role].get("schools", [])
        return [s for s in self.roster.schools if s["id"] in ids]

    def _v2_schools(self, match, query):
        role = V2_ROLES[match["r"]]
        user = self.roster.v2_user(role, match["id"])
        return self._schools_of(user, role) if user else None

    def _v2_school(self, match, query):
        role = V2_ROLES[match["r"]]
        user = self.roster.v2_user(role, match["id"])
        return _by_id(self.roster.schools).get(user["roles"][role].get("school", "")) if user else None

    def _v2_related(self, role: str, legacy_id: str, other: str):
        """The people of role `other` who share a section with a v2 `role` record."""
        user = self.roster.v2_user(role, legacy_id)
        if user is None:
            return None
        mine, theirs = ("students", "teachers") if role == "student" else ("teachers", "students")
        ids = [i for s in self.roster.sections if user["id"] in s[mine] for i in s[theirs]]
        return [_v2_record(self.roster.user(i), other) for i in dict.fromkeys(ids)]

    def _v2_contact_students(self, match, query):
        user = self.roster.v2_user("contact", match["id"])
        if user is None:
            return None
        ids = [rel["student"] for rel in user["roles"]["contact"]["student_relationships"] if "student" in rel]
        return [_v2_record(self.roster.user(i), "student") for i in ids if self.roster.user(i)]

    def _school_people(self, school_id: str, role: str) -> List[dict]:
        return [u for u in self.roster.with_role(role) if school_id in u["roles"][role].get("schools", [])]

    def _v2_school_people(self, match, query):
        if match["id"] not in _by_id(self.roster.schools):
            return None
        role = V2_ROLES[match["r"]]
        return [_v2_record(u, role) for u in self._school_people(match["id"], role)]

    def _v3_school_users(self, match, query):
        if match["id"] not in _by_id(self.roster.schools):
            return None
        roles = query.get("role") or ["student", "teacher", "staff"]
        return [u for u in self.roster.users if any(u in self._school_people(match["id"], r) for r in roles)]

    def _v2_section_teacher(self, match, query):
        section = _by_id(self.roster.sections).get(match["id"])
        teacher = self.roster.user(section["teacher"] or "") if section else None
        return _v2_record(teacher, "teacher") if teacher else None

    def _my_teachers(self, user_id: str):
        if self.roster.user(user_id) is None:
            return None
        ids = [t for s in self.roster.sections if user_id in s["students"] for t in s["teachers"]]
        return [self.roster.user(i) for i in dict.fromkeys(ids)]

    def _my_students(self, user_id: str) -> List[dict]:
        return [self.roster.user(i) for s in self.roster.sections if user_id in s["teachers"] for i in s["students"]]

    def _v2_id(self, user_id: Optional[str], role: str) -> Optional[str]:
        user = self.roster.user(user_id or "")
        return user["roles"][role]["legacy_id"] if user and role in user["roles"] else user_id

    def _sections(self, version: str, sections: List[dict]) -> List[dict]:
        if version.startswith("v3"):
            return sections
        return [
            dict(
                s,
                teacher=self._v2_id(s["teacher"], "teacher"),
                teachers=[self._v2_id(t, "teacher") for t in s["teachers"]],
            )
            for s in sections
        ]

    def _one_section(self, version: str, section_id: str):
        found = [s for s in self.roster.sections if s["id"] == section_id]
        return self._sections(version, found)[0] if found else None

    def _v2_one(self, match, query):
        role = V2_ROLES[match["r"]]
        user = self.roster.v2_user(role, match["id"])
        return _v2_record(user, role) if user else None

    def _v2_sections_of(self, role: str, legacy_id: str):
        user = self.roster.v2_user(role, legacy_id)
        if user is None:
            return None
        return self._sections("v2", [s for s in self.roster.sections if user["id"] in s["teachers"] + s["students"]])

    def _v2_section_people(self, match, query):
        section = _by_id(self.roster.sections).get(match["id"])
        if section is None:
            return None
        role = V2_ROLES[match["r"]]
        ids = section["students"] if role == "student" else section["teachers"]
        return [_v2_record(self.roster.user(i), role) for i in ids]

    def _v2_admin_schools(self, legacy_id: str):
        user = self.roster.v2_user("staff", legacy_id)
        if user is None:
            return None
        return [s for s in self.roster.schools if s["id"] in user["roles"]["staff"].get("schools", [])]

    def _contacts_of(self, student_id: str) -> List[dict]:
        return [
            u
            for u in self.roster.with_role("contact")
            if any(rel.get("student") == student_id for rel in u["roles"]["contact"]["student_relationships"])
        ]

    def _v2_contacts(self, student_id: str):
        if self.roster.v2_user("student", student_id) is None:
            return None
        return [_v2_record(u, "contact") for u in self._contacts_of(student_id)]

    def _v3_contacts(self, user_id: str):
        return self._contacts_of(user_id) if self.roster.user(user_id) else None

    def _v3_schools(self, user_id: str):
        user = self.roster.user(user_id)
        if user is None:
            return None
        ids = {s for role in user["roles"].values() for s in role.get("schools", [])}
        return [s for s in self.roster.schools if s["id"] in ids]

    def _v3_section_users(self, match, query):
        section = _by_id(self.roster.sections).get(match["id"])
        if section is None:
            return None
        role = (query.get("role") or [None])[0]
        ids = {"student": section["students"], "teacher": section["teachers"]}.get(
            role, section["teachers"] + section["students"]
        )
        return [self.roster.user(i) for i in ids]

    def _events(self, version: str, query) -> List[dict]:
        wanted = set(query.get("record_type", []))
        out = []
        for number, (v2_type, v3_type, user_id) in enumerate(self.roster.events, start=1):
            user = self.roster.user(user_id)
            if version.startswith(("v1", "v2")):
                role = next(iter(user["roles"]))  # noqa: CLV601 - a v2 event is about one role record
                if wanted and v2_type.split(".")[0] not in wanted:
                    continue
                out.append({"id": f"e{number}", "type": v2_type, "data": {"object": _v2_record(user, role)}})
            else:
                if wanted and "users" not in wanted:
                    continue
                out.append({"id": f"e{number}", "type": v3_type, "data": {"object": user}})
        return out

    def _me(self, version: str, user_id: Optional[str]) -> dict:
        district = self.roster.district["id"]
        if user_id is None:
            return {"type": "district", "data": {"id": district, "type": "district"}, "links": []}
        user = self.roster.user(user_id)
        if version.startswith("v3"):
            return {"type": "user", "data": {"id": user["id"], "district": district, "type": "user"}, "links": []}
        role = next(iter(user["roles"]))  # noqa: CLV601 - v2 /me names one role
        legacy = user["roles"][role]["legacy_id"]
        return {"type": role, "data": {"id": legacy, "district": district, "type": role}, "links": []}

    # -- one request -----------------------------------------------------------------------------
    def respond(self, method: str, target: str, headers: Optional[Mapping[str, str]] = None) -> Tuple[int, dict]:
        """Answer one request: (status, JSON body). `target` is a URL or a path with its query."""
        parts = urlsplit(target)
        path, query_string = parts.path or "/", parts.query
        status, body = self._answer(method.upper(), path, query_string, _bearer(headers or {}))
        with self._lock:
            self.requests.append((method.upper(), path + ("?" + query_string if query_string else "")))
            self.statuses.append(status)
        return status, body

    def respond_bytes(self, method: str, target: str, headers: Optional[Mapping[str, str]] = None):
        """(status, reason, headers, body bytes) of `respond`, as a server sends them."""
        status, body = self.respond(method, target, headers)
        payload = json.dumps(body).encode()
        return (
            status,
            _REASONS[status],
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
            payload,
        )

    def _answer(self, method: str, path: str, query_string: str, token: str) -> Tuple[int, dict]:
        if path.rstrip("/") == "/oauth/tokens":  # the OAuth code exchange: a token for any code
            return 200, {"access_token": "district-token", "token_type": "bearer"}
        accepted, user_id = self.roster.token_user(token)
        if not accepted:
            return 401, {"error": "unauthorized"}
        query = parse_qs(query_string)
        version = re.match(r"/(v\d+\.\d+)(?=/|$)", path)
        if version and version[1] not in self.versions:
            return 404, {"error": f"API {version[1]} is not served here"}
        if method != "GET":
            return 405, {"error": f"{method} is not supported by this fake"}
        me = re.fullmatch(r"(?:/(v\d+\.\d+))?/me/?|/userinfo/?", path)
        if me:
            if user_id is not None and self.roster.user(user_id) is None:
                return 404, {"error": "not found"}
            return 200, self._me(me[1] or self.newest, user_id)
        for pattern, handler in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            result = handler(match, query)
            if result is None:
                return 404, {"error": "not found"}
            if isinstance(result, dict):
                return 200, {"data": result, "links": []}
            return 200, self._page(path, query, result)
        return 404, {"error": f"{path} does not exist in this API version"}

    @staticmethod
    def _page(path: str, query, items: List[dict]) -> dict:
        limit = int((query.get("limit") or ["100"])[0])
        after = (query.get("starting_after") or [None])[0]
        ids = [item["id"] for item in items]
        start = ids.index(after) + 1 if after in ids else 0
        page = items[start : start + limit]
        links = [{"rel": "self", "uri": path}]
        if start + limit < len(items):
            rest = {k: v for k, v in query.items() if k != "starting_after"}
            rest["starting_after"] = [page[-1]["id"]]
            links.append({"rel": "next", "uri": f"{path}?{urlencode(rest, doseq=True)}"})
        return {"data": [{"data": item} for item in page], "links": links}

    # -- WSGI ------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + ("?" + query if query else "")
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        status, reason, response_headers, payload = self.respond_bytes(
            environ.get("REQUEST_METHOD", "GET"), target, headers
        )
        start_response(f"{status} {reason}", response_headers)
        return [payload]


def _bearer(headers: Mapping[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "authorization":
            value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            return value[len("Bearer ") :].strip() if value.lower().startswith("bearer ") else ""
    return ""


def serve(app: Optional[FakeClever] = None, host: str = "127.0.0.1", port: int = 0):
    """Start the fake API on a port in a background thread: (server, base URL, app). Call
    server.shutdown() and server.server_close() when done."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format, *args):
            pass

    app = app or FakeClever()
    server = make_server(host, port, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_port}", app
