"""``pscompat bulk tap``: the CLI of tools/bulk.py (options, target, summary, exit codes)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from pscompat.tools.bulk import BulkError, issue_passes, plan, read_rows, tty_stream


@click.group()
def bulk() -> None:
    """Bulk operations that respect Graph's throttling and survive being killed."""


@bulk.command("tap")
@click.option("--csv", "csv_path", required=True, type=click.Path(path_type=Path),
              help="Users: a UserPrincipalName (or upn, user, id) column; lifetime, oneTime, start per row.")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Result CSV (created 0600; holds the passes).")
@click.option("--lifetime", type=click.IntRange(10, 43200), help="LifetimeInMinutes for rows without one.")
@click.option("--one-time/--multi-use", "one_time", default=None, help="IsUsableOnce for rows without one.")
@click.option("--start", help="StartDateTime (ISO 8601) for rows without one.")
@click.option("--graph", "graph_url", help="Graph base URL (served lab or https://graph.microsoft.com/v1.0); "
              "token from $PSCOMPAT_BULK_TOKEN. Default: the embedded lab.")
@click.option("--lab", "lab_db", type=click.Path(path_type=Path), help="Embedded lab database (default: the usual lab).")
@click.option("--concurrency", default=4, type=click.IntRange(1, 32), help="Batches in flight.")
@click.option("--dry-run", is_flag=True, help="Show the plan and expected duration; send nothing.")
@click.option("--quiet", is_flag=True, help="No progress line.")
def tap(csv_path: Path, out_path: Path | None, lifetime: int | None, one_time: bool | None, start: str | None,
        graph_url: str | None, lab_db: Path | None, concurrency: int, dry_run: bool, quiet: bool) -> None:
    """Issue one Temporary Access Pass per user of a CSV, resumably."""
    try:
        rows = read_rows(csv_path, lifetime, one_time, start)
        if dry_run:
            click.echo(plan(rows))
            return
        if out_path is None:
            raise BulkError("--out is required (the passes go to that file only)")
        client, closer = _client(graph_url, lab_db)
        try:
            summary = issue_passes(client, rows, out_path, concurrency=concurrency, progress=tty_stream(quiet))
        finally:
            closer()
    except BulkError as exc:
        click.echo(f"pscompat bulk tap: {exc}", err=True)
        sys.exit(2)
    click.echo(f"issued {summary.issued}, failed {summary.failed}, skipped {len(summary.skipped)} "
               f"(already handled by an earlier run), throttled {summary.throttled}, "
               f"{summary.batches} batches in {summary.seconds:.1f} s; results in {out_path}")
    if summary.skipped and not quiet:
        click.echo("skipped: " + ", ".join(summary.skipped[:20]) + (" ..." if len(summary.skipped) > 20 else ""))
    sys.exit(1 if summary.failed else 0)


def _client(graph_url: str | None, lab_db: Path | None) -> tuple[Any, Any]:
    import httpx
    if graph_url:
        token = os.environ.get("PSCOMPAT_BULK_TOKEN")
        if not token:
            raise BulkError("--graph needs a bearer token in $PSCOMPAT_BULK_TOKEN (for a served lab: pscompat lab token)")
        client = httpx.Client(base_url=graph_url.rstrip("/"), headers={"Authorization": f"Bearer {token}"},
                              timeout=60)
        return client, client.close
    from pscompat.lab import LabError, asgi_transport, open_lab
    try:
        lab = open_lab(lab_db)
    except LabError as exc:
        raise BulkError(str(exc)) from exc
    client = httpx.Client(transport=asgi_transport(lab), base_url="https://graph.microsoft.com/v1.0",
                          headers={"Authorization": f"Bearer {lab.issue_token()}"})

    def close() -> None:
        client.close()
        lab.close()
    return client, close
