"""Instance commands: init, serve, keys, recipients, doctor."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from quietwire.cli._common import failing_cleanly, with_instance

if TYPE_CHECKING:
    from quietwire.config import Settings
    from quietwire.instance import Instance

console = Console(highlight=False)
DirOpt = Annotated[Path, typer.Option("--dir", help="The instance directory.")]
DEMO_IDENTITY = "demo-editor-identity.txt"
DEMO_TOKEN = "demo-editor-token.txt"  # noqa: S105 - a file name, not a secret
DEMO_EDITOR = "demo"

keys_app = typer.Typer(help="Editor key pairs (age X25519).", no_args_is_help=True)
recipients_app = typer.Typer(
    help="The public keys the server encrypts to: the editors' keys (see `editors`), and "
    "any key no editor holds yet.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Attach the instance commands to the top-level app."""
    app.command()(init)
    app.command()(serve)
    app.command()(doctor)
    app.add_typer(keys_app, name="keys")
    app.add_typer(recipients_app, name="recipients")


def init(
    directory: DirOpt,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--recipient",
            help="An age public key (age1...) to encrypt to before its editor is added "
            "(reported until `editors add NAME --recipient` claims it). Repeatable.",
        ),
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Default: SQLite in the directory.")
    ] = None,
    blob_store: Annotated[
        str,
        typer.Option(help="'file' (default) or 'postgres': ciphertext in the database."),
    ] = "file",
    demo: Annotated[
        bool,
        typer.Option(
            help="Also create a DEMO editor, key and token inside the instance (never in "
            "production)."
        ),
    ] = False,
    default_language: Annotated[
        str | None,
        typer.Option(help="The language every source starts in, e.g. 'ar' (default: browser's)."),
    ] = None,
    tip_line_name: Annotated[
        str | None, typer.Option(help="The tip line's name, at the top of every source page.")
    ] = None,
    tip_line_description: Annotated[
        str | None, typer.Option(help="One line under the name, on every source page.")
    ] = None,
    quick_exit_url: Annotated[
        str | None, typer.Option(help="Where Quick exit goes (default: a neutral page).")
    ] = None,
    join: Annotated[
        bool,
        typer.Option(
            "--join",
            help="Add a node to the instance in --database-url: its settings come from the "
            "database, its pepper from --pepper-file.",
        ),
    ] = False,
    pepper_file: Annotated[
        Path | None,
        typer.Option(
            help="With --join: a copy of the first node's quietwire.toml (or a file holding "
            "only its pepper). Copy it over a trusted channel and delete the copy after."
        ),
    ] = None,
) -> None:
    """Create an instance (config with a fresh pepper, database schema, blob directory), or
    with --join another node of an existing one."""
    from quietwire import instance

    with failing_cleanly():
        recipients = list(recipient or [])
        pages = _page_settings(
            demo, default_language, tip_line_name, tip_line_description, quick_exit_url
        )
        _refuse_language(default_language)
        extra: dict[str, object] = {"blob_store": blob_store} if blob_store != "file" else {}
        if join:
            extra = _join_values(database_url, pepper_file, recipients, demo)
        inst = instance.create(
            directory,
            recipients,
            database_url,
            demo=demo,
            extra={**extra, **pages} or None,
            joining=join,
        )
        if join:
            inst.close()
            console.print(
                f"Node set up in {directory}, joined to the instance in its database. "
                f"Start it with `quietwire serve --dir {directory}`."
            )
            return
        try:
            if demo:
                _make_demo_editor(inst)
        finally:
            inst.close()
        keys = len(recipients) + (1 if demo else 0)  # the demo editor's key is one of them
        console.print(f"Instance created in {directory} with {keys} recipient(s).")
        for key, value in pages.items():
            console.print(f"Source pages: {key} = {escape(repr(value))}")
        if pages:
            console.print(f"(change them in {directory / 'quietwire.toml'}; docs: README.md)")
        if demo:
            console.print(f"Try the desk (after `quietwire serve --dir {directory}`):")
            print(_demo_desk_line(inst.settings, f"http://127.0.0.1:{inst.settings.desk_port}"))
        else:
            console.print(
                "Next, for each editor: `quietwire editors add NAME --recipient age1... "
                f"--dir {directory}`"
            )


# The demo shows what an Arabic tip line looks like: Tor Browser asks every site for English,
# so without default_language its sources would start in English (issue 13, item 9).
_DEMO_PAGES: dict[str, object] = {
    "default_language": "ar",
    "tip_line_name": "خط المعلومات التجريبي",
    "tip_line_description": "نسخة تجريبية (DEMO): لا ترسل إليها معلومات حقيقية.",
}


