"""``pscompat lab ...``: serve, reset, users, policy, token, signin, clock, quota, status, fault."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from pscompat.lab.core import Lab, LabError
from pscompat.lab.opening import open_lab


def _open(ctx: click.Context, scenario: Path | None = None) -> Lab:
    try:
        return open_lab(ctx.obj.get("db"), scenario)
    except LabError as exc:
        raise click.ClickException(str(exc)) from None


def _remote(ctx: click.Context, method: str, path: str, body: Any = None) -> Any:
    """With ``lab --url``: the admin API's answer; None for a local lab."""
    root = ctx.obj or {}
    if not root.get("url"):
        return None
    from pscompat.lab.remote import AdminClient, RemoteError
    try:
        return AdminClient(root["url"], root.get("ca")).call(method, path, body)
    except RemoteError as exc:
        raise click.ClickException(str(exc)) from None


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# Commands owned by other packages, imported only when used.
_LAZY = {"connect": "pscompat.connect.commands:lab_connect",
         "disconnect": "pscompat.connect.commands:lab_disconnect"}


class _LabGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_LAZY))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _LAZY.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        import importlib
        module, attr = target.split(":")
        try:
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            return None


@click.group(name="lab", cls=_LabGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The lab database (default: $PSCOMPAT_LAB_DB, else <XDG data dir>/pscompat/lab/lab.db).")
@click.option("--url", "remote_url", default=None, metavar="URL",
              help="A served lab: reset, clock, fault go through its admin API (token in PSCOMPAT_LAB_ADMIN_TOKEN).")
@click.option("--admin-ca-bundle", type=click.Path(exists=True, dir_okay=False), default=None,
              help="--url over https: the lab's CA file.")
@click.pass_context
def lab(ctx: click.Context, db: Path | None, remote_url: str | None, admin_ca_bundle: str | None) -> None:
    """The embedded lab tenant: a Graph-compatible tenant for users, Temporary Access Passes
    and the TAP policy, stored in one SQLite file."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["url"] = remote_url
    ctx.obj["ca"] = admin_ca_bundle
    if remote_url and ctx.invoked_subcommand not in (None, "reset", "clock", "fault", "quota"):
        raise click.UsageError(f"'{ctx.invoked_subcommand}' works on a local lab; with --url: reset, clock, fault, quota")


@lab.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
@click.option("--tls", is_flag=True, help="HTTPS with a certificate signed by the lab's own CA (kept beside the database).")
@click.option("--san", "sans", multiple=True, metavar="NAME",
              help="--tls: another DNS name or address the certificate covers (repeatable), e.g. the classroom's host name.")
@click.option("--scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Scenario to seed a new lab from (an existing lab is served as it is).")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.har",
              help="Record requests and responses (secrets redacted) to a HAR file, written when the server stops.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--no-access-log", is_flag=True, help="Do not log one line per request.")
@click.option("--loop", default="auto", show_default=True, type=click.Choice(["auto", "asyncio", "uvloop"]),
              help="Event loop (auto: uvloop when installed).")
@click.option("--http", default="auto", show_default=True, type=click.Choice(["auto", "h11", "httptools"]),
              help="HTTP parser (auto: httptools when installed).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, tls: bool, sans: tuple[str, ...], scenario: Path | None,
          record: Path | None, log_level: str, no_access_log: bool, loop: str, http: str) -> None:
    """Serve the lab over HTTP(S) (Graph under /v1.0 and /beta, tokens under /{tenant}/oauth2/v2.0/token)."""
    from pscompat.lab.certs import CertificateError, normalise_names
    from pscompat.lab.server import serve as run
    if sans and not tls:
        raise click.UsageError("--san names go into the TLS certificate: add --tls")
    try:
        normalise_names([host, *sans])
    except CertificateError as exc:
        raise click.BadParameter(str(exc), param_hint="--host/--san") from None
    the_lab = _open(ctx, scenario)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: anyone who can reach it can use the lab's "
                   "published app secrets.", err=True)

    def announce(url: str, files: Any) -> None:
        click.echo(f"pscompat lab: serving {the_lab.tenant['domain']} at {url} "
                   f"(Graph: {url}/v1.0, token endpoint: {url}/{the_lab.tenant['id']}/oauth2/v2.0/token)")
        click.echo(f"pscompat lab: database {the_lab.path}")
        if files is not None:
            from pscompat.lab.certs import fingerprint
            from pscompat.lab.classroom import student_instructions
            click.echo(f"pscompat lab: certificate {files.cert}, signed by the lab CA {files.ca}")
            click.echo(student_instructions(url, host, sans, files.ca, fingerprint(files.ca)))
        click.echo("pscompat lab: press Ctrl+C to stop", nl=True)
        sys.stdout.flush()

    if record is not None:
        from pscompat.lab.har import HarRecorder
        the_lab.recorder = HarRecorder(record)
    try:
        run(the_lab, host=host, port=port, tls=tls, log_level=log_level, access_log=not no_access_log,
            announce=announce, loop=loop, http=http, sans=sans)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    finally:
        if the_lab.recorder is not None:
            try:
                click.echo(f"pscompat lab: recorded {len(the_lab.recorder.entries)} requests to "
                           f"{the_lab.recorder.save()}", err=True)
            except OSError as exc:
                click.echo(f"pscompat lab: cannot write {record}: {exc.strerror}", err=True)


@lab.command()
@click.argument("har", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8766, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: any free port).")
def replay(har: Path, host: str, port: int) -> None:
    """Serve a recorded session (lab serve --record) as mocks: each recorded request gets its
    recorded response, repeats in order; anything else 404."""
    import uvicorn

    from pscompat.lab.har import HarError, ReplayApp, load_entries
    from pscompat.lab.server import base_url, bind
    try:
        app = ReplayApp(load_entries(har))
    except HarError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"pscompat lab: replaying {sum(len(v) for v in app.responses.values())} recorded responses "
               f"at {base_url(sock, False)} (Ctrl+C to stop)")
    sys.stdout.flush()
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", server_header=False,
                                  proxy_headers=False)).run(sockets=[sock])


@lab.command()
@click.argument("har", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
def permissions(har: Path, as_json: bool) -> None:
    """Minimal-permissions report of a recorded session: per request the permission it needed
    and whether it was granted; per caller the minimal set and the excessive grants."""
    from pscompat.lab.har import HarError, load_entries
    from pscompat.lab.permissions import format_report, report
    try:
        data = report(load_entries(har))
    except HarError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(data)
    else:
        click.echo(format_report(data))


@lab.command()
@click.option("--scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Scenario file (default: the one this lab was last seeded from, else the packaged default).")
@click.pass_context
def reset(ctx: click.Context, scenario: Path | None) -> None:
    """Restore a scenario: users, apps, policy and faults; no passes; the clock back to real time."""
    if (ctx.obj or {}).get("url"):
        if scenario is not None:
            raise click.UsageError("--scenario is a local file: a served lab resets to its own scenario")
        done = _remote(ctx, "POST", "reset")
        click.echo(f"Lab reset from scenario '{done.get('scenario')}'.")
        return
    the_lab = _open(ctx, scenario)
    try:
        the_lab.reset(scenario)
    except LabError as exc:
        raise click.ClickException(str(exc)) from None
    st = the_lab.status()
    click.echo(f"Lab reset from scenario '{st['scenario']}' ({st['scenarioPath']}): {st['users']} users, "
               f"{len(st['apps'])} apps, TAP policy {st['policyState']}.")


@lab.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_context
def users(ctx: click.Context, as_json: bool) -> None:
    """List the lab's users with their roles and Temporary Access Pass state."""
    from pscompat.lab import policy as tap_policy
    the_lab = _open(ctx)
    rows = []
    for u in the_lab.store.users():
        p = the_lab.store.get_pass(u.id)
        reason = None
        if p is not None:
            reason = tap_policy.usability(the_lab.policy, u.id, u.groups, created=p.created, start=p.start,
                                          lifetime=p.lifetime, usable_once=p.usable_once, used=p.used,
                                          now=the_lab.clock.now())
        rows.append({"userPrincipalName": u.upn, "id": u.id, "userType": u.user_type,
                     "accountEnabled": u.account_enabled, "external": u.external, "roles": u.roles,
                     "temporaryAccessPass": reason})
    if as_json:
        _echo_json(rows)
        return
    width = max(len(r["userPrincipalName"]) for r in rows) if rows else 20
    click.echo(f"{'UserPrincipalName':<{width}}  {'Id':<36}  {'Type':<6}  {'Enabled':<7}  {'TAP':<16}  Roles")
    for r in rows:
        click.echo(f"{r['userPrincipalName']:<{width}}  {r['id']:<36}  {r['userType']:<6}  "
                   f"{str(r['accountEnabled']):<7}  {r['temporaryAccessPass'] or '-':<16}  {', '.join(r['roles'])}")


@lab.command()
@click.option("--state", type=click.Choice(["enabled", "disabled"]))
@click.option("--default-lifetime", type=int, help="defaultLifetimeInMinutes")
@click.option("--min-lifetime", type=int, help="minimumLifetimeInMinutes")
@click.option("--max-lifetime", type=int, help="maximumLifetimeInMinutes")
@click.option("--length", type=int, help="defaultLength (8..48)")
@click.option("--one-time/--reusable", "one_time", default=None, help="isUsableOnce")
@click.option("--include-group", multiple=True, help="includeTargets: group id or name (all_users for everyone); replaces the list.")
@click.option("--exclude-group", multiple=True, help="excludeTargets: group id or name; replaces the list.")
@click.option("--no-exclusions", is_flag=True, help="Empty excludeTargets.")
@click.option("--reset", "reset_to", type=click.Choice(["graph-defaults", "scenario"]),
              help="Reset to Graph's defaults for a new tenant, or to the scenario's policy.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_context
def policy(ctx: click.Context, state: str | None, default_lifetime: int | None, min_lifetime: int | None,
           max_lifetime: int | None, length: int | None, one_time: bool | None,
           include_group: tuple[str, ...], exclude_group: tuple[str, ...], no_exclusions: bool,
           reset_to: str | None, as_json: bool) -> None:
    """Show the TAP policy, or change it (same rules as PATCH on Graph)."""
    import copy

    from pscompat.lab import policy as tap_policy
    the_lab = _open(ctx)
    groups = the_lab.store.groups()
    by_name = {name.lower(): gid for gid, name in groups.items()}

    def target(ref: str, include: bool) -> dict[str, Any]:
        gid = ref if ref == tap_policy.ALL_USERS or ref in groups else by_name.get(ref.lower())
        if gid is None:
            raise click.ClickException(f"no group {ref!r} in this lab (groups: {', '.join(groups.values())})")
        t: dict[str, Any] = {"targetType": "group", "id": gid}
        if include:
            t["isRegistrationRequired"] = False
        return t

    if reset_to:
        new = (copy.deepcopy(the_lab.settings["scenarioPolicy"]) if reset_to == "scenario"
               else tap_policy.defaults())
        the_lab.save_policy(new)
    changes: dict[str, Any] = {}
    for name, value in (("state", state), ("defaultLifetimeInMinutes", default_lifetime),
                        ("minimumLifetimeInMinutes", min_lifetime), ("maximumLifetimeInMinutes", max_lifetime),
                        ("defaultLength", length), ("isUsableOnce", one_time)):
        if value is not None:
            changes[name] = value
    if include_group:
        changes["includeTargets"] = [target(g, True) for g in include_group]
    if exclude_group or no_exclusions:
        changes["excludeTargets"] = [target(g, False) for g in exclude_group]
    if changes:
        try:
            the_lab.save_policy(tap_policy.merge(the_lab.policy, changes))
        except tap_policy.PolicyError as exc:
            raise click.ClickException(str(exc)) from None
    pol = the_lab.policy
    if as_json:
        _echo_json(pol)
        return
    names = {**groups, tap_policy.ALL_USERS: "all users"}
    for key in ("state", "defaultLifetimeInMinutes", "minimumLifetimeInMinutes", "maximumLifetimeInMinutes",
                "defaultLength", "isUsableOnce"):
        click.echo(f"{key:<26} {json.dumps(pol[key])}")
    for key in ("includeTargets", "excludeTargets"):
        shown = ", ".join(f"{t['targetType']} {names.get(t['id'], t['id'])}" for t in pol[key]) or "(none)"
        click.echo(f"{key:<26} {shown}")


@lab.command()
@click.option("--app", "client_id", help="Client id of a lab app (default: the scenario's first app).")
@click.option("--user", help="UPN or id: a delegated token for this user (with the user's directory roles).")
@click.option("--scope", "scopes", multiple=True, help="Delegated scopes (default: the app's delegated scopes).")
@click.option("--permission", "permissions", multiple=True,
              help="Application permissions (default: the app's permissions).")
@click.option("--no-permissions", is_flag=True, help="A token with no permissions or scopes at all.")
@click.option("--lifetime", type=click.IntRange(60, 86400), help="Seconds (default 3599).")
@click.pass_context
def token(ctx: click.Context, client_id: str | None, user: str | None, scopes: tuple[str, ...],
          permissions: tuple[str, ...], no_permissions: bool, lifetime: int | None) -> None:
    """Print a bearer token for the lab, e.g. curl -H "Authorization: Bearer $(pscompat lab token)"."""
    the_lab = _open(ctx)
    try:
        click.echo(the_lab.issue_token(
            client_id, user,
            scopes=[] if no_permissions else (list(scopes) or None),
            permissions=[] if no_permissions else (list(permissions) or None), lifetime=lifetime))
    except LabError as exc:
        raise click.ClickException(str(exc)) from None


@lab.command()
@click.option("--user", required=True, help="UPN of the user signing in.")
@click.option("--url", help="A served lab (pscompat lab serve) to sign in to, instead of the local lab.")
@click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
              help="--url over https: the lab's CA file (default: PSCOMPAT_CA_BUNDLE).")
@click.option("--token-only", is_flag=True,
              help="--url: print only the access token (for Connect-MgGraph -AccessToken (pscompat lab signin ...)).")
@click.pass_context
def signin(ctx: click.Context, user: str, url: str | None, ca_bundle: str | None, token_only: bool) -> None:
    """Sign in with a Temporary Access Pass (read from the prompt, or from stdin when piped;
    never from the command line). A one-time pass is used up."""
    if token_only and not url:
        raise click.UsageError("--token-only needs --url")
    if sys.stdin.isatty():
        import getpass
        secret = getpass.getpass("Temporary Access Pass: ", stream=sys.stderr)
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if url:
        _remote_signin(ctx, url, user, secret, ca_bundle, token_only)
        return
    the_lab = _open(ctx)
    result = the_lab.verify_pass(user, secret)
    del secret
    if result["ok"]:
        click.echo(f"Signed in as {result['user'].upn}. methodUsabilityReason is now {result['reason']}.")
        return
    from pscompat.lab.clock import format_datetime
    error = result["error"]
    if error == "locked":
        message = f"the account is locked until {format_datetime(result['until'])} (lab time)"
    elif error == "notUsable":
        message = f"the pass is not usable: {result['reason']}"
    elif error == "disabled":
        message = "the user account is disabled"
    else:
        message = "the user name or Temporary Access Pass is incorrect"
    click.echo(f"Sign-in failed: {message}.", err=True)
    ctx.exit(1)


def _remote_signin(ctx: click.Context, url: str, user: str, secret: str, ca_bundle: str | None,
                   token_only: bool) -> None:
    import os

    from pscompat.lab.classroom import RemoteSigninError, remote_signin
    try:
        status, body = remote_signin(url, user, secret, ca_bundle or os.environ.get("PSCOMPAT_CA_BUNDLE") or None)
    except RemoteSigninError as exc:
        click.echo(f"Sign-in failed: {exc}", err=True)
        ctx.exit(1)
        return
    if status == 200 and "access_token" in body:
        if token_only:
            click.echo(body["access_token"])
        else:
            click.echo(f"Signed in as {body.get('userPrincipalName')}. methodUsabilityReason is now "
                       f"{body.get('methodUsabilityReason')}.")
        return
    err = body.get("error")
    err = err if isinstance(err, dict) else {}
    click.echo(f"Sign-in failed ({status}): {err.get('message') or 'the lab gave no reason'}", err=True)
    ctx.exit(1)


@lab.command(context_settings={"ignore_unknown_options": True})
@click.argument("change", required=False)
@click.option("--freeze", is_flag=True, help="With an ISO time: stop the clock there.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_context
def clock(ctx: click.Context, change: str | None, freeze: bool, as_json: bool) -> None:
    """Show or move the lab's clock: +2h, -30m, +1d, 90s, an ISO time (2025-01-01T09:00:00Z),
    or 'reset' (real time). Affects pass usability in every later process."""
    from pscompat.lab.clock import TICKS_PER_SECOND, format_datetime
    if (ctx.obj or {}).get("url"):
        body: dict[str, Any] = {}
        if change in ("reset", "now", "real"):
            body = {"reset": True}
        elif change and (change[0] in "+-" or change[0].isdigit() and len(change) < 12):
            body = {"advance": change}
        elif change:
            body = {"set": change, "freeze": freeze}
        info = _remote(ctx, "POST" if body else "GET", "clock", body or None)
        state = "frozen" if info["frozen"] else f"offset {info['offsetSeconds']:+g} s"
        click.echo(json.dumps(info, indent=2) if as_json else f"Lab time: {info['now']} ({state})")
        return
    the_lab = _open(ctx)
    c = the_lab.clock
    try:
        if change in ("reset", "now", "real"):
            c.reset()
        elif change and (change[0] in "+-" or change[0].isdigit() and len(change) < 12):
            c.advance(change)
        elif change:
            c.set(change, freeze=freeze)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    offset = c.offset / TICKS_PER_SECOND
    info = {"now": format_datetime(c.now()), "offsetSeconds": offset, "frozen": c.frozen is not None}
    if as_json:
        _echo_json(info)
        return
    sign = "-" if offset < 0 else "+"
    h, rem = divmod(int(abs(offset)), 3600)
    click.echo(f"Lab time: {info['now']} ({'frozen' if info['frozen'] else f'real time {sign}{h}h{rem // 60:02d}m{rem % 60:02d}s'})")


@lab.command()
@click.argument("mode", required=False, type=click.Choice(["on", "off", "virtual", "scenario"]))
@click.option("--size", type=click.Choice(["S", "M", "L", "auto"], case_sensitive=False),
              help="Tenant size for the resource-unit quota (auto: from the user count).")
@click.option("--reset-buckets", is_flag=True, help="Refill every bucket now.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_context
def quota(ctx: click.Context, mode: str | None, size: str | None, reset_buckets: bool, as_json: bool) -> None:
    """Show or set Entra's throttling quotas in the lab: on, off, virtual (the lab clock
    absorbs the waits) or scenario (the scenario's setting); with --url, a served lab's."""
    body: dict[str, Any] = {}
    if mode:
        body["mode"] = mode
    if size:
        body["size"] = size
    if reset_buckets:
        body["resetBuckets"] = True
    info = _remote(ctx, "POST" if body else "GET", "quota", body or None)
    if info is None:
        from pscompat.lab.control import ActionError, do_quota
        try:
            info = do_quota(_open(ctx), body)
        except ActionError as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(info)
        return
    size_text = f"size {info['size']} ({info['sizeFrom']})" if info["size"] else "size from the user count"
    click.echo(f"Quota: {info['mode']}, {size_text}; set by the {info['source']}.")
    if info["mode"] != "off" and not info["buckets"]:
        click.echo("No request charged yet in this process.")
    for b in info["buckets"]:
        who = " ".join(x for x in (b["app"] and f"app {b['app']}", b["tenant"] and f"tenant {b['tenant']}") if x)
        click.echo(f"  {b['scope']:<18} {b['kind']:<14} {b['available']:>9g} of {b['limit']} per "
                   f"{b['windowSeconds']} s ({b['usedPercent']:g}% used)  {who}")


@lab.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Where the lab is and what is in it."""
    st = _open(ctx).status()
    if as_json:
        _echo_json(st)
        return
    click.echo(f"Database:   {st['path']} (schema {st['schemaVersion']})")
    click.echo(f"Key file:   {st['keyFile']} ({st['keyFileMode']})")
    click.echo(f"Tenant:     {st['tenant']['displayName']} ({st['tenant']['domain']}, {st['tenant']['id']})")
    click.echo(f"Scenario:   {st['scenario']} ({st['scenarioPath']})")
    click.echo(f"Users:      {st['users']}; passes: {st['passes']}; TAP policy: {st['policyState']}")
    click.echo(f"Apps:       {', '.join(st['apps'])}")
    click.echo(f"Clock:      {st['clock']['now']} (offset {st['clock']['offsetSeconds']:+.0f} s"
               f"{', frozen' if st['clock']['frozen'] else ''})")
    click.echo(f"Faults:     {len(st['faults'])}" + "".join(f"\n  #{f['id']}: {json.dumps({k: v for k, v in f.items() if k != 'id'})}" for f in st["faults"]))


@lab.command("admin-token")
@click.pass_context
def admin_token(ctx: click.Context) -> None:
    """Print the lab admin credential: the instructor console's sign-in and the admin API's
    bearer token (derived from the lab's key file, so only whoever can read that file has it)."""
    click.echo(_open(ctx).admin_secret)


@lab.group()
def fault() -> None:
    """Inject faults: throttling (429), 5xx errors, random errors, rate limits, latency,
    malformed responses."""


@fault.command("add")
@click.argument("kind", type=click.Choice(["throttle", "unavailable", "error", "latency", "malformed", "random",
                                          "ratelimit"]))
@click.option("--rate", type=click.FloatRange(0, 1), help="Probability 0..1 that a matching request is hit (default 1; random: 0.5).")
@click.option("--limit", type=click.IntRange(1, 1_000_000), help="throttle: requests allowed per window; ratelimit: resources per window (120).")
@click.option("--window", type=click.IntRange(1, 86400), help="throttle/ratelimit: window length in seconds (ratelimit: 60).")
@click.option("--cost", type=click.IntRange(0, 1_000_000), help="ratelimit: resources one request costs (2).")
@click.option("--warning-percent", type=click.IntRange(0, 100), help="ratelimit: RateLimit-* headers once this % is used (80).")
@click.option("--reset-format", type=click.Choice(["SecondsLeft", "UtcEpochSeconds"]), help="ratelimit: RateLimit-Reset as.")
@click.option("--retry-after", type=click.IntRange(0, 86400), help="Retry-After seconds.")
@click.option("--status", "status_code", type=click.Choice(["500", "502", "503", "504", "507"]),
              help="unavailable: 503 (default) or 504; error: any of these.")
@click.option("--statuses", help="random: comma-separated statuses to draw from (default 429,500,502,503,504,507).")
@click.option("--ms", type=click.FloatRange(0, 600_000), help="latency: milliseconds.")
@click.option("--jitter-ms", type=click.FloatRange(0, 600_000), help="latency: +/- jitter.")
@click.option("--field", help="malformed: the property to corrupt (default lifetimeInMinutes).")
@click.option("--value", help="malformed: JSON value to put there (default: a wrong type / unknown value).")
@click.option("--remove", is_flag=True, help="malformed: drop the property instead.")
@click.option("--raw", help="malformed: replace the whole body with this text.")
@click.option("--method", help="Only this HTTP method.")
@click.option("--path", help="Only paths matching this glob (after /v1.0 or /beta).")
@click.option("--times", type=click.IntRange(1, 1_000_000_000), help="Fire at most N times.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Random seed for --rate.")
@click.pass_context
def fault_add(ctx: click.Context, kind: str, **opts: Any) -> None:
    """Add a fault; prints its id."""
    from pscompat.lab.faults import FaultError, normalise_fault
    names = {"retry_after": "retryAfter", "jitter_ms": "jitterMs", "status_code": "status",
             "warning_percent": "warningPercent", "reset_format": "resetFormat"}
    raw: dict[str, Any] = {"kind": kind}
    for key, value in opts.items():
        if value is None or value is False:
            continue
        if key == "status_code":
            value = int(value)
        if key == "statuses":
            try:
                value = [int(v) for v in value.split(",") if v.strip()]
            except ValueError:
                raise click.BadParameter("comma-separated status codes", param_hint="--statuses") from None
        if key == "value":
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        raw[names.get(key, key)] = value
    try:
        spec = normalise_fault(raw)
    except FaultError as exc:
        raise click.ClickException(str(exc)) from None
    added = _remote(ctx, "POST", "faults", spec)
    if added is not None:
        click.echo(str(added["id"]))
        return
    the_lab = _open(ctx)
    click.echo(str(the_lab.store.add_fault(spec)))


@fault.command("list")
@click.pass_context
def fault_list(ctx: click.Context) -> None:
    """List the active faults."""
    listed = _remote(ctx, "GET", "faults")
    if listed is not None:
        for f in listed:
            click.echo(f"#{f['id']} fired={f['fired']} {json.dumps(f['spec'])}")
        return
    the_lab = _open(ctx)
    counters = the_lab.store.fault_counters()
    for fid, spec in the_lab.store.faults():
        click.echo(f"#{fid} fired={counters.get(fid, (0, 0, 0))[0]} {json.dumps(spec)}")


@fault.command("clear")
@click.argument("fault_id", type=click.IntRange(1, 2**63 - 1), required=False)
@click.pass_context
def fault_clear(ctx: click.Context, fault_id: int | None) -> None:
    """Remove one fault, or all."""
    done = _remote(ctx, "DELETE", "faults" if fault_id is None else f"faults/{fault_id}")
    if done is not None:
        click.echo(f"removed {done['removed']} fault(s)")
        return
    the_lab = _open(ctx)
    click.echo(f"removed {the_lab.store.clear_faults(fault_id)} fault(s)")
