"""Drive a running site with many simulated people at once and time every request.

Each simulated person is a thread with its own kept-alive connection and cookies (the standard library's
``http.client``: nothing to install). A resident signs in and reads their cases and opens one, and now and then
tells the landlord something through the portal's form (with its CSRF token and idempotency key). Staff sign in and
work their queues: the console's complaint queues and the complaint and contact pages in them. A third-party tool
pages through contacts with a read token and GraphQL cursors. Signing in happens before the clock starts and is not
timed. The run stops when the time is up or the request budget is spent, whichever comes first.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench import BenchError
from bench.loadprep import LoadAccounts

TIMEOUT = 60.0
# A fresh server builds each role's schema on that role's first request: slow on a busy machine.
SETUP_TIMEOUT = 300.0
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key"[^>]*value="([^"]*)"')
RESIDENT_CASE = re.compile(r'href="/cases/(\d+)"')
CONSOLE_CASE = re.compile(r'href="/console/(complaints|contacts)/(\d+)"')
QUEUES = ("new", "unassigned", "unacknowledged", "all")
# Of every ten people: five residents, three staff and two tools.
MIX = (("resident", 5), ("staff", 3), ("tool", 2))
TOOL_QUERY = """query LoadToolContacts($after: String) {
  contacts(first: 50, after: $after, orderBy: [{field: receivedAt}, {field: id}]) {
    pageInfo { hasNextPage endCursor }
    nodes { id reference kind status channel receivedAt }
  }
}"""


def check_loopback(url: str) -> str:
    """Return ``url`` without a trailing slash; raise ``BenchError`` unless it is http(s) to this machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise BenchError(f"{url} is not an http:// address")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise BenchError(f"{url} is not on this machine: the load test only drives a loopback address")
    return url.rstrip("/")


class Budget:
    """The requests left to make (shared by every simulated person) and the time the run ends."""

    def __init__(self, requests: int | None, seconds: float) -> None:
        self._left = requests
        self._lock = threading.Lock()
        self.seconds = seconds
        self.ends = float("inf")

    def start(self) -> None:
        self.ends = time.monotonic() + self.seconds

    def take(self) -> bool:
        if time.monotonic() >= self.ends:
            return False
        with self._lock:
            if self._left is None:
                return True
            if self._left <= 0:
                return False
            self._left -= 1
            return True


@dataclass
class Samples:
    """Every timed request: its kind, how long it took and whether it went wrong (and how)."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if error:
                found = self.errors.setdefault(kind, {})
                found[error] = found.get(error, 0) + 1


class Failed(Exception):
    """A request that went wrong: the reason is the status or the kind of failure."""


class Client:
    """One person's browser or tool: one kept-alive connection, its cookies, and timing of each request."""

    def __init__(self, base: str, samples: Samples, budget: Budget) -> None:
        parts = urlsplit(base)
        self.connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.netloc = parts.netloc
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.timeout = TIMEOUT
        self.samples = samples
        self.budget = budget
        # Seconds to pause after each request, as a person reads the page (none: the next request goes at once).
        self.think: Callable[[], float] = lambda: 0.0

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Make one request and return its status, headers (lower-case names) and text."""
        sent = {"Accept-Language": "en", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = self.connection_class(self.netloc, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # The server closed a kept connection: try once on a new one (a form sent twice is safe: it
                # carries its idempotency key).
                if attempt == 2:
                    raise
                continue
            found = {name.lower(): value for name, value in response.getheaders()}
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if found.get("connection", "").lower() == "close":
                self.close()
            return response.status, found, text
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def timed(self, kind: str, call: Callable[[], Any]) -> Any:
        """Run one request under the budget and record it; return its result, or None when it failed or is over."""
        if not self.budget.take():
            raise StopIteration
        started = time.perf_counter()
        error: str | None = None
        result = None
        try:
            result = call()
        except Failed as failure:
            error = str(failure)
        except (OSError, http.client.HTTPException) as failure:
            error = type(failure).__name__
            self.close()
        self.samples.add(kind, time.perf_counter() - started, error)
        pause = min(self.think(), self.budget.ends - time.monotonic())
        if pause > 0:
            time.sleep(pause)
        return result

    def page(self, path: str, expect: int = 200) -> str:
        status, _headers, text = self.request("GET", path)
        if status != expect:
            raise Failed(f"HTTP {status}")
        return text

    def post_form(self, path: str, fields: dict[str, str], expect: int = 302) -> dict[str, str]:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + path}
        status, found, _text = self.request("POST", path, body, headers)
        if status != expect:
            raise Failed(f"HTTP {status}")
        return found

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the form (not timed); raise ``BenchError`` when it does not work."""
        status, _headers, text = self.request("GET", "/sign-in")
        token = CSRF.search(text)
        if status != 200 or token is None:
            raise BenchError(f"the sign-in page answered {status} without a form")
        fields = {"csrf_token": token.group(1), "email": email, "password": password}
        try:
            self.post_form("/sign-in", fields)
        except Failed as failure:
            raise BenchError(f"{email} could not sign in ({failure}): run with --prepare against this site") from None