def _refuse_language(code: str | None) -> None:
    from quietwire.errors import ConfigError
    from quietwire.intake import language_problem

    problem = language_problem(code or "")
    if problem:
        raise ConfigError(problem)


def _page_settings(demo: bool, *given: str | None) -> dict[str, object]:
    keys = ("default_language", "tip_line_name", "tip_line_description", "quick_exit_url")
    chosen: dict[str, object] = {k: v for k, v in zip(keys, given, strict=True) if v is not None}
    return {**_DEMO_PAGES, **chosen} if demo else chosen


def _join_values(
    database_url: str | None, pepper_file: Path | None, recipients: list[str], demo: bool
) -> dict[str, object]:
    from quietwire.errors import ConfigError
    from quietwire.nodes import joined_values

    if database_url is None or pepper_file is None:
        raise ConfigError("--join needs --database-url and --pepper-file")
    if recipients or demo:
        raise ConfigError(
            "--join takes no --recipient or --demo: the instance's editors and keys are "
            "in its database already"
        )
    return joined_values(database_url, pepper_file)


def _make_demo_editor(inst: Instance) -> None:
    """The demo's editor: a key pair and a token kept in the instance (demo only)."""
    from quietwire.crypto import new_identity
    from quietwire.deskapi import add_editor

    pair = new_identity()
    token = add_editor(inst, DEMO_EDITOR, pair.recipient)
    path = inst.settings.dir / DEMO_IDENTITY
    _write_identity(
        path,
        pair.secret.reveal(),
        pair.recipient,
        comment="DEMO ONLY: this secret key sits on the server. Never use "
        "this instance for real sources.",
    )
    _write_private(inst.settings.dir / DEMO_TOKEN, f"{token}\n".encode())
    console.print(f"[bold red]DEMO[/] editor {DEMO_EDITOR!r}: identity written to {path}")


def _demo_desk_line(settings: Settings, desk_url: str) -> str:
    """The exact command that opens a desk on the demo instance."""
    import shlex

    directory = settings.dir
    token = (directory / DEMO_TOKEN).read_text(encoding="utf-8").strip()
    desk = directory.with_name(f"{directory.name}-desk")
    return shlex.join(
        [
            "quietwire",
            "desk",
            "init",
            "--dir",
            str(desk),
            "--server",
            desk_url.rstrip("/"),
            "--token",
            token,
            "--identity",
            str(directory / DEMO_IDENTITY),
        ]
    )


def serve(
    directory: DirOpt,
    source_port: Annotated[int | None, typer.Option(help="Default from config (8080).")] = None,
    desk_port: Annotated[int | None, typer.Option(help="Default from config (8081).")] = None,
    public_port: Annotated[int | None, typer.Option(help="Default from config (8082).")] = None,
    host: Annotated[str | None, typer.Option(help="Default 127.0.0.1: put Tor in front.")] = None,
) -> None:
    """Run the source app, the desk API and the public site, on loopback by default."""
    from quietwire import config, instance, server

    with failing_cleanly():
        settings = config.load(directory)
        overrides = {
            k: v
            for k, v in {
                "source_port": source_port,
                "desk_port": desk_port,
                "public_port": public_port,
                "host": host,
            }.items()
            if v is not None
        }
        settings = config.with_overrides(settings, **overrides)
        problems = _fatal_problems(settings)
        if problems:
            from quietwire.errors import ConfigError

            raise ConfigError("refusing to start: " + "; ".join(problems))
        from quietwire.store import new_node_id

        inst = instance.open_instance(directory, settings, node=new_node_id())
        _ready_to_serve(inst)
        ports = {
            "source": settings.source_port,
            "desk-api": settings.desk_port,
            "public": settings.public_port,
        }

        def announce(listeners: list[server.Listener]) -> None:
            if settings.demo:
                console.print("[bold red]DEMO INSTANCE[/]: its editor key is on this machine.")
            for listener in listeners:
                console.print(f"{listener.name}: {listener.url}")
            desk = [listener.url for listener in listeners if listener.name == "desk-api"]
            if settings.demo and desk and (settings.dir / DEMO_TOKEN).exists():
                console.print("Try the desk:")
                print(_demo_desk_line(settings, desk[0]), flush=True)

        server.serve(inst, ports, announce)


def _ready_to_serve(inst: Instance) -> None:
    """Upgrade the schema (moving an older config's recipients into it), then refuse a node
    whose shared settings are not the instance's and an editor without a key, and warn
    about a key without an editor. Closes `inst` on refusal."""
    from quietwire.deskapi import check_recipients
    from quietwire.errors import ConfigError
    from quietwire.instance import migrate, shared_settings_problems

    try:
        migrate(inst)
        checks = check_recipients(inst)
        problems = [*shared_settings_problems(inst), *checks.problems]
    except BaseException:
        inst.close()
        raise
    for w in checks.warnings:
        console.print(f"[yellow]warning:[/] {escape(w)}", soft_wrap=True)
    if problems:
        inst.close()
        raise ConfigError("refusing to start: " + "; ".join(problems))


