"""docs/deploy.md's steps, followed on this machine's PostgreSQL and Redis in a folder of their own.

Each code block of the page follows a marker, ``<!-- deploy-step: KIND ... -->`` (the page's last section lists
them). The long test installs a release as the page says, checks that the site answers, upgrades to a second release
that adds a migration, rolls back, and removes what it made. The two releases are tags of a clone of this checkout's
committed HEAD: "new" is HEAD, "old" is HEAD without its last migration. It runs only where
LEARNLOOP_TEST_DATABASE_URL and LEARNLOOP_TEST_QUEUE_URL point at PostgreSQL and Redis (the second pass of .ci/run);
the short tests check the page against the code everywhere.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from backend.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "deploy.md"
STEP = re.compile(r"^<!-- deploy-step: (?P<marker>.+?) -->\n```[^\n]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
FENCE = re.compile(r"^```", re.MULTILINE)
HEADING = re.compile(r"^## (.+)$", re.MULTILINE)

# What the long test asks of a started web service: the health checks first, then two pages.
PAGES = ("/healthz", "/readyz", "/", "/sign-in")
# The Redis database the long test may use, and empty when it is done.
DEPLOY_REDIS_DB = 9
# The names at the top of the page whose values appear spelled out in files and scripts: the test puts its own
# values in their place everywhere. The others are only read from the shell.
SPELLED_OUT = ("APP_DIR", "CONF_DIR", "DATA_DIR", "BACKUP_DIR", "REPO_URL", "QUEUE_URL", "ATTACHMENTS_URL", "WEB_PORT")

# Stand-ins for the credentials the page has written into files of their own.
SECRETS = {
    "LEARNLOOP_SECRET_KEY": "x" * 64,
    "LEARNLOOP_SMTP_URL": "smtp+starttls://u:p@smtp.invalid:587",
    "LEARNLOOP_S3_SECRET_ACCESS_KEY": "y" * 40,
    "LEARNLOOP_METRICS_TOKEN": "z" * 64,
}


@dataclass(frozen=True)
class Step:
    section: str
    kind: str  # settings, run, file, start, stop, restart or shown
    argument: str
    body: str


def read_steps() -> list[Step]:
    text = DOC.read_text()
    headings = [(match.start(), match.group(1)) for match in HEADING.finditer(text)]
    steps = []
    for match in STEP.finditer(text):
        section = [title for start, title in headings if start < match.start()][-1]
        kind, _, argument = match.group("marker").partition(" ")
        steps.append(Step(section, kind, argument.strip(), match.group("body")))
    return steps


def doc_settings(steps: list[Step]) -> dict[str, str]:
    (block,) = [step.body for step in steps if step.kind == "settings"]
    values = {}
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            name, _, value = words[0].partition("=")
            values[name] = value
    return values


def file_step(steps: list[Step], path: str) -> str:
    (body,) = [step.body for step in steps if step.kind == "file" and step.argument.split()[0] == path]
    return body


def environment_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd reads them: comments and blank lines skipped, one pair of double quotes taken off."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    return values


def unit_service(text: str) -> list[tuple[str, str]]:
    """The [Service] section's settings in order (a unit may repeat a key, so no dictionary)."""
    section, pairs = "", []
    for line in text.splitlines():
        if line.startswith("["):
            section = line
        elif "=" in line and section == "[Service]":
            key, _, value = line.partition("=")
            pairs.append((key, value))
    return pairs


# The page against the code: these run everywhere.


def test_every_code_block_has_a_marker() -> None:
    text = DOC.read_text()
    blocks = len(FENCE.findall(text)) // 2
    steps = read_steps()
    assert blocks == len(steps), "every code block in docs/deploy.md follows a <!-- deploy-step: ... --> marker"
    assert {step.kind for step in steps} == {"settings", "run", "file", "start", "stop", "restart", "shown"}


