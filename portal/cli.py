"""The ``learnloop`` command: serve, worker, migrate, demo, backup, restore, users, tokens, operations, schema, lessons,
attachments, privacy, bench and loadtest."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
from werkzeug.serving import WSGIRequestHandler, run_simple

from backend.config import ConfigError, Settings, load_settings, production_problems, set_current
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
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn: LEARNLOOP_WEB_WORKERS processes of LEARNLOOP_WEB_THREADS threads each, one JSON line "
    "per request, and SIGTERM lets the requests in flight finish. Needs LEARNLOOP_ENV=production.",
)
def serve(host: str, port: int | None, with_worker: bool, production: bool) -> None:
    """Serve the web app: the development server, or with --production the production server (docs/server.md)."""
    settings = _settings()
    port = port or int(os.environ.get("PORT", "5000"))
    if production:
        if with_worker:
            raise click.ClickException("--with-worker is for one-machine development; run `learnloop worker` apart")
        _serve_production(settings, host, port)
        return
    if settings.is_production:
        click.echo("This is the development server: serve production traffic with --production.", err=True)
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


def _serve_production(settings: Settings, host: str, port: int) -> None:
    """Refuse development settings and demo accounts, then hand over to gunicorn until it stops."""
    problems = production_problems(settings)
    if problems:
        raise click.ClickException("refusing to serve in production: " + "; ".join(problems))
    # The app and gunicorn: two seconds to import, and only a server needs them.
    from portal.app import DemoAccountsPresent, refuse_demo_accounts
    from portal.server import run_production

    database = _database(settings)
    try:
        refuse_demo_accounts(database)
    except DemoAccountsPresent as error:
        raise click.ClickException(str(error)) from None
    finally:
        # Nothing opened here may reach the workers: each opens its own after the fork.
        getattr(database, "close_all", database.close)()
    click.echo(
        f"Learnloop is serving on http://{host}:{port}/ with {settings.web_worker_count} workers of "
        f"{settings.web_threads} threads (SIGTERM stops it gracefully)"
    )
    run_production(settings, host, port)


@main.command()
@click.option("--workers", type=int, default=2, show_default=True, help="Worker threads.")
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Never schedule the periodic tasks. Without it, one worker of the site at a time schedules them, by a lease.",
)
def worker(workers: int, no_periodic: bool) -> None:
    """Run the queue consumer; the one holding the site's lease also enqueues the periodic tasks (docs/server.md)."""
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
        privacy,
        reports,
        surveys,
    )
    from tasks.dispatch import enqueue_dispatch, recover_interrupted
    from tasks.queue import configure_queue
    from tasks.scheduler import LeasedConsumer, lease_for

    huey = configure_queue(settings, immediate=False)
    set_dispatcher(enqueue_dispatch)
    recover_interrupted(priority=10)  # whatever a crash of the last worker left half-done
    seconds = settings.scheduler_lease_seconds
    consumer = LeasedConsumer(
        huey,
        lease=lease_for(huey, seconds),
        lease_seconds=seconds,
        workers=workers,
        worker_type="thread",
        periodic=not no_periodic,
    )
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


@main.command()
@click.option(
    "--to",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    help="Make a backup in a new folder under this one.",
)
@click.option(
    "--verify",
    "backup_folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Check this backup against its own checksums instead (nothing is restored).",
)
@click.option("--with-secrets", is_flag=True, help="Also put the site's secret key in the backup.")
def backup(parent: Path | None, backup_folder: Path | None, with_secrets: bool) -> None:
    """Back up the database and the attachments (--to DIR), or check a backup (--verify BACKUP)."""
    if (parent is None) == (backup_folder is None):
        raise click.UsageError("give either --to DIR or --verify BACKUP")
    # The backups and the attachment store: most of a second to import.
    from backend.attachments.storage import NotStored
    from backend.backups.description import Damaged
    from backend.backups.services import Refused, create_backup, verify_backup

    if backup_folder is not None:
        if with_secrets:
            raise click.UsageError("--with-secrets is for making a backup, with --to")
        try:
            checked = verify_backup(backup_folder)
        except Damaged as error:
            raise click.ClickException(_damaged(backup_folder, error.problems)) from None
        click.echo(
            f"{backup_folder} is intact: a {checked.database} backup made {checked.created_at}, "
            f"{checked.attachments} attachments"
        )
        return
    assert parent is not None
    settings = _settings()
    try:
        made = create_backup(settings, parent, with_secrets=with_secrets)
    except Refused as error:
        raise click.ClickException(str(error)) from None
    except (OSError, NotStored) as error:  # NotStored: the disk is full
        raise click.ClickException(f"could not write the backup: {error}") from None
    described = made.description
    click.echo(f"backed up to {made.folder}")
    click.echo(
        f"  {described.database} database at {described.migrations[-1] if described.migrations else 'no migration'}, "
        f"{sum(described.tables.values())} rows in {len(described.tables)} tables, "
        f"{described.attachments} attachments ({described.attachment_bytes} bytes)"
    )
    click.echo(f"  backup.json SHA-256 {hashlib.sha256((made.folder / 'backup.json').read_bytes()).hexdigest()}")
    if not described.files_included:
        click.echo("  the attachment store is not a local folder: its objects stay there (keep it versioned)")
    if with_secrets:
        click.echo("  it holds the secret key: keep it as safe as the key itself")
    if described.not_copied:
        raise click.ClickException(
            f"{len(described.not_copied)} of the attachments the database lists were missing from the store or "
            f"differed from their checksums, and are not in the backup: {made.folder / 'backup.json'} lists them"
        )


