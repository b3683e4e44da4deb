"""The ``learnloop`` command: serve, worker, migrate, demo, users, tokens, operations, schema, lessons, bench and
loadtest."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
from werkzeug.serving import WSGIRequestHandler, run_simple

from backend.config import ConfigError, Settings, load_settings, set_current
from backend.context import SYSTEM
from backend.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound

# Each command imports the database, the app or the schema inside itself, as it needs them: importing them all here
# would make every command, ``learnloop --help`` included, wait two seconds or more for what most never use.


def _settings() -> Settings:
    try:
        settings = load_settings()
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None
    set_current(settings)
    return settings


def _database(settings: Settings) -> Any:
    from backend.db import init_database  # peewee and the models: a third of a second to import

    return init_database(settings.database_url, settings.instance_path)


class QuietRequestHandler(WSGIRequestHandler):
    """The development server's handler, without the Server header that names its software and version."""

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() != "server":
            super().send_header(keyword, value)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Learnloop: learn from what residents say, and show them what changed."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Defaults to $PORT, then 5000.")
@click.option("--with-worker", is_flag=True, help="Also run a queue worker (for one-machine use).")
def serve(host: str, port: int | None, with_worker: bool) -> None:
    """Serve the web app (development server; use gunicorn in production)."""
    settings = _settings()
    port = port or int(os.environ.get("PORT", "5000"))
    from portal.app import DemoAccountsPresent, create_app  # the whole app: two seconds to import

    try:
        app = create_app(settings)
    except DemoAccountsPresent as error:
        raise click.ClickException(str(error)) from None
    worker = None
    if with_worker:
        worker = subprocess.Popen([sys.executable, "-m", "portal.cli", "worker"])
    click.echo(f"Learnloop is running on http://{host}:{port}/ (press Ctrl+C to stop)")
    try:
        run_simple(
            host,
            port,
            app,
            threaded=True,
            use_reloader=False,
            use_debugger=settings.debug,
            request_handler=QuietRequestHandler,
        )
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


@main.command()
@click.option("--workers", type=int, default=2, show_default=True, help="Worker threads.")
@click.option("--no-periodic", is_flag=True, help="Do not schedule periodic tasks (run one scheduler per site).")
def worker(workers: int, no_periodic: bool) -> None:
    """Run the queue consumer."""
    settings = _settings()
    _database(settings)
    # The tasks and the queue: a second to import, and only the worker runs them.
    import tasks.lesson_qa  # noqa: F401 - registers the monthly lessons QA
    from backend.events.services import set_dispatcher
    from tasks import (  # noqa: F401 - registers the tasks
        cocreation_impact,
        cocreation_rounds,
        complaints,
        lessons,
        maintenance,
        panel_requests,
        panel_responses,
        panels,
        phone,
        reports,
        surveys,
    )
    from tasks.dispatch import enqueue_dispatch, recover_interrupted
    from tasks.queue import configure_queue

    huey = configure_queue(settings, immediate=False)
    set_dispatcher(enqueue_dispatch)
    recover_interrupted(priority=10)  # whatever a crash of the last worker left half-done
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic)
    consumer.run()


@main.command("mail-receiver")
@click.option("--host", default=None, help="Defaults to $LEARNLOOP_MAIL_RECEIVER_HOST, then 127.0.0.1.")
@click.option("--port", type=int, default=None, help="Defaults to $LEARNLOOP_MAIL_RECEIVER_PORT, then 8025.")
def mail_receiver(host: str | None, port: int | None) -> None:
    """Receive the complaints mailbox's email by SMTP: each message becomes a contact or a reply on its case."""
    settings = _settings()
    database = _database(settings)
    # The receiver, and the queue that the acknowledgements of new contacts go through.
    from backend.events.services import set_dispatcher
    from portal.mailbox import start_receiver
    from tasks.dispatch import enqueue_dispatch
    from tasks.queue import configure_queue

    configure_queue(settings)
    set_dispatcher(enqueue_dispatch)
    host = host or settings.mail_receiver_host
    port = port or settings.mail_receiver_port
    stop = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # before the receiver's thread starts, so it inherits the mask
    controller = start_receiver(settings, database, host, port)
    click.echo(f"Receiving the complaints mailbox's email on {host}:{port} (press Ctrl+C to stop)")
    try:
        signal.sigwait(stop)
    finally:
        controller.stop()