def test_settings_block_names_what_the_test_replaces() -> None:
    steps = read_steps()
    values = doc_settings(steps)
    spelled = "\n".join(step.argument + "\n" + step.body for step in steps if step.kind in ("file", "run"))
    for name in SPELLED_OUT:
        assert values[name] in spelled, f"{name}'s value is spelled out nowhere: take it out of SPELLED_OUT"


def test_settings_file_names_only_real_settings() -> None:
    env = environment_file(file_step(read_steps(), "/etc/learnloop/learnloop.env"))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`LEARNLOOP_([A-Z0-9_]+)`", readme))
    assert (
        sorted(name.removeprefix("LEARNLOOP_") for name in env if name.removeprefix("LEARNLOOP_") not in documented)
        == []
    )
    credentials = {step.argument.rsplit("/", 1)[-1] for step in read_steps() if "/credentials/" in step.argument}
    assert not credentials & set(env), "a secret is in the settings file"


def test_settings_file_is_a_valid_production_configuration() -> None:
    env = environment_file(file_step(read_steps(), "/etc/learnloop/learnloop.env"))
    settings = load_settings(environ={**env, **SECRETS})
    assert settings.is_production
    assert settings.trusted_proxies == 1
    assert settings.attachments_url.startswith("s3://")


def test_nginx_takes_the_largest_upload_learnloop_takes() -> None:
    steps = read_steps()
    env = environment_file(file_step(steps, "/etc/learnloop/learnloop.env"))
    settings = load_settings(
        environ={
            "LEARNLOOP_ATTACHMENT_MAX_BYTES": env["LEARNLOOP_ATTACHMENT_MAX_BYTES"],
            "LEARNLOOP_ATTACHMENTS_PER_CONTACT": env["LEARNLOOP_ATTACHMENTS_PER_CONTACT"],
        },
        secret_key="x" * 64,
    )
    nginx = file_step(steps, "/etc/nginx/sites-available/learnloop")
    (size,) = re.findall(r"client_max_body_size (\d+)m;", nginx)
    assert int(size) * 1024 * 1024 == settings.upload_max_bytes


def test_nginx_sends_to_the_port_the_web_service_listens_on() -> None:
    steps = read_steps()
    port = doc_settings(steps)["WEB_PORT"]
    web = dict(unit_service(file_step(steps, "/etc/systemd/system/learnloop-web.service")))
    assert web["ExecStart"].endswith(f"--host 127.0.0.1 --port {port}")
    assert f"server 127.0.0.1:{port};" in file_step(steps, "/etc/nginx/sites-available/learnloop")


def test_units_load_every_secret_they_need() -> None:
    steps = read_steps()
    made = {step.argument.rsplit("/", 1)[-1] for step in steps if "/credentials/" in step.argument}
    made |= set(re.findall(r"credentials/(LEARNLOOP_[A-Z_]+)\"", "\n".join(s.body for s in steps if s.kind == "run")))
    for unit in ("learnloop-web.service", "learnloop-worker.service", "learnloop-backup.service"):
        loaded = [
            value
            for key, value in unit_service(file_step(steps, f"/etc/systemd/system/{unit}"))
            if key == "LoadCredential"
        ]
        names = {value.split(":", 1)[0] for value in loaded}
        # Every command refuses production settings without these three.
        assert {"LEARNLOOP_SECRET_KEY", "LEARNLOOP_DATABASE_URL", "LEARNLOOP_SMTP_URL"} <= names <= made, unit
        assert all(
            value == f"{name}:/etc/learnloop/credentials/{name}"
            for name, value in zip(sorted(names), sorted(loaded), strict=True)
        )


