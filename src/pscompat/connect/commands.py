"""``pscompat lab connect URL`` / ``pscompat lab disconnect``: use a served lab instead of the
embedded one (the lab group's owner adds these two commands to ``pscompat lab``)."""

from __future__ import annotations

import sys

import click

from pscompat.errors import ErrorRecord


@click.command(name="connect")
@click.argument("url")
@click.option("--client-id", help="The lab app to sign in as (default: the lab admin app).")
@click.option("--tenant", help="Tenant id or domain (default: organizations).")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="CA certificate of a lab served with --tls (default: PSCOMPAT_CA_BUNDLE).")
@click.option("--module", type=click.Choice(["mg", "pnp", "both"]), default="both", show_default=True)
@click.option("--user", metavar="UPN",
              help="Sign in as this student with their Temporary Access Pass (prompted, or one line of stdin) "
                   "and connect the Mg cmdlets with the delegated token; use as "
                   "eval \"$(pscompat lab connect URL --user UPN)\".")
def lab_connect(url: str, client_id: str | None, tenant: str | None, ca_bundle: str | None, module: str,
                user: str | None) -> None:
    """Connect the Mg and PnP cmdlets to the lab served at URL (secret from AZURE_CLIENT_SECRET),
    or, with --user, a student to it with their Temporary Access Pass."""
    import os

    if user:
        _connect_student(url, user, ca_bundle or os.environ.get("PSCOMPAT_CA_BUNDLE"))
        return
    from .labconnect import connect_lab
    modules = ("mg", "pnp") if module == "both" else (module,)
    try:
        saved = connect_lab(url, modules=modules, client_id=client_id, tenant=tenant,  # type: ignore[arg-type]
                            ca_bundle=ca_bundle or os.environ.get("PSCOMPAT_CA_BUNDLE"))
    except ErrorRecord as record:
        click.echo(f"pscompat lab connect: {record.message}", err=True)
        sys.exit(1)
    click.echo(f"Connected {', '.join(s.module for s in saved)} to the lab at {saved[0].endpoint.graph_url} "
               f"as app {saved[0].credential.client_id}.")


def _connect_student(url: str, user: str, ca_bundle: str | None) -> None:
    """The pass comes from a no-echo prompt or stdin, never argv; the token goes to stdout as an
    ``export`` line only when stdout is not a terminal (``eval "$(...)"``), never to a file."""
    import shlex

    from .labconnect import connect_student
    from .secrets import TOKEN_ENV
    if sys.stdin.isatty():
        import getpass
        secret = getpass.getpass("Temporary Access Pass: ", stream=sys.stderr)
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    try:
        saved, token = connect_student(url, user, secret, ca_bundle)
    except ErrorRecord as record:
        click.echo(f"pscompat lab connect: {record.message}", err=True)
        sys.exit(1)
    finally:
        del secret
    account = saved.fields.get("Account")
    click.echo(f"Connected Mg to the lab at {saved.endpoint.graph_url} as {account}.", err=True)
    if sys.stdout.isatty():
        click.echo(f"pscompat never saves the token: run this as  eval \"$(pscompat lab connect {url} --user "
                   f"{user})\"  so that your shell gets {TOKEN_ENV}.", err=True)
        return
    click.echo(f"export {TOKEN_ENV}={shlex.quote(token)}")


@click.command(name="disconnect")
def lab_disconnect() -> None:
    """Forget a served-lab connection (the cmdlets go back to the embedded lab)."""
    from .context import STORE
    removed = [m for m in ("mg", "pnp") if (c := STORE.get(m)) is not None and c.credential.kind == "lab"
               and STORE.remove(m) is not None]
    click.echo("Disconnected from the served lab." if removed else "No served-lab connection.")