def doctor(directory: DirOpt) -> None:
    """Check config, permissions, recipients, database and blob store; exit 1 on problems."""
    from quietwire import config, instance

    with failing_cleanly():
        settings = config.load(directory)  # validation problems raise here
        problems = _fatal_problems(settings)
        warnings: list[str] = []
        if settings.demo:
            warnings.append("demo instance: an editor identity is stored on the server")
        if settings.recipients:
            warnings.append(
                "the config lists recipients: the next `quietwire serve` moves them into the "
                "database, where editors hold them"
            )
        inst = instance.open_instance(directory, settings)
        try:
            if not inst.db.is_migrated():
                problems.append("database schema missing: run `quietwire init` or `serve`")
            elif not inst.db.is_current():
                problems.append(
                    "database schema is older than this QuietWire: `quietwire serve` upgrades it"
                )
            else:
                from quietwire.deskapi import check_recipients
                from quietwire.nodes import differences, recorded

                checks = check_recipients(inst)
                problems.extend(checks.problems)
                warnings.extend(checks.warnings)
                problems.extend(differences(inst.db, settings))
                if recorded(inst.db) is None:
                    warnings.append(
                        "the instance's shared settings are not recorded yet: the next "
                        "`quietwire serve` records this node's (do it on the first node)"
                    )
                in_use = len(instance.current_recipients(inst))
                _print_blob_counts(inst)
        finally:
            inst.close()
        for w in warnings:
            console.print(f"[yellow]warning:[/] {escape(w)}", soft_wrap=True)
        for p in problems:
            # Paths in a problem are printed whole and as typed: no wrapping, no markup.
            console.print(f"[red]problem:[/] {escape(p)}", soft_wrap=True)
        if problems:
            raise typer.Exit(1)
        console.print(f"ok: {in_use} recipient(s), config and permissions sound")


def _print_blob_counts(inst: Instance) -> None:
    from quietwire import instance
    from quietwire.store import census

    referenced = instance.referenced_blob_keys(inst)
    if inst.settings.blob_store != "postgres":
        orphans = [key for key in iter(inst.blobs.keys()) if key not in referenced]
        console.print(
            f"blobs: {len(referenced)}; unreferenced (removed at next start): {len(orphans)}"
        )
        return
    found = census(inst.db, referenced)
    console.print(
        f"blobs: {len(referenced)}; unreferenced: {found.unreferenced}; incomplete: "
        f"{found.incomplete}; left by dead nodes (removed by the next sweep of a live "
        f"node): {found.dead} ({found.dead_bytes} bytes)"
    )


def _fatal_problems(settings: Settings) -> list[str]:
    from quietwire import config
    from quietwire.crypto import CryptoError, parse_recipients

    problems = config.insecure_permissions(settings)
    try:
        if settings.recipients:  # an older config's list, still to move into the database
            parse_recipients(settings.recipients)
    except CryptoError as exc:
        problems.append(str(exc))
    problems.extend(_secret_key_problems(settings))
    for name in (DEMO_IDENTITY, DEMO_TOKEN):
        if settings.demo is False and (settings.dir / name).exists():
            problems.append(f"{name} exists in a non-demo instance")
    from quietwire.intake import language_problem

    language = language_problem(settings.default_language)
    problems.extend([language] if language else [])
    return problems


# Read in chunks so a large file costs little memory; the marker is matched
# case-insensitively (bech32 allows an all-lowercase key) and also catches the
# post-quantum `AGE-SECRET-KEY-PQ-1...` identities.
SCAN_CHUNK = 1 << 20
_SECRET_MARKER = b"age-secret-key-"