@main.command()
@click.option("--down", "down_to", metavar="NAME", help="Revert migrations back through NAME.")
@click.option("--status", is_flag=True, help="List migrations and whether each is applied.")
@click.option("--new", "new_name", metavar="NAME", help="Write the next migration for what the models changed.")
def migrate(down_to: str | None, status: bool, new_name: str | None) -> None:
    """Apply pending database migrations."""
    # Peewee and the models: a third of a second to import.
    from backend.migrate import migrate_down, migrate_status, migrate_up, new_migration

    if new_name:
        path, changed = new_migration(new_name)
        if changed:
            click.echo(f"wrote {path} from what the models changed: read it, and say why in its docstring")
        else:
            click.echo(f"the migrations already match the models: wrote an empty {path} for a change to data")
        return
    settings = _settings()
    database = _database(settings)

    with database.connection_context():
        if status:
            for name, applied in migrate_status(database):
                click.echo(f"{'applied ' + str(applied) if applied else 'pending':<35} {name}")
            return
        if down_to:
            for name in migrate_down(database, down_to):
                click.echo(f"reverted {name}")
            return
        applied = migrate_up(database)
    click.echo("applied " + ", ".join(applied) if applied else "the database is up to date")


@main.command()
@click.option("--remove", is_flag=True, help="Deactivate and anonymise the demo accounts.")
def demo(remove: bool) -> None:
    """Load demo data (idempotent) and print the demo sign-ins."""
    settings = _settings()
    database = _database(settings)
    # Every service: a second to import.
    from backend.demo import DEMO_PASSWORD, DemoRefused, load_demo, remove_demo_accounts

    with database.connection_context():
        if remove:
            click.echo(f"removed {remove_demo_accounts()} demo accounts")
            return
        try:
            accounts = load_demo()
        except DemoRefused as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(f"  {account.email:<32} {', '.join(account.roles)}")


@main.group()
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Display name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["resident", "advocate", "panel_member", "staff", "manager", "admin"]),
)
@click.option("--password", help="Omit to email the person a link to choose one.")
def users_create(email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Create an account."""
    settings = _settings()
    database = _database(settings)
    _use_queue(settings)
    from backend.accounts.services import create_user  # the account services: most of a second to import

    with database.connection_context():
        try:
            user = create_user(SYSTEM, email, name, list(roles), password=password)
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
    click.echo(f"created user {user.id} <{user.email}> with roles {', '.join(sorted(roles))}")


@users.command("list")
def users_list() -> None:
    """List accounts with their roles."""
    settings = _settings()
    database = _database(settings)
    from backend.accounts.models import User  # peewee and the models: a third of a second to import

    with database.connection_context():
        for user in User.select().order_by(User.id):
            state = "active" if user.is_active else "inactive"
            click.echo(f"{user.id:>5}  {user.email:<36} {state:<9} {', '.join(sorted(user.role_names()))}")


@users.command("set-roles")
@click.option("--email", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["resident", "advocate", "panel_member", "staff", "manager", "admin"]),
)
def users_set_roles(email: str, roles: tuple[str, ...]) -> None:
    """Replace an account's roles."""
    settings = _settings()
    database = _database(settings)
    # The account services: most of a second to import.
    from backend.accounts.services import set_roles
    from backend.accounts.users import find_user_by_email

    with database.connection_context():
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"no account for {email}")
        try:
            set_roles(SYSTEM, user.id, list(roles))
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
    click.echo(f"{email} now has roles {', '.join(sorted(set(roles)))}")


@users.command("reset-second-factor")
@click.option("--email", required=True)
def users_reset_second_factor(email: str) -> None:
    """Turn off an account's two-step sign-in (for an admin who lost their phone and recovery codes)."""
    settings = _settings()
    database = _database(settings)
    _use_queue(settings)
    # The second-factor service: most of a second to import.
    from backend.accounts import second_factor
    from backend.accounts.users import find_user_by_email

    with database.connection_context():
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"no account for {email}")
        try:
            second_factor.reset(SYSTEM, user.id)
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
    click.echo(f"two-step sign-in is off for {email}; they have been told by email")


@main.group()
def tokens() -> None:
    """Manage API tokens for third-party tools."""


