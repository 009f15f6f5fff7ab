"""The WSGI app: Clever's envelope (`data`, `links` with versioned relative `next` URIs),
`limit`/`starting_after` paging, bearer auth, 404 for a path the requested version lacks."""

from __future__ import annotations

import copy
import json
import re
import threading
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

from examples.fake_clever import data

User = dict


def _by_id(items: List[dict]) -> Dict[str, dict]:
    return {item["id"]: item for item in items}


def _legacy(user: User, role: str) -> str:
    return user["roles"][role]["legacy_id"]


def _v2_record(user: User, role: str) -> dict:
    """A v2 per-role record: role fields flattened, the role's legacy ID."""
    record = {"id": _legacy(user, role), "district": user["district"]}
    record.update({k: v for k, v in user["roles"][role].items() if k not in ("legacy_id", "student_relationships")})
    if role == "contact":
        rel = user["roles"]["contact"]["student_relationships"][0]
        record.update(name=f"{user['name']['first']} {user['name']['last']}", relationship=rel["relationship"],
                      type=rel["type"], students=[r["student"] for r in user["roles"]["contact"]["student_relationships"]])
    else:
        record["name"] = user["name"]
    return record


class FakeClever:
    """`versions`: the API versions served; a request for another one is a 404 (as after Clever
    retires a version)."""

    def __init__(self, versions=("v2.0", "v2.1", "v3.0", "v3.1")) -> None:
        self.versions = tuple(versions)
        self.statuses: List[int] = []  # the status of each recorded request
        self.users = copy.deepcopy(data.USERS)
        self.schools = copy.deepcopy(data.SCHOOLS)
        self.sections = copy.deepcopy(data.SECTIONS)
        self.requests: List[Tuple[str, str]] = []  # (method, path with query)
        self._routes = self._build_routes()

    # -- lookups --------------------------------------------------------------------------------
    def _with_role(self, role: str) -> List[User]:
        return [u for u in self.users if role in u["roles"]]

    def _v2_user(self, role: str, legacy_id: str) -> Optional[User]:
        return next((u for u in self._with_role(role) if _legacy(u, role) == legacy_id), None)

    def _user(self, user_id: str) -> Optional[User]:
        return _by_id(self.users).get(user_id)

    def _v2_id(self, user_id: str, role: str) -> str:
        return _legacy(self._user(user_id), role)

    # -- routes ---------------------------------------------------------------------------------
    def _build_routes(self) -> List[Tuple[str, "re.Pattern[str]", Callable]]:
        v2 = r"/v2\.[01]"
        v3 = r"/v3\.[01]"
        id_ = r"(?P<id>[^/]+)"
        routes = [
            ("both", r"/(?P<v>v[23]\.[01])/districts", lambda m, q: [data.DISTRICT]),
            ("both", rf"/(?P<v>v[23]\.[01])/districts/{id_}", lambda m, q: data.DISTRICT if m["id"] == "d1" else None),
            ("both", r"/(?P<v>v[23]\.[01])/schools", lambda m, q: self.schools),
            ("both", rf"/(?P<v>v[23]\.[01])/schools/{id_}", lambda m, q: _by_id(self.schools).get(m["id"])),
            ("both", r"/(?P<v>v[23]\.[01])/sections", lambda m, q: self._sections(m["v"], self.sections)),
            ("both", rf"/(?P<v>v[23]\.[01])/sections/{id_}", lambda m, q: self._one_section(m["v"], m["id"])),
            # v2 people
            ("v2", rf"{v2}/(?P<r>students|teachers|school_admins|contacts)", lambda m, q: [_v2_record(u, data.V2_ROLES[m["r"]]) for u in self._with_role(data.V2_ROLES[m["r"]])]),
            ("v2", rf"{v2}/(?P<r>students|teachers|school_admins|contacts)/{id_}", self._v2_one),
            ("v2", rf"{v2}/teachers/{id_}/sections", lambda m, q: self._v2_sections_of("teacher", m["id"])),
            ("v2", rf"{v2}/students/{id_}/sections", lambda m, q: self._v2_sections_of("student", m["id"])),
            ("v2", rf"{v2}/sections/{id_}/(?P<r>students|teachers)", self._v2_section_people),
            ("v2", rf"{v2}/school_admins/{id_}/schools", lambda m, q: self._v2_admin_schools(m["id"])),
            ("v2", rf"{v2}/students/{id_}/contacts", lambda m, q: self._v2_contacts(m["id"])),
            ("v2", rf"{v2}/events", lambda m, q: self._events("v2", q)),
            # v3 users
            ("v3", rf"{v3}/users", lambda m, q: [u for u in self.users if not q.get("role") or q["role"][0] in u["roles"]]),
            ("v3", rf"{v3}/users/{id_}", lambda m, q: self._user(m["id"])),
            ("v3", rf"{v3}/users/{id_}/sections", lambda m, q: [s for s in self.sections if m["id"] in s["teachers"] + s["students"]]),
            ("v3", rf"{v3}/users/{id_}/mystudents", lambda m, q: [self._user(i) for s in self.sections if m["id"] in s["teachers"] for i in s["students"]]),
            ("v3", rf"{v3}/users/{id_}/schools", lambda m, q: self._v3_schools(m["id"])),
            ("v3", rf"{v3}/users/{id_}/mycontacts", lambda m, q: self._v3_contacts(m["id"])),
            ("v3", rf"{v3}/sections/{id_}/users", self._v3_section_users),
            ("v3", rf"{v3}/events", lambda m, q: self._events("v3", q)),
        ]
        compiled = [(kind, re.compile(pattern + "$"), handler) for kind, pattern, handler in routes]
        me = re.compile(r"(?:/(?P<v>v[23]\.[01]))?/me$")
        compiled.append(("me", me, self._me))
        return compiled

    def _sections(self, version: str, sections: List[dict]) -> List[dict]:
        if version.startswith("v3"):
            return sections
        out = []
        for s in sections:
            s2 = dict(s, teacher=self._v2_id(s["teacher"], "teacher"), teachers=[self._v2_id(t, "teacher") for t in s["teachers"]])
            out.append(s2)
        return out

    def _one_section(self, version: str, section_id: str):
        found = [s for s in self.sections if s["id"] == section_id]
        return self._sections(version, found)[0] if found else None

    def _v2_one(self, match, query):
        role = data.V2_ROLES[match["r"]]
        user = self._v2_user(role, match["id"])
        return _v2_record(user, role) if user else None

    def _v2_sections_of(self, role: str, legacy_id: str):
        user = self._v2_user(role, legacy_id)
        if user is None:
            return None
        return self._sections("v2", [s for s in self.sections if user["id"] in s["teachers"] + s["students"]])

    def _v2_section_people(self, match, query):
        section = _by_id(self.sections).get(match["id"])
        if section is None:
            return None
        role = data.V2_ROLES[match["r"]]
        ids = section["students"] if role == "student" else section["teachers"]
        return [_v2_record(self._user(i), role) for i in ids]

    def _v2_admin_schools(self, legacy_id: str):
        user = self._v2_user("staff", legacy_id)
        return [s for s in self.schools if user and s["id"] in user["roles"]["staff"]["schools"]] if user else None

    def _contacts_of(self, student_id: str) -> List[User]:
        return [u for u in self._with_role("contact")
                if any(r["student"] == student_id for r in u["roles"]["contact"]["student_relationships"])]

    def _v2_contacts(self, student_id: str):
        return [_v2_record(u, "contact") for u in self._contacts_of(student_id)] if self._v2_user("student", student_id) else None

    def _v3_contacts(self, user_id: str):
        return self._contacts_of(user_id) if self._user(user_id) else None

    def _v3_schools(self, user_id: str):
        user = self._user(user_id)
        if user is None:
            return None
        ids = {s for role in user["roles"].values() for s in role.get("schools", [])}
        return [s for s in self.schools if s["id"] in ids]

    def _v3_section_users(self, match, query):
        section = _by_id(self.sections).get(match["id"])
        if section is None:
            return None
        role = (query.get("role") or [None])[0]
        ids = section["students"] if role == "student" else section["teachers"] if role == "teacher" else section["teachers"] + section["students"]
        return [self._user(i) for i in ids]

    def _events(self, version: str, query) -> List[dict]:
        wanted = set(query.get("record_type", []))
        out = []
        for number, (v2_type, v3_type, user_id) in enumerate(data.EVENTS, start=1):
            user = self._user(user_id)
            if version == "v2":
                role = next(iter(user["roles"]))  # noqa: CLV601 - a v2 event is about one role record
                resource = v2_type.split(".")[0]
                if wanted and resource not in wanted:
                    continue
                out.append({"id": f"e{number}", "type": v2_type, "data": {"object": _v2_record(user, role)}})
            else:
                if wanted and "users" not in wanted:
                    continue
                out.append({"id": f"e{number}", "type": v3_type, "data": {"object": user}})
        return out

    def _me(self, match, query, token: str = ""):
        user = self._user(data.TOKENS.get(token) or "")
        if user is None:
            return None
        version = match["v"] or "v2.1"
        if version.startswith("v3"):
            return {"type": "user", "data": {"id": user["id"], "district": "d1", "type": "user"}, "links": []}
        role = next(iter(user["roles"]))  # noqa: CLV601 - v2 /me names one role
        return {"type": role, "data": {"id": _legacy(user, role), "district": "d1", "type": role}, "links": []}

    # -- WSGI ----------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        def respond(status: str, headers):
            self.statuses.append(int(status.split()[0]))
            return start_response(status, headers)

        return self._handle(environ, respond)

    def _handle(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        query_string = environ.get("QUERY_STRING", "")
        self.requests.append((environ.get("REQUEST_METHOD", "GET"), path + ("?" + query_string if query_string else "")))
        auth = environ.get("HTTP_AUTHORIZATION", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        if token not in data.TOKENS:
            return self._send(start_response, 401, {"error": "unauthorized"})
        query = parse_qs(query_string)
        version = re.match(r"/(v\d\.\d)/", path)
        if version and version[1] not in self.versions:
            return self._send(start_response, 404, {"error": f"API {version[1]} is not served here"})
        for kind, pattern, handler in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            result = handler(match, query, token) if kind == "me" else handler(match, query)
            if result is None:
                return self._send(start_response, 404, {"error": "not found"})
            if kind == "me" or isinstance(result, dict):
                return self._send(start_response, 200, result if kind == "me" else {"data": result, "links": []})
            return self._send(start_response, 200, self._page(path, query, result))
        return self._send(start_response, 404, {"error": f"{path} does not exist in this API version"})

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

    @staticmethod
    def _send(start_response, status: int, body: dict):
        payload = json.dumps(body).encode()
        reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def serve(app: Optional[FakeClever] = None, host: str = "127.0.0.1", port: int = 0):
    """Start the fake API in a background thread; returns (server, base_url, app). Call
    server.shutdown() and server.server_close() when done."""
    app = app or FakeClever()
    server = make_server(host, port, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_port}", app