class Person:
    """A simulated person: what they do, picked at random by weight, until the run ends."""

    def __init__(self, client: Client, rng: random.Random) -> None:
        self.client = client
        self.rng = rng

    def setup(self) -> None:
        """Get ready before the clock starts: sign in, and warm the server up with a first, untimed request.

        A server builds each role's GraphQL schema on its first request from that role, which takes seconds.
        """

    def actions(self) -> list[tuple[Callable[[], None], int]]:
        """What this person does, each with its weight."""
        return []

    def run(self) -> None:
        choices = self.actions()
        actions = [action for action, _weight in choices]
        weights = [weight for _action, weight in choices]
        try:
            while True:
                self.rng.choices(actions, weights)[0]()
        except StopIteration:
            pass
        finally:
            self.client.close()


class Resident(Person):
    def __init__(self, client: Client, rng: random.Random, email: str, password: str) -> None:
        super().__init__(client, rng)
        self.email, self.password = email, password
        self.cases: list[str] = []

    def setup(self) -> None:
        self.client.sign_in(self.email, self.password)
        self.cases = RESIDENT_CASE.findall(self.client.page("/cases"))

    def actions(self) -> list[tuple[Callable[[], None], int]]:
        return [(self.read_cases, 4), (self.read_case, 4), (self.tell_us, 1)]

    def read_cases(self) -> None:
        text = self.client.timed("resident: cases", lambda: self.client.page("/cases"))
        if text:
            self.cases = RESIDENT_CASE.findall(text) or self.cases

    def read_case(self) -> None:
        if not self.cases:
            return self.read_cases()
        case = self.rng.choice(self.cases)
        self.client.timed("resident: case", lambda: self.client.page(f"/cases/{case}"))
        return None

    def tell_us(self) -> None:
        text = self.client.timed("resident: form", lambda: self.client.page("/cases/new"))
        token, key = CSRF.search(text or ""), IDEMPOTENCY.search(text or "")
        if token is None:
            return
        fields = {
            "csrf_token": token.group(1),
            "kind": self.rng.choice(("complaint", "service_request")),
            "description": f"Load test: the light on the stairs is out again ({uuid.uuid4().hex[:8]}).",
            "adjustments": "",
            "idempotency_key": key.group(1) if key and key.group(1) else uuid.uuid4().hex,
        }
        self.client.timed("resident: submit", lambda: self.client.post_form("/cases/new", fields))


class Staff(Person):
    def __init__(self, client: Client, rng: random.Random, email: str, password: str) -> None:
        super().__init__(client, rng)
        self.email, self.password = email, password
        self.cases: list[tuple[str, str]] = []

    def setup(self) -> None:
        self.client.sign_in(self.email, self.password)
        self.cases = CONSOLE_CASE.findall(self.client.page("/console/complaints?view=all"))

    def actions(self) -> list[tuple[Callable[[], None], int]]:
        return [(self.read_queue, 3), (self.read_case, 4)]

    def read_queue(self) -> None:
        view = self.rng.choice(QUEUES)
        text = self.client.timed("staff: queue", lambda: self.client.page(f"/console/complaints?view={view}"))
        if text:
            self.cases = CONSOLE_CASE.findall(text) or self.cases

    def read_case(self) -> None:
        if not self.cases:
            return self.read_queue()
        kind, number = self.rng.choice(self.cases)
        self.client.timed(f"staff: {kind[:-1]}", lambda: self.client.page(f"/console/{kind}/{number}"))
        return None