@tokens.command("create")
@click.option("--email", required=True, help="The account the token acts for.")
@click.option("--scope", type=click.Choice(["read", "write"]), required=True)
@click.option("--name", default="", help="A label to recognise it by.")
def tokens_create(email: str, scope: str, name: str) -> None:
    """Create a token and print it once."""
    settings = _settings()
    database = _database(settings)
    from backend.accounts.tokens import create_token  # peewee and the models: a third of a second to import

    with database.connection_context():
        try:
            token, plain = create_token(SYSTEM, email, scope, name)
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
    click.echo(f"token {token.id} ({token.scope}) for {email}. Copy it now, it is not shown again:")
    click.echo(plain)


@tokens.command("list")
def tokens_list() -> None:
    """List tokens (never their secrets)."""
    settings = _settings()
    database = _database(settings)
    from backend.accounts.models import ApiToken, User  # peewee and the models: a third of a second to import

    with database.connection_context():
        query = ApiToken.select(ApiToken, User).join(User, on=ApiToken.user).order_by(ApiToken.id)
        for token in query:
            state = "revoked" if token.revoked_at else "live"
            click.echo(f"{token.id:>5}  {token.prefix}…  {token.scope:<5} {state:<7} {token.user.email}  {token.name}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by id."""
    settings = _settings()
    database = _database(settings)
    from backend.accounts.tokens import revoke_token  # peewee and the models: a third of a second to import

    with database.connection_context():
        try:
            revoke_token(SYSTEM, token_id)
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
    click.echo(f"token {token_id} revoked")


@main.group()
def operations() -> None:
    """The portal's registered GraphQL operations (persisted queries)."""


@operations.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a manifest with each document, for tools.")
def operations_list(as_json: bool) -> None:
    """List each operation's name, kind and sha256: the id a client may send instead of the text."""
    from portal.operations import registry  # the schema and every operation: a second to import

    registered = sorted(registry().values(), key=lambda op: op.name)
    if as_json:
        manifest = {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [
                {"id": op.sha256, "name": op.name, "type": op.kind, "body": op.document} for op in registered
            ],
        }
        click.echo(json.dumps(manifest, indent=2))
        return
    for op in registered:
        click.echo(f"{op.name:<32} {op.kind:<9} {op.sha256}")


@main.group()
def schema() -> None:
    """The published GraphQL schema (SDL), per role and token scope."""


@schema.command("print")
@click.option("--role", default="staff", show_default=True, help="The role whose schema to print.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="write", show_default=True)
@click.option("--all", "write_every", is_flag=True, help="Write every role's file under docs/schema/ instead.")
def schema_print(role: str, scope: str, write_every: bool) -> None:
    """Print the SDL a token of ROLE and SCOPE sees, or write every published file with --all."""
    # The schema: a second and a half to import.
    from schema import published
    from schema.app import build_engine

    engine = build_engine(_settings())
    if write_every:
        for path in published.write_all(engine):
            click.echo(f"wrote {path}")
        return
    try:
        click.echo(published.sdl(engine, role, scope), nl=False)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Fraction of the landlord-scale dataset (0.01 for a quick run).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed for the generated dataset.")
@click.option(
    "--iterations",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Timed runs of each operation, after a warm-up.",
)
@click.option(
    "--database-url",
    default="sqlite:///instance/bench.sqlite3",
    show_default=True,
    help="The benchmark's own database (sqlite:/// or postgresql://), never the application's.",
)
@click.option("--regenerate", is_flag=True, help="Rebuild the dataset even if one with this scale and seed exists.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the results here, as JSON.")
@click.option("--reports-only", is_flag=True, help="Time only the reports (annual, TSM, SPSO, board, equality).")
@click.option("--cocreation-only", is_flag=True, help="Time only co-creation: a round's count and the public pages.")
def bench(
    scale: float,
    seed: int,
    iterations: int,
    database_url: str,
    regenerate: bool,
    json_path: str | None,
    reports_only: bool,
    cocreation_only: bool,
) -> None:
    """Time the GraphQL engine on a generated landlord-scale dataset against hand-written SQL."""
    settings = _settings()
    # bench/ sits in the source checkout beside the packages and is not installed with them.
    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / "bench" / "__init__.py").exists():
        raise click.ClickException("the benchmark runs from a source checkout, which has a bench/ folder")
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    # Only now can bench/ be imported: the lines above put the checkout that holds it on the path.
    from bench import BenchError
    from bench.runner import run_benchmark

    try:
        report = run_benchmark(
            settings,
            database_url,
            scale,
            seed,
            iterations,
            regenerate,
            Path(json_path) if json_path else None,
            reports_only=reports_only,
            cocreation_only=cocreation_only,
        )
    except BenchError as error:
        raise click.ClickException(str(error)) from None
    if not report["floor_matches"]:
        raise click.ClickException("the floor's JSON differs from the engine's, so the ratios are not comparable")


@main.command()
@click.option(
    "--url", "urls", multiple=True, required=True, help="A running site on this machine (repeat for several)."
)
@click.option("--clients", type=click.IntRange(min=1, max=1000), default=50, show_default=True)
@click.option("--duration", type=click.FloatRange(min=1, max=3600), default=60, show_default=True, help="Seconds.")
@click.option("--max-requests", type=click.IntRange(min=1), default=None, help="Stop after this many requests.")
@click.option(
    "--prepare/--demo-accounts",
    default=True,
    show_default=True,
    help="Make the load test's own accounts in this site's database, or sign in as the demo accounts.",
)
@click.option("--token", "tokens", multiple=True, help="With --demo-accounts: a read token for each simulated tool.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the results here, as JSON.")
def loadtest(
    urls: tuple[str, ...],
    clients: int,
    duration: float,
    max_requests: int | None,
    prepare: bool,
    tokens: tuple[str, ...],
    seed: int,
    json_path: str | None,
) -> None:
    """Drive a running site with simulated residents, staff and tools; print throughput and latency."""
    settings = _settings()
    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / "bench" / "__init__.py").exists():
        raise click.ClickException("the load test runs from a source checkout, which has a bench/ folder")
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    # Only now can bench/ be imported: the lines above put the checkout that holds it on the path.
    from bench import BenchError
    from bench.loadprep import LoadAccounts, demo_accounts, prepare_accounts
    from bench.loadrun import run_loadtest
    from bench.loadtest import check_loopback, roles_for

    try:
        for url in urls:
            check_loopback(url)  # before anything is written to the database
        if prepare:
            roles = roles_for(clients)
            database = _database(settings)
            _use_queue(settings)
            with database.connection_context():
                accounts: LoadAccounts = prepare_accounts(*(roles.count(r) for r in ("resident", "staff", "tool")))
        else:
            accounts = demo_accounts(tokens)
        run_loadtest(
            list(urls), accounts, clients, duration, max_requests, seed, Path(json_path) if json_path else None
        )
    except BenchError as error:
        raise click.ClickException(str(error)) from None


