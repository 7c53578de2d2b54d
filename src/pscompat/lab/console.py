"""The instructor console (``/lab/console``) and the students' sign-in page (``/lab/signin``):
server-rendered HTML with a little JavaScript, no build step, nothing vendored.

Why it is safe to leave running in a classroom:

- The console needs the lab admin credential (``pscompat lab admin-token``). Signing in sets
  one cookie: ``HttpOnly``, ``SameSite=Strict``, ``Secure`` over https, scoped to
  ``/lab/console``, stateless (an expiry and a nonce, signed with a key derived from the lab
  key file), so a cookie is worthless to another lab and expires after 8 hours.
- Every change is a POST carrying a CSRF token (an HMAC of the session cookie) in the
  ``X-CSRF-Token`` header or the form; without it the answer is 403 and nothing changes.
- The sign-in page is a form with a double-submit CSRF token and no ambient credential: a
  page on another site can neither post it (SameSite cookie + token) nor read the answer, so
  it cannot lock a student out. JSON clients post JSON (a cross-site form cannot) and get
  JSON, as before.
- Pages send a Content-Security-Policy with a per-response script nonce, ``frame-ancestors
  'none'`` and no referrer; the console renders every value with ``textContent``.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from pscompat.lab.http import GraphError, Request, Response
from pscompat.lab.limits import load_json

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

SESSION_COOKIE = "pscompat_console"
SIGNIN_COOKIE = "pscompat_signin"
SESSION_SECONDS = 8 * 3600
POLL_MS = 1000


# -- tokens ----------------------------------------------------------------------------------

def _sign(lab: Lab, text: str) -> str:
    return hmac.new(lab.console_key, text.encode(), hashlib.sha256).hexdigest()


def new_session(lab: Lab) -> str:
    head = f"{int(time.time()) + SESSION_SECONDS}.{secrets.token_hex(16)}"
    return f"{head}.{_sign(lab, 'session:' + head)}"


def session_ok(lab: Lab, value: str | None) -> bool:
    if not value or value.count(".") != 2:
        return False
    exp, nonce, sig = value.split(".")
    head = f"{exp}.{nonce}"
    return hmac.compare_digest(sig, _sign(lab, "session:" + head)) and exp.isdigit() and int(exp) > time.time()


def csrf_for(lab: Lab, session: str) -> str:
    return _sign(lab, "csrf:" + session)


def _cookies(req: Request) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (req.header("cookie") or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out.setdefault(name, value)
    return out


def _cookie(req: Request, name: str, value: str, path: str, max_age: int) -> tuple[str, str]:
    secure = "; Secure" if req.scheme == "https" else ""
    return ("set-cookie", f"{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")


def wants_json(req: Request) -> bool:
    """A JSON client (the API): JSON body, or JSON asked for and no form posted."""
    ctype = (req.header("content-type") or "").lower()
    if "json" in ctype:
        return True
    if "form" in ctype:
        return False
    return "application/json" in (req.header("accept") or "").lower() or not ctype


# -- responses -------------------------------------------------------------------------------

def _page(status: int, title: str, body: str, script: str = "", headers: list[tuple[str, str]] | None = None
          ) -> Response:
    nonce = secrets.token_urlsafe(12)
    script_tag = f'<script nonce="{nonce}">{script}</script>' if script else ""
    doc = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
           f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head>'
           f'<body><header><h1>{html.escape(title)}</h1></header><main>{body}</main>{script_tag}</body></html>')
    out = list(headers or [])
    out += [("cache-control", "no-store"), ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer"),
            ("x-content-type-options", "nosniff"),
            ("content-security-policy", f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
                                        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                        "base-uri 'none'; img-src 'self'")]
    return Response(status, None, out, content=doc.encode("utf-8"), content_type="text/html; charset=utf-8")


def _json(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, body, [*(headers or []), ("cache-control", "no-store")], content_type="application/json")


def _redirect(location: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(303, None, [*(headers or []), ("location", location), ("cache-control", "no-store")],
                    content=b"")


def _form(req: Request) -> dict[str, str]:
    try:
        text = req.body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=20))


# -- the console ------------------------------------------------------------------------------

def handle(lab: Lab, req: Request, rest: list[str]) -> Response:
    """``/lab/console[/...]``: the page, its login/logout, its state feed and its actions."""
    session = _cookies(req).get(SESSION_COOKIE)
    signed_in = session_ok(lab, session)
    m = req.method
    if rest == ["login"]:
        return _login(lab, req) if m == "POST" else _login_page(req)
    if rest == ["logout"] and m == "POST":
        if signed_in and hmac.compare_digest(_form(req).get("csrf", ""), csrf_for(lab, session or "")):
            return _redirect("/lab/console/login", [_cookie(req, SESSION_COOKIE, "", "/lab/console", 0)])
        return _json(403, {"error": {"code": "csrfTokenMissing", "message": "The CSRF token is missing or wrong."}})
    if not signed_in:
        if rest == [] and m == "GET":
            return _redirect("/lab/console/login")
        return _json(401, {"error": {"code": "signInRequired", "message": "Sign in to the console first."}})
    assert session is not None
    if rest == [] and m == "GET":
        return _console_page(lab, session)
    if rest == ["state"] and m == "GET":
        from pscompat.lab.control import state
        return _json(200, state(lab))
    if rest == ["requests.json"] and m == "GET":
        from pscompat.lab.control import request_log
        return Response(200, None, [("cache-control", "no-store"),
                                    ("content-disposition", 'attachment; filename="lab-requests.json"')],
                        content=json.dumps(request_log(lab), indent=1).encode(), content_type="application/json")
    if len(rest) == 2 and rest[0] == "action" and m == "POST":
        token = req.header("x-csrf-token") or ""
        if not hmac.compare_digest(token.encode(), csrf_for(lab, session).encode()):
            return _json(403, {"error": {"code": "csrfTokenMissing", "message": "The CSRF token is missing or wrong."}})
        return _action(lab, req, rest[1])
    return _json(404, {"error": {"code": "notFound", "message": "No such console endpoint."}})


def _action(lab: Lab, req: Request, name: str) -> Response:
    from pscompat.lab.control import ActionError, run_action
    if "json" not in (req.header("content-type") or "").lower():
        return _json(415, {"error": {"code": "unsupportedMediaType", "message": "Send JSON."}})
    try:
        body = load_json(req.body or b"{}")
    except GraphError:
        body = None
    if not isinstance(body, dict):
        return _json(400, {"error": {"code": "invalidRequest", "message": "The body must be a JSON object."}})
    try:
        return _json(200, run_action(lab, name, body))
    except ActionError as exc:
        return _json(400, {"error": {"code": "invalidRequest", "message": str(exc)}})


def _login_page(req: Request, message: str = "", status: int = 200) -> Response:
    pre = secrets.token_hex(16)
    body = (f'<p class="err">{html.escape(message)}</p>' if message else "") + (
        '<form method="post" action="/lab/console/login" class="card">'
        '<label>Lab admin credential <input type="password" name="credential" id="credential" autocomplete="off" '
        'required></label>'
        f'<input type="hidden" name="csrf" value="{pre}">'
        '<button type="submit" id="signin">Sign in</button>'
        '<p class="hint">Print it on the lab machine with <code>pscompat lab admin-token</code>.</p></form>')
    return _page(status, "pscompat lab: instructor sign-in", body,
                 headers=[_cookie(req, SESSION_COOKIE + "_pre", pre, "/lab/console", 600)])


def _login(lab: Lab, req: Request) -> Response:
    form = _form(req)
    pre = _cookies(req).get(SESSION_COOKIE + "_pre", "")
    if not pre or not hmac.compare_digest(form.get("csrf", "").encode(), pre.encode()):
        return _login_page(req, "The form expired or came from another site: sign in again.", 403)
    if not hmac.compare_digest(form.get("credential", "").encode(), lab.admin_secret.encode()):
        return _login_page(req, "That is not this lab's admin credential.", 401)
    return _redirect("/lab/console", [_cookie(req, SESSION_COOKIE, new_session(lab), "/lab/console", SESSION_SECONDS),
                                      _cookie(req, SESSION_COOKIE + "_pre", "", "/lab/console", 0)])


def _console_page(lab: Lab, session: str) -> Response:
    csrf = csrf_for(lab, session)
    body = f'''<div id="csrf" data-token="{csrf}" hidden></div>
<section class="bar"><span>Tenant <b id="tenant"></b></span><span>Lab clock <b id="clock"></b></span>
<form method="post" action="/lab/console/logout"><input type="hidden" name="csrf" value="{csrf}">
<button>Sign out</button></form></section>
<section class="card"><h2>Actions</h2>
<div class="row"><button id="reset">Reset lab</button>
<input id="clockDelta" value="+1h" size="8"><button id="advance">Move clock</button>
<button id="freeze">Freeze</button><button id="unfreeze">Unfreeze</button><button id="realtime">Real time</button></div>
<div class="row">TAP policy: <select id="polState"><option>enabled</option><option>disabled</option></select>
min <input id="polMin" size="5"> max <input id="polMax" size="5"> default <input id="polDefault" size="5">
length <input id="polLength" size="3"> <label><input type="checkbox" id="polOnce"> one-time</label>
<button id="savePolicy">Save policy</button></div>
<div class="row">Fault: <select id="faultKind"><option>throttle</option><option>random</option>
<option>ratelimit</option><option>error</option><option>unavailable</option><option>latency</option></select>
<input id="faultSpec" size="40" placeholder='extra JSON, e.g. {{"retryAfter":1}}'>
<button id="addFault">Add fault</button></div>
<div class="row">Token for <input id="tokenUser" placeholder="UPN (empty: admin app)" size="28">
<button id="issueToken">Issue token</button> <a href="/lab/console/requests.json" download>Download request log</a></div>
<pre id="out" class="out"></pre></section>
<section class="card"><h2>Users and methods</h2><table id="users"><thead><tr><th>User</th><th>Enabled</th>
<th>Methods</th><th>TAP state</th></tr></thead><tbody></tbody></table></section>
<section class="card"><h2>Faults</h2><table id="faults"><thead><tr><th>#</th><th>Fault</th><th>Fired</th><th></th>
</tr></thead><tbody></tbody></table></section>
<section class="card"><h2>Sign-ins with a pass</h2><table id="signins"><thead><tr><th>Time</th><th>User</th>
<th>Result</th></tr></thead><tbody></tbody></table></section>
<section class="card"><h2>Recent Graph requests</h2><table id="requests"><thead><tr><th>Time</th><th>Method</th>
<th>Path</th><th>Status</th><th>Caller</th><th>ms</th></tr></thead><tbody></tbody></table></section>'''
    return _page(200, "pscompat lab: instructor console", body, _CONSOLE_JS.replace("POLL_MS", str(POLL_MS)))


# -- the students' sign-in page ---------------------------------------------------------------

_OUTCOMES = {
    "invalid": "The user name or Temporary Access Pass is incorrect.",
    "locked": "The account is locked after repeated failed sign-in attempts. Try again later.",
    "disabled": "The user account is disabled.",
}
_REASONS = {
    "NotYetValid": "The pass is not valid yet: its start time has not come.",
    "Expired": "The pass has expired.",
    "OneTimeUsed": "The pass was for one use only and has been used.",
    "DisabledByPolicy": "Temporary Access Passes are disabled for you by policy.",
}


def signin_page(lab: Lab, req: Request) -> Response:
    """GET: the form. POST (a form): check the CSRF pair, then Entra's rules through the same
    ``verify_pass`` as the JSON endpoint (lockout, constant time)."""
    if req.method == "GET":
        return _signin_form(lab, req)
    if req.method != "POST":
        return _json(405, {"error": {"code": "methodNotAllowed", "message": "Use GET or POST."}})
    form = _form(req)
    nonce = _cookies(req).get(SIGNIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(form.get("csrf", "").encode(), _sign(lab, "signin:" + nonce).encode()):
        return _signin_form(lab, req, "The form expired or came from another site: nothing was checked. Try again.",
                            403)
    upn, secret = form.get("upn", ""), form.get("pass", "")
    if not upn or not secret:
        return _signin_form(lab, req, "Type your user name and your Temporary Access Pass.", 400)
    result = lab.verify_pass(upn, secret)
    del secret
    if result["ok"]:
        user = result["user"]
        note = " It was for one use only: it is used now." if result["reason"] == "OneTimeUsed" else ""
        body = (f'<p class="ok" id="result" data-outcome="success">Signed in as {html.escape(user.upn)}. '
                f'Your pass is usable.{note}</p><p><a href="/lab/signin">Sign in again</a></p>')
        return _page(200, "pscompat lab: sign in", body)
    error = result["error"]
    text = _REASONS.get(result.get("reason") or "", "") if error == "notUsable" else _OUTCOMES.get(error, "")
    code = result.get("reason") if error == "notUsable" else error
    status = {"locked": 403, "disabled": 403, "notUsable": 403}.get(error, 401)
    return _signin_form(lab, req, text or "The sign-in failed.", status, str(code))


def _signin_form(lab: Lab, req: Request, message: str = "", status: int = 200, outcome: str = "") -> Response:
    nonce = secrets.token_hex(16)
    msg = (f'<p class="err" id="result" data-outcome="{html.escape(outcome or "error")}">{html.escape(message)}</p>'
           if message else "")
    body = msg + (
        '<form method="post" action="/lab/signin" class="card">'
        '<label>User name <input name="upn" id="upn" autocomplete="username" required></label>'
        '<label>Temporary Access Pass <input type="password" name="pass" id="pass" autocomplete="off" required>'
        '</label>'
        f'<input type="hidden" name="csrf" value="{_sign(lab, "signin:" + nonce)}">'
        '<button type="submit" id="signin">Sign in</button></form>')
    return _page(status, "pscompat lab: sign in", body, headers=[_cookie(req, SIGNIN_COOKIE, nonce, "/lab/signin", 1800)])


_CSS = ("body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}"
        "header{background:#0f5ea8;color:#fff;padding:8px 16px}h1{font-size:18px;margin:0}"
        "main{padding:12px 16px}.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px;"
        "margin:0 0 12px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;"
        "padding:3px 6px;text-align:left}.bar{display:flex;gap:24px;align-items:center;margin-bottom:10px}"
        ".row{margin:6px 0}.err{color:#b00020;font-weight:600}.ok{color:#116329;font-weight:600}"
        ".out{background:#f6f8fa;min-height:1em;white-space:pre-wrap;word-break:break-all}"
        "label{display:block;margin:6px 0}.row label{display:inline}.hint{color:#57606a}")

_CONSOLE_JS = r"""
const csrf = document.getElementById('csrf').dataset.token;
const $ = (id) => document.getElementById(id);
function cell(tr, text) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }
function fill(id, rows, make) {
  const body = $(id).tBodies[0]; const fresh = document.createElement('tbody');
  rows.forEach((r) => { const tr = document.createElement('tr'); make(tr, r); fresh.appendChild(tr); });
  body.replaceWith(fresh);
}
const when = (t) => new Date(t * 1000).toLocaleTimeString();
async function act(name, body) {
  const r = await fetch('/lab/console/action/' + name, {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify(body || {})});
  const data = await r.json().catch(() => ({}));
  $('out').textContent = r.ok ? name + ': done' + (data.access_token ? '\n' + data.access_token : '')
                              : name + ' refused: ' + ((data.error || {}).message || r.status);
  poll();
  return data;
}
let policyShown = false;
async function poll() {
  const r = await fetch('/lab/console/state', {credentials: 'same-origin'});
  if (r.status === 401) { location.href = '/lab/console/login'; return; }
  const s = await r.json();
  $('tenant').textContent = s.tenant;
  $('clock').textContent = s.clock.now + (s.clock.frozen ? ' (frozen)' : '') +
    (s.clock.offsetSeconds ? ' (offset ' + s.clock.offsetSeconds + ' s)' : '');
  fill('users', s.users, (tr, u) => {
    const tap = u.methods.find((m) => m.type === 'temporaryAccessPass');
    cell(tr, u.userPrincipalName); cell(tr, u.accountEnabled ? 'yes' : 'no');
    cell(tr, u.methods.map((m) => m.type).join(', ') || '-');
    const td = cell(tr, tap ? tap.state : '-'); td.className = 'tap-state'; tr.dataset.upn = u.userPrincipalName;
  });
  fill('faults', s.faults, (tr, f) => {
    cell(tr, '#' + f.id); cell(tr, JSON.stringify(f.spec)); const c = cell(tr, String(f.fired)); c.className = 'fired';
    const b = document.createElement('button'); b.textContent = 'Remove';
    b.addEventListener('click', () => act('fault-remove', {id: f.id})); tr.appendChild(b);
  });
  fill('signins', s.signins, (tr, e) => { cell(tr, when(e.time)); cell(tr, e.userPrincipalName);
    cell(tr, (e.success ? 'success: ' : 'refused: ') + e.outcome); });
  fill('requests', s.requests, (tr, q) => { cell(tr, when(q.time)); cell(tr, q.method); cell(tr, q.path);
    cell(tr, String(q.status)); cell(tr, q.caller); cell(tr, String(q.latencyMs)); });
  if (!policyShown) {
    policyShown = true; const p = s.policy;
    $('polState').value = p.state; $('polMin').value = p.minimumLifetimeInMinutes;
    $('polMax').value = p.maximumLifetimeInMinutes; $('polDefault').value = p.defaultLifetimeInMinutes;
    $('polLength').value = p.defaultLength; $('polOnce').checked = p.isUsableOnce;
  }
}
$('reset').addEventListener('click', () => act('reset'));
$('advance').addEventListener('click', () => act('clock', {advance: $('clockDelta').value}));
$('freeze').addEventListener('click', () => act('clock', {freeze: true}));
$('unfreeze').addEventListener('click', () => act('clock', {freeze: false}));
$('realtime').addEventListener('click', () => act('clock', {reset: true}));
$('savePolicy').addEventListener('click', () => act('policy', {state: $('polState').value,
  minimumLifetimeInMinutes: +$('polMin').value, maximumLifetimeInMinutes: +$('polMax').value,
  defaultLifetimeInMinutes: +$('polDefault').value, defaultLength: +$('polLength').value,
  isUsableOnce: $('polOnce').checked}));
$('addFault').addEventListener('click', () => {
  let extra = {};
  try { extra = $('faultSpec').value ? JSON.parse($('faultSpec').value) : {}; }
  catch (e) { $('out').textContent = 'the extra JSON is not valid'; return; }
  act('fault-add', {spec: Object.assign({kind: $('faultKind').value}, extra)});
});
$('issueToken').addEventListener('click', () => act('token', {user: $('tokenUser').value}));
poll(); setInterval(poll, POLL_MS);
"""
