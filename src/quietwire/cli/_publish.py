"""`quietwire publish ...`: the signing key, static exports and verification of sites."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from quietwire.cli._common import failing_cleanly

app = typer.Typer(help="Signing keys, static exports and verification.", no_args_is_help=True)
keys_app = typer.Typer(help="The desk's minisign signing key.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

PASSPHRASE_ENV = "QUIETWIRE_SIGNING_PASSPHRASE"  # noqa: S105 - a variable name, not a secret

WorkspaceOpt = Annotated[Path, typer.Option("--dir", help="The desk workspace.")]


def read_passphrase(*, confirm: bool = False) -> str:
    """The signing key passphrase from $QUIETWIRE_SIGNING_PASSPHRASE, else a prompt."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    value: str = typer.prompt(
        "Signing key passphrase", hide_input=True, confirmation_prompt=confirm, err=True
    )
    return value


@keys_app.command("new")
def keys_new(
    workspace: WorkspaceOpt,
    force: Annotated[
        bool, typer.Option(help="Replace an existing key (readers must re-pin).")
    ] = False,
) -> None:
    """Make the desk's signing key; print the minisign public key alone on the last line."""
    from quietwire.crypto import Secret
    from quietwire.crypto._signing import new_signing_key
    from quietwire.desk._bulletins import signing_dir
    from quietwire.publish import PublishError

    with failing_cleanly():
        folder = signing_dir(workspace)
        secret_path = folder / "minisign.key"
        if secret_path.exists() and not force:
            raise PublishError(f"{secret_path} exists: keep it, or pass --force to replace it")
        passphrase = read_passphrase(confirm=True)
        typer.echo(
            "Deriving the key encryption key (about 1 GiB of memory, a few seconds)...", err=True
        )
        files = new_signing_key(Secret(passphrase))
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(files.secret_key_file)
        (folder / "minisign.pub").write_bytes(files.public_key_file)
        typer.echo(f"secret key: {secret_path} (passphrase-protected)")
        typer.echo(f"public key: {folder / 'minisign.pub'}")
        typer.echo(files.public_key)


@app.command("verify")
def verify(
    source: Annotated[str, typer.Argument(help="A site URL or an exported directory.")],
    key: Annotated[
        str | None, typer.Option(help="Pin this public key (base64 line or minisign.pub path).")
    ] = None,
) -> None:
    """Check every signature of a site or export; exit 1 and list what fails."""
    from quietwire.publish import verify_site

    with failing_cleanly():
        pinned = key
        if key is not None and Path(key).is_file():
            pinned = Path(key).read_text(encoding="utf-8")
        report = verify_site(source, pinned)
        if pinned is None:
            typer.echo("note: no --key given: trusting the site's own minisign.pub", err=True)
        typer.echo(
            f"OK: {report.files} files, {report.signatures} signatures verified "
            f"with key {report.public_key}"
        )


@app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="Directory to write (must be empty or absent).")],
    workspace: Annotated[
        Path | None, typer.Option("--dir", help="Export the site built in this desk workspace.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--from", help="Or mirror a live site (URL) or a site directory.")
    ] = None,
) -> None:
    """Write a complete static copy of the public site, with its signatures, and verify it."""
    from quietwire.publish import PublishError, verify_site
    from quietwire.publish._export import export_site

    with failing_cleanly():
        if (workspace is None) == (source is None):
            raise PublishError("give exactly one of --dir WORKSPACE or --from URL-or-DIR")
        if workspace is not None:
            from quietwire.desk._bulletins import site_dir

            origin: str = str(site_dir(workspace))
        else:
            origin = str(source)
        count = export_site(origin, target)
        report = verify_site(target)
        typer.echo(f"exported {count} files to {target}; {report.signatures} signatures verified")