def test_web_unit_outwaits_the_graceful_timeout_and_empties_the_metrics_folder() -> None:
    steps = read_steps()
    env = environment_file(file_step(steps, "/etc/learnloop/learnloop.env"))
    graceful = load_settings(environ={**env, **SECRETS}).web_graceful_timeout
    web = unit_service(file_step(steps, "/etc/systemd/system/learnloop-web.service"))
    settings = dict(web)
    assert settings.get("KillSignal", "SIGTERM") == "SIGTERM", "SIGTERM is what lets requests in flight finish"
    assert int(settings["TimeoutStopSec"]) > graceful
    environment = dict(value.split("=", 1) for key, value in web if key == "Environment")
    folder = environment["PROMETHEUS_MULTIPROC_DIR"]
    assert folder == f"/run/{settings['RuntimeDirectory']}"
    assert settings["ExecStartPre"] == f"/usr/bin/find {folder} -mindepth 1 -delete"


def test_worker_unit_stops_the_worker_gracefully() -> None:
    worker = dict(unit_service(file_step(read_steps(), "/etc/systemd/system/learnloop-worker.service")))
    assert worker["KillSignal"] == "SIGINT", "on SIGINT the worker finishes its tasks and lets the lease go"
    assert worker["ExecStart"].endswith("learnloop worker")


def test_metrics_are_guarded_by_learnloop() -> None:
    steps = read_steps()
    env = environment_file(file_step(steps, "/etc/learnloop/learnloop.env"))
    settings = load_settings(environ={**env, **SECRETS})
    assert settings.metrics_allow
    web = unit_service(file_step(steps, "/etc/systemd/system/learnloop-web.service"))
    assert ("LoadCredential", "LEARNLOOP_METRICS_TOKEN:/etc/learnloop/credentials/LEARNLOOP_METRICS_TOKEN") in web


# The page followed on PostgreSQL and Redis.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _git(*args: str | Path) -> None:
    subprocess.run(["git", *map(str, args)], check=True, capture_output=True)


def make_releases(folder: Path) -> tuple[str, str]:
    """Clone HEAD, tag it "new", and commit its last migration away as "old"; return the clone's URL and that name."""
    upstream = folder / "upstream.git"
    _git("clone", "--quiet", ROOT, upstream)
    _git("-C", upstream, "tag", "new")
    last = sorted((upstream / "backend" / "migrations").glob("0*.py"))[-1]
    _git("-C", upstream, "rm", "--quiet", last.relative_to(upstream))
    _git(
        "-C",
        upstream,
        "-c",
        "user.name=Deploy test",
        "-c",
        "user.email=deploy@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-qm",
        "old",
    )
    _git("-C", upstream, "tag", "old")
    return f"file://{upstream}", last.stem