class Tool(Person):
    def __init__(self, client: Client, rng: random.Random, token: str) -> None:
        super().__init__(client, rng)
        self.token = token
        self.cursor: str | None = None

    def setup(self) -> None:
        self._page()

    def actions(self) -> list[tuple[Callable[[], None], int]]:
        return [(self.next_page, 1)]

    def next_page(self) -> None:
        data = self.client.timed("tool: contacts page", self._page)
        if data is not None:
            info = data["contacts"]["pageInfo"]
            self.cursor = info["endCursor"] if info["hasNextPage"] else None  # from the start again at the end

    def _page(self) -> dict[str, Any]:
        body = json.dumps({"query": TOOL_QUERY, "variables": {"after": self.cursor}}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        status, _headers, text = self.client.request("POST", "/graphql", body, headers)
        if status != 200:
            raise Failed(f"HTTP {status}")
        answer = json.loads(text)
        if answer.get("errors") or not answer.get("data"):
            raise Failed("GraphQL error")
        return dict(answer["data"])


def roles_for(clients: int, tools: bool = True) -> list[str]:
    """Share ``clients`` among the roles by :data:`MIX` (without tools when there are no tokens), interleaved."""
    mix = [(role, weight) for role, weight in MIX if tools or role != "tool"]
    cycle = [role for role, weight in mix for _ in range(weight)]
    # Interleave: resident, staff, tool, resident, staff, ... so that a short run still has every role.
    spread = sorted(range(len(cycle)), key=lambda i: (cycle[: i + 1].count(cycle[i]), i))
    order = [cycle[i] for i in spread]
    return [order[n % len(order)] for n in range(clients)]


def people(
    urls: Sequence[str],
    roles: Sequence[str],
    accounts: LoadAccounts,
    samples: Samples,
    budget: Budget,
    seed: int,
    think: float = 0.0,
) -> list[Person]:
    """One simulated person per role, each on the next server in turn and with an account of their own.

    With ``think`` seconds, each pauses after every request for a time drawn from an exponential distribution with
    that mean (at most four times it), as people do between pages; with none, the next request goes at once.
    """
    made: list[Person] = []
    seen = {"resident": 0, "staff": 0, "tool": 0}
    for index, role in enumerate(roles):
        client = Client(urls[index % len(urls)], samples, budget)
        rng = random.Random(seed * 1000 + index)  # noqa: S311 - what to do next, not a secret
        if think > 0:
            client.think = _pauses(random.Random(seed * 1000 + index + 500), think)  # noqa: S311 - not a secret
        n = seen[role]
        seen[role] += 1
        if role == "resident":
            made.append(Resident(client, rng, accounts.residents[n % len(accounts.residents)], accounts.password))
        elif role == "staff":
            made.append(Staff(client, rng, accounts.staff[n % len(accounts.staff)], accounts.password))
        else:
            made.append(Tool(client, rng, accounts.tokens[n % len(accounts.tokens)]))
    return made


def _pauses(rng: random.Random, mean: float) -> Callable[[], float]:
    return lambda: min(rng.expovariate(1 / mean), 4 * mean)


def _ready(person: Person) -> None:
    person.client.timeout = SETUP_TIMEOUT
    try:
        person.setup()
    except (Failed, OSError, http.client.HTTPException, ValueError) as failure:
        raise BenchError(f"a simulated {type(person).__name__.lower()} could not start ({failure})") from None
    finally:
        person.client.close()  # the next connection has the run's timeout
        person.client.timeout = TIMEOUT


def drive(people_: Sequence[Person], budget: Budget) -> float:
    """Get everyone ready, then run them all at once until the budget ends; return the seconds the run took.

    The first of each kind of person on each server goes alone, so each server builds each role's schema once,
    then the rest get ready eight at a time.
    """
    first: dict[tuple[str, str], Person] = {}
    for person in people_:
        first.setdefault((type(person).__name__, person.client.netloc), person)
    for person in first.values():
        _ready(person)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(_ready, [person for person in people_ if person not in first.values()]))
    threads = [threading.Thread(target=person.run, daemon=True) for person in people_]
    budget.start()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(budget.seconds + TIMEOUT + 5)
    return time.monotonic() - started
