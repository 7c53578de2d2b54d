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
def lab_connect(url: str, client_id: str | None, tenant: str | None, ca_bundle: str | None, module: str) -> None:
    """Connect the Mg and PnP cmdlets to the lab served at URL (secret from AZURE_CLIENT_SECRET)."""
    import os

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


@click.command(name="disconnect")
def lab_disconnect() -> None:
    """Forget a served-lab connection (the cmdlets go back to the embedded lab)."""
    from .context import STORE
    removed = [m for m in ("mg", "pnp") if (c := STORE.get(m)) is not None and c.credential.kind == "lab"
               and STORE.remove(m) is not None]
    click.echo("Disconnected from the served lab." if removed else "No served-lab connection.")