@dataclass
class Site:
    """The page's steps, done in a folder of their own: systemd's part played by subprocesses."""

    root: Path
    doc_values: dict[str, str]
    values: dict[str, str]
    database_url: str
    services: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spelled(self, text: str) -> str:
        for name in sorted(SPELLED_OUT, key=lambda n: -len(self.doc_values[n])):
            pattern = r"(?<![\w./])" + re.escape(self.doc_values[name]) + r"(?![\w.-])"
            text = re.sub(pattern, self.values[name].replace("\\", "\\\\"), text)
        return text

    def path(self, path: str) -> Path:
        path = self.spelled(path)
        return Path(path) if path.startswith(str(self.root)) else self.root / path.lstrip("/")

    def environment(self) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items() if not key.startswith("LEARNLOOP_") and key != "PORT"}
        return {**base, **self.values}

    def do(self, step: Step) -> None:
        if step.kind in ("settings", "shown"):
            return
        text = self.spelled(step.body)
        if step.kind == "file":
            path, *mode = step.argument.split()
            target = self.path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text + "\n")
            target.chmod(int(mode[0], 8) if mode else 0o640)
        elif step.kind == "run":
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", text],
                cwd=self.root,
                env=self.environment(),
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, f"{step.section}:\n{text}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        elif step.kind == "stop":
            self.stop(step.argument)
        elif step.kind == "restart":
            self.stop(step.argument)
            self.start(step.argument)
        else:
            self.start(step.argument)

    def unit(self, name: str) -> list[tuple[str, str]]:
        return unit_service(self.path(f"/etc/systemd/system/{name}").read_text())

    def start(self, name: str) -> None:
        service = self.unit(name)
        settings = dict(service)
        # systemd makes /run/NAME for RuntimeDirectory=NAME, afresh at each start; here it is under the test's folder.
        runtime = {}
        for folder in settings.get("RuntimeDirectory", "").split():
            made = self.root / "run" / folder
            shutil.rmtree(made, ignore_errors=True)
            made.mkdir(parents=True, mode=int(settings.get("RuntimeDirectoryMode", "0755"), 8))
            runtime[f"/run/{folder}"] = str(made)

        def here(text: str) -> str:
            for folder, made in runtime.items():
                text = re.sub(re.escape(folder) + r"(?![\w.-])", made, text)
            return text

        credentials = self.root / "run" / "credentials" / name
        credentials.mkdir(parents=True, exist_ok=True)
        for key, value in service:
            if key == "LoadCredential":
                credential, _, source = value.partition(":")
                (credentials / credential).write_bytes(Path(source).read_bytes())
        env = {**self.environment(), **environment_file(Path(settings["EnvironmentFile"]).read_text())}
        for key, value in service:
            if key == "Environment":
                variable, _, setting = value.partition("=")
                env[variable] = here(setting)
        env["CREDENTIALS_DIRECTORY"] = str(credentials)
        workdir = Path(settings["WorkingDirectory"])
        workdir.mkdir(parents=True, exist_ok=True)
        oneshot = settings.get("Type") == "oneshot"
        # The process keeps its own copy of the log's descriptor; ours is closed at once.
        with (self.root / "run" / f"{name}.log").open("ab") as log:
            # Before the service: its ExecStartPre= lines; a oneshot's ExecStart= and ExecStartPost= run the same way.
            kinds = ("ExecStartPre", "ExecStart", "ExecStartPost") if oneshot else ("ExecStartPre",)
            for key, command in service:
                if key in kinds:
                    done = subprocess.run(
                        shlex.split(here(command)), cwd=workdir, env=env, stdout=log, stderr=log, check=False
                    )
                    assert done.returncode == 0, f"{key}={command}\n{self.log(name)}"
            if oneshot:
                return
            argv = shlex.split(here(settings["ExecStart"]))
            process = subprocess.Popen(argv, cwd=workdir, env=env, stdout=log, stderr=log, start_new_session=True)
        self.services[name] = process
        if name == "learnloop-web.service":
            self.wait_for_pages(process, name)
        else:
            time.sleep(3)
            assert process.poll() is None, self.log(name)

    def stop(self, name: str, *, check: bool = True) -> None:
        """Stop as systemd would; with check, the service must have been running and stop by itself, cleanly."""
        process = self.services.pop(name, None)
        if process is None or process.poll() is not None:
            assert not check or process is None, f"{name} had stopped by itself\n{self.log(name)}"
            return
        settings = dict(self.unit(name))
        os.killpg(process.pid, getattr(signal, settings.get("KillSignal", "SIGTERM")))
        try:
            process.wait(timeout=min(int(settings.get("TimeoutStopSec", "90")), 60))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            assert not check, f"{name} did not stop within its TimeoutStopSec=\n{self.log(name)}"
        assert not check or process.returncode == 0, f"{name} stopped with {process.returncode}\n{self.log(name)}"

    def stop_all(self) -> None:
        for name in list(self.services):
            self.stop(name, check=False)

    def log(self, name: str) -> str:
        return (self.root / "run" / f"{name}.log").read_text(errors="replace")[-4000:]

    def wait_for_pages(self, process: subprocess.Popen[bytes], name: str) -> None:
        deadline = time.monotonic() + 90
        for path in PAGES:
            while True:
                assert process.poll() is None, self.log(name)
                try:
                    url = f"http://127.0.0.1:{self.values['WEB_PORT']}{path}"
                    with urllib.request.urlopen(url, timeout=10) as answer:
                        assert answer.status == 200, path
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, f"{path} did not answer\n{self.log(name)}"
                    time.sleep(0.5)

    def applied_migrations(self) -> set[str]:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return {name for (name,) in conn.execute("SELECT name FROM schema_migration")}