@main.command()
@click.option(
    "--from",
    "backup_folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The backup folder to restore.",
)
@click.option(
    "--new-secret-key",
    is_flag=True,
    help="Restore though the configured secret key is not the backed-up site's (two-step sign-in is set up again).",
)
def restore(backup_folder: Path, new_secret_key: bool) -> None:
    """Restore a backup into the configured empty database and attachment store, then migrate it."""
    settings = _settings()
    # The backups, the attachment store and the migrations: most of a second to import.
    from backend.attachments.storage import NotStored
    from backend.backups.description import Damaged
    from backend.backups.services import Refused, restore_backup

    try:
        restored = restore_backup(settings, backup_folder, new_secret_key=new_secret_key)
    except Damaged as error:
        raise click.ClickException(_damaged(backup_folder, error.problems) + "; nothing was restored") from None
    except Refused as error:
        raise click.ClickException(str(error)) from None
    except (OSError, NotStored) as error:  # NotStored: the disk is full
        raise click.ClickException(f"could not restore: {error}") from None
    click.echo(f"restored {backup_folder}; attachments checked in the store: {restored.attachments}")
    if restored.secret_key_written:
        click.echo(f"  the backed-up site's secret key is now in {settings.instance_path / 'secret_key'}")
    if restored.not_copied:
        click.echo(f"  attachments already missing when the backup was made: {len(restored.not_copied)}")
    applied = restored.migrations_applied
    click.echo("  applied " + ", ".join(applied) if applied else "  the database is up to date")