def _secret_key_problems(settings: Settings) -> list[str]:
    """Every file in the instance directory, at any depth, that holds an age secret key.

    The ciphertext under `blobs/` of the file store is skipped: age files by construction,
    and there may be thousands. Symbolic links are not followed out of the directory: a
    link to a regular file is read (that file is within the server's reach), a link to a
    directory outside the instance is reported, as is anything that cannot be read.
    """
    top = settings.dir
    real_top = top.resolve()
    skip_blobs = settings.blob_store == "file"
    problems: list[str] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename or top
        problems.append(
            f"{where} cannot be read ({exc.strerror}), so it cannot be checked for secret keys"
        )

    for root, dirnames, filenames in os.walk(top, onerror=unreadable, followlinks=False):
        here = Path(root)
        if skip_blobs and here == top and settings.blob_dir.name in dirnames:
            dirnames.remove(settings.blob_dir.name)
        for name in dirnames:
            path = here / name
            if path.is_symlink():
                target = _link_target(path)
                if target is not None and not target.is_relative_to(real_top):
                    problems.append(
                        f"{path} is a symbolic link to {target}, outside the instance "
                        "directory: it is not checked for secret keys; move what it holds "
                        "into the instance or remove the link"
                    )
        for name in filenames:
            path = here / name
            if here == top and name in (DEMO_IDENTITY, DEMO_TOKEN):
                continue  # judged by its own rule in _fatal_problems
            if path.is_symlink():
                target = _link_target(path)
                if target is None or target.is_relative_to(real_top):
                    continue  # read where it really is (or skipped there, in blobs/)
                shown = f"{path} (a link to {target})"
            else:
                shown = str(path)
            try:
                found = _file_holds_secret_key(path)
            except FileNotFoundError:
                continue  # a dangling link, or a file removed meanwhile: holds nothing
            except OSError as exc:
                unreadable(exc)
                continue
            if found:
                problems.append(
                    f"{shown} holds an age SECRET key: editor keys never belong on the server"
                )
    return problems


def _link_target(path: Path) -> Path | None:
    """Where a symbolic link ends; None for a loop of links, which leads to nothing
    (RuntimeError before Python 3.13)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _file_holds_secret_key(path: Path) -> bool:
    """Whether a regular file holds the secret-key marker; anything else holds none.

    O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then skips it).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False  # FIFO, socket, device, or a link to one; a dangling link raised
        tail = b""
        while chunk := os.read(fd, SCAN_CHUNK):
            window = tail + chunk.lower()
            if _SECRET_MARKER in window:
                return True
            # Keep enough of the end to find a marker split across two reads.
            tail = window[-(len(_SECRET_MARKER) - 1) :]
        return False
    finally:
        os.close(fd)


@keys_app.command("new")
def keys_new(
    out: Annotated[Path, typer.Option("--out", help="Where to write the identity (0600).")],
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase", help="Encrypt the identity file with a passphrase (age scrypt)."
        ),
    ] = False,
) -> None:
    """Create an editor identity on YOUR machine; print its public recipient."""
    from quietwire.crypto import new_identity

    with failing_cleanly():
        if out.exists():
            from quietwire.errors import Error

            raise Error(f"{out} exists: refusing to overwrite a key")
        pair = new_identity()
        secret_text = _identity_text(pair.secret.reveal(), pair.recipient, comment=None)
        if passphrase:
            import pyrage

            phrase = os.environ.get("QUIETWIRE_KEY_PASSPHRASE") or typer.prompt(
                "Passphrase", hide_input=True, confirmation_prompt=True
            )
            data = pyrage.passphrase.encrypt(secret_text.encode(), phrase)
            _write_private(out, data)
        else:
            _write_private(out, secret_text.encode())
        console.print(f"identity written to {out}; give the server this recipient:")
        print(pair.recipient)


@recipients_app.command("list")
def recipients_list(directory: DirOpt) -> None:
    """Each key new submissions are encrypted to, with the editor holding it."""
    from quietwire.deskapi import list_recipients

    for r in with_instance(directory, list_recipients):
        print(f"{r.recipient}\t{r.editor or '(no editor)'}")


@recipients_app.command("add")
def recipients_add(directory: DirOpt, recipient: str) -> None:
    """Encrypt to a key before its editor exists (prefer `editors add NAME --recipient`)."""
    from quietwire.deskapi import add_recipient

    key = with_instance(directory, lambda inst: add_recipient(inst, recipient))
    console.print(
        f"Added; new submissions are encrypted to it. No editor holds it yet: "
        f"`quietwire editors add NAME --recipient {key} --dir {directory}`."
    )


@recipients_app.command("remove")
def recipients_remove(directory: DirOpt, recipient: str) -> None:
    """Stop encrypting to a key no editor holds; past envelopes stay readable by it.
    An editor's key goes with the editor: `quietwire editors revoke`."""
    from quietwire.deskapi import remove_recipient

    with_instance(directory, lambda inst: remove_recipient(inst, recipient))
    console.print("Removed; new submissions are no longer encrypted to it.")


def _identity_text(secret: str, recipient: str, comment: str | None) -> str:
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [f"# created: {created}", f"# public key: {recipient}"]
    if comment:
        lines.insert(0, f"# {comment}")
    return "\n".join([*lines, secret, ""])


def _write_identity(path: Path, secret: str, recipient: str, comment: str | None) -> None:
    _write_private(path, _identity_text(secret, recipient, comment).encode())


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