@pytest.fixture
def deploy_database() -> Iterator[str]:
    import psycopg

    test_url = os.environ.get("LEARNLOOP_TEST_DATABASE_URL", "")
    if not test_url.startswith("postgres") or not os.environ.get("LEARNLOOP_TEST_QUEUE_URL", "").startswith("redis"):
        pytest.skip("LEARNLOOP_TEST_DATABASE_URL (PostgreSQL) and LEARNLOOP_TEST_QUEUE_URL (Redis) are not set")
    name = f"learnloop_deploy_{os.getpid()}"
    admin = urlparse(test_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlparse(test_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def deploy_queue_url() -> Iterator[str]:
    import redis

    queue = urlparse(os.environ.get("LEARNLOOP_TEST_QUEUE_URL", ""))
    url = queue._replace(path=f"/{DEPLOY_REDIS_DB}").geturl()
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.mark.postgres
def test_deploy_doc_installs_upgrades_and_rolls_back(
    tmp_path: Path, deploy_database: str, deploy_queue_url: str
) -> None:
    steps = read_steps()
    doc_values = doc_settings(steps)
    repo_url, last_migration = make_releases(tmp_path)
    root = tmp_path / "root"
    root.mkdir()
    database = urlparse(deploy_database)
    values = {
        **doc_values,
        "APP_USER": os.environ.get("USER", "learnloop"),
        "APP_DIR": str(root / "srv" / "learnloop"),
        "CONF_DIR": str(root / "etc" / "learnloop"),
        "DATA_DIR": str(root / "var" / "lib" / "learnloop"),
        "BACKUP_DIR": str(root / "var" / "backups" / "learnloop"),
        "REPO_URL": repo_url,
        "RELEASE": "old",
        "NEW_RELEASE": "new",
        "DB_HOST": database.hostname or "127.0.0.1",
        "DB_PORT": str(database.port or 5432),
        "DB_NAME": database.path.lstrip("/"),
        "DB_USER": database.username or "postgres",
        "QUEUE_URL": deploy_queue_url,
        "ATTACHMENTS_URL": f"file:{root}/var/lib/learnloop/attachments",  # no S3 here
        "WEB_PORT": str(_free_port()),
        "AS_APP": "",  # the test's own user plays the service's
        "AS_POSTGRES": "",  # and PostgreSQL's administrator, through these
        "PGHOST": database.hostname or "127.0.0.1",
        "PGPORT": str(database.port or 5432),
        "PGUSER": database.username or "postgres",
    }
    site = Site(root, doc_values, values, deploy_database)
    checks = {
        "9. The services": lambda: last_migration not in site.applied_migrations(),
        "Upgrading": lambda: last_migration in site.applied_migrations(),
        "Rolling back": lambda: last_migration not in site.applied_migrations(),
    }
    try:
        for index, step in enumerate(steps):
            site.do(step)
            if step.kind == "run" and "credentials/LEARNLOOP_DATABASE_URL" in step.body:
                # Section 3's role and password are root's to make; here the database is made and its URL is known.
                site.path("/etc/learnloop/credentials/LEARNLOOP_DATABASE_URL").write_text(deploy_database)
            last_of_section = index + 1 == len(steps) or steps[index + 1].section != step.section
            if last_of_section and step.section in checks:
                assert checks.pop(step.section)(), f"the migrations after {step.section!r} are not as expected"
        assert checks == {}
    finally:
        site.stop_all()