def _damaged(folder: Path, problems: list[str]) -> str:
    shown = "\n  ".join(problems[:20])
    more = f"\n  and {len(problems) - 20} more" if len(problems) > 20 else ""
    return f"{folder} fails its checks:\n  {shown}{more}"


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
@click.option(
    "--think",
    type=click.FloatRange(min=0, max=60),
    default=0,
    show_default=True,
    help="Mean seconds each simulated person pauses after a request, as people do between pages (0: no pause).",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the results here, as JSON.")
def loadtest(
    urls: tuple[str, ...],
    clients: int,
    duration: float,
    max_requests: int | None,
    prepare: bool,
    tokens: tuple[str, ...],
    think: float,
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
            list(urls),
            accounts,
            clients,
            duration,
            max_requests,
            seed,
            Path(json_path) if json_path else None,
            think=think,
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


@main.group()
def attachments() -> None:
    """The stored files: check them against their checksums, or move them to another store."""


def _store(settings: Settings, url: str | None) -> Any:
    from backend.complaints.files import storage  # the models: a third of a second to import

    try:
        return storage(settings, url)
    except ValueError as error:
        raise click.ClickException(f"{url}: {error}") from None


def _print_file(outcome: str, stored: Any) -> None:
    # The table and id say which file; nothing about the person or the file's name is printed.
    click.echo(f"{outcome:<8} {stored.table} {stored.row_id}")


@attachments.command("verify")
@click.option("--url", default=None, help="The store to check (default: LEARNLOOP_ATTACHMENTS_URL).")
def attachments_verify(url: str | None) -> None:
    """Read every stored file and check it against the size and checksum recorded when it was saved."""
    settings = _settings()
    database = _database(settings)
    from backend.attachments.moving import verify_all  # the models: a third of a second to import

    store = _store(settings, url)
    with database.connection_context():
        tally = verify_all(store, _print_file)
    click.echo(f"{tally.good} good, {len(tally.missing)} missing, {len(tally.damaged)} damaged")
    if tally.problems:
        raise click.ClickException("some stored files are missing or damaged (listed above)")


@attachments.command("migrate")
@click.option("--from", "source_url", default=None, help="The store to copy from (default: LEARNLOOP_ATTACHMENTS_URL).")
@click.option("--to", "target_url", required=True, help="The store to copy to: s3://bucket/prefix or file:<folder>.")
@click.option(
    "--delete-source", is_flag=True, help="Once every file is in the new store and checked, delete the originals."
)
def attachments_migrate(source_url: str | None, target_url: str, delete_source: bool) -> None:
    """Copy every stored file to another store, checking each copy; run it again to finish an interrupted run."""
    settings = _settings()
    database = _database(settings)
    from backend.attachments.moving import move_all  # the models: a third of a second to import

    if (source_url or settings.attachments_url) == target_url:
        raise click.ClickException("--from and --to name the same store")
    source, target = _store(settings, source_url), _store(settings, target_url)
    with database.connection_context():
        tally = move_all(source, target, delete_source=delete_source, report=_print_file)
    click.echo(
        f"{tally.copied} copied, {tally.good} already there, {len(tally.missing)} missing, "
        f"{len(tally.damaged)} damaged, {len(tally.failed)} failed"
    )
    if tally.problems:
        raise click.ClickException(
            "some files were not copied (listed above)" + ("; nothing was deleted" if delete_source else "")
        )
    if delete_source:
        click.echo(f"deleted {tally.deleted} originals")
    else:
        click.echo(f"every file is in {target_url}: point LEARNLOOP_ATTACHMENTS_URL at it, then delete the originals")


@main.group()
def privacy() -> None:
    """Personal data: subject access and erasure on request (docs/privacy.md)."""


RECORD_LABELS = {
    "contact": "cases (contacts)",
    "complaint": "complaints",
    "survey_response": "survey responses",
    "delivery": "messages sent",
    "portal_message": "inbox messages",
    "letter": "letters",
    "change_comment": "comments on changes",
    "vote": "votes (the home they were cast from)",
    "account": "account",
    "audit_event": "audit entries (their personal values)",
    "inbound_mail": "mail received that reached no case",
}
KEPT_REASONS = {
    "legal_hold": "a legal hold keeps it",
    "open": "still open: the landlord still owes an answer",
    "ombudsman": "with the Ombudsman: not determined, or orders not complied with",
    "cases_kept": "kept while any of its cases is kept",
}


@privacy.command("erase")
@click.option("--email", required=True, help="The person's email address: their account's, or given with a contact.")
@click.option("--yes", is_flag=True, help="Do not ask to confirm (for scripts).")
def privacy_erase(email: str, yes: bool) -> None:
    """Erase one person's personal details on request (UK GDPR article 17), keeping the figures and what a legal
    hold, an open case or the Ombudsman needs. Prints what will be erased and kept, then asks to confirm."""
    settings = _settings()
    database = _database(settings)
    from backend.errors import Conflict
    from backend.privacy.erasure import RECORD_TYPES, erase_person, plan_erasure  # the models: a third of a second

    if len(email) > 254:
        raise click.ClickException("an email address is at most 254 characters")
    with database.connection_context():
        plan = plan_erasure(email)
        if not plan.found:
            raise click.ClickException("nobody with that email address: no account, and no contact gave it")
        counts = plan.selection.counts()
        click.echo("Will erase:")
        for record_type in RECORD_TYPES:
            click.echo(f"  {counts[record_type]:>6}  {RECORD_LABELS[record_type]}")
        click.echo("Will keep (dates, stages, outcomes and every figure in reports stay in any case):")
        if not plan.selection.kept:
            click.echo("  nothing else")
        for record_type, record_id, reason in plan.selection.kept:
            click.echo(f"  {record_type} {record_id}: {KEPT_REASONS[reason]}")
        if not yes:
            again = click.prompt("Type the email address again to erase, or anything else to stop", default="")
            if again.strip().lower() != email.strip().lower():
                click.echo("Nothing was erased.")
                raise SystemExit(1)
        try:
            erased = erase_person(SYSTEM, plan)
        except Conflict as clash:
            if clash.code != "erasure_plan_changed":
                raise
            raise click.ClickException(
                "the records changed since the list above was worked out: nothing was erased; run the command again"
            ) from None
    click.echo(f"Erased {sum(erased.values())} records; the audit trail records the counts.")


@privacy.command("export")
@click.option("--email", required=True, help="The account of the person asking for their data.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), help="Write the zip here.")
def privacy_export(email: str, out: str | None) -> None:
    """Log a subject access request for a person, compile its export and write the zip (recorded and audited).

    The export still waits for the data protection officer's review in the console before it is released."""
    settings = _settings()
    _database(settings)
    from backend.accounts.models import User  # the models: only commands that use the database import them
    from backend.privacy import access  # the export walks every domain's models

    person = User.get_or_none(User.email == email.strip().lower())
    if person is None:
        raise click.ClickException(f"no account has the email address {email}")
    actor = SYSTEM  # whoever runs the command line holds the server; the audit trail records "system"
    try:
        request = access.log_request(actor, person.id, channel="command line")
        request = access.compile_request(actor, request.id)
        _, stream = access.open_export(actor, request.id)
    except DomainError as error:
        raise click.ClickException(_describe(error)) from None
    path = Path(out or f"subject-access-{request.id}.zip")
    try:
        # Created readable by the owner only, and never over an existing file.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        stream.close()
        raise click.ClickException(f"{path} already exists: choose another --out") from None
    with stream, os.fdopen(descriptor, "wb") as target:
        shutil.copyfileobj(stream, target)
    click.echo(f"request {request.id}: {request.export_size} bytes, sha256 {request.export_sha256}, written to {path}")
    click.echo(f"due by {request.due_on.isoformat()}; the data protection officer reviews it before release")


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