@main.group()
def lessons() -> None:
    """The lessons collector."""


@lessons.command("qa")
@click.option("--month", required=True, help="The UK month to count, as YYYY-MM.")
@click.option("--send", is_flag=True, help="Also send it to managers, unless it was sent before.")
def lessons_qa(month: str, send: bool) -> None:
    """Compute a month's lessons QA figures (replacing any computed before)."""
    settings = _settings()
    database = _database(settings)
    _use_queue(settings)
    from backend.lessons import qa  # the lessons and complaints models: most of a second to import

    with database.connection_context():
        try:
            report = qa.compute_report(SYSTEM, month)
            sent = qa.send_report(report.id) if send else False
        except DomainError as error:
            raise click.ClickException(_describe(error)) from None
        shown = qa.rates(report)
        for figure in ("transfer", "smart", "on_time", "effective"):
            met, due = getattr(report, f"{figure}_met"), getattr(report, f"{figure}_due")
            value = "no items" if shown[figure] is None else f"{shown[figure]:g}%"
            click.echo(f"{figure:<10} {met} of {due}: {value}")
        click.echo(f"{'overdue':<10} {report.overdue_count}")
        if send:
            click.echo("sent to managers" if sent else "already sent before; not sent again")


def _use_queue(settings: Settings) -> None:
    # The tasks and the queue: a second to import, and only the commands that send mail need them.
    from backend.events.services import set_dispatcher
    from tasks.dispatch import enqueue_dispatch
    from tasks.queue import configure_queue

    configure_queue(settings, immediate=False)
    set_dispatcher(enqueue_dispatch)


def _describe(error: Exception) -> str:
    if isinstance(error, Invalid):
        return f"{error.field}: {error.code}"
    if isinstance(error, Conflict):
        return error.code.replace("_", " ")
    if isinstance(error, NotFound):
        return f"no {error.entity} {error.key}"
    if isinstance(error, NotAllowed):
        return f"not allowed: {error.action}"
    return str(error)


if __name__ == "__main__":
    main()
