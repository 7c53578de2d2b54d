"""The instructor console and the students' sign-in page in a real headless Chromium (Debian's
``chromium`` package driven by Playwright; .ci/run installs both). The lab is served on
127.0.0.1; a cmdlet runs in its own process against the same lab database."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pscompat.lab import serve_in_thread
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, Graph, taps

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser tests (.ci/run installs it)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
TIMEOUT = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def site(lab: Lab) -> Iterator[str]:
    url, stop, _ = serve_in_thread(lab)
    yield url
    stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    yield pg
    context.close()


def sign_in(page: Any, site: str, lab: Lab) -> None:
    page.goto(f"{site}/lab/console")
    assert page.url.endswith("/lab/console/login")
    page.fill("#credential", lab.admin_secret)
    page.click("#signin")
    page.wait_for_url(f"{site}/lab/console")
    page.wait_for_selector("#users tbody tr")


def tap_state(page: Any, upn: str) -> Any:
    return page.locator(f'#users tr[data-upn="{upn}"] td.tap-state')


def not_blank(png: bytes) -> bool:
    """Decode the PNG's pixel rows (zlib) and count distinct byte values: a blank page has ~2."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat))) > 40


def test_console_is_unreachable_without_sign_in(page: Any, site: str, lab: Lab) -> None:
    page.goto(f"{site}/lab/console")
    assert page.url.endswith("/lab/console/login") and page.locator("#credential").is_visible()
    status = page.evaluate("async () => (await fetch('/lab/console/state')).status")
    assert status == 401
    page.fill("#credential", "not-the-credential")
    page.click("#signin")
    assert "not this lab's admin credential" in page.inner_text("main")
    assert page.evaluate("async () => (await fetch('/lab/console/state')).status") == 401


def test_instructor_watches_a_pass_become_usable_then_resets(page: Any, site: str, lab: Lab) -> None:
    g = Graph(lab)
    from pscompat.lab.clock import format_datetime
    start = format_datetime(lab.clock.now() + 3600 * 10_000_000)
    assert g.post(taps(ADELE), json={"startDateTime": start, "lifetimeInMinutes": 480}).status_code == 201
    sign_in(page, site, lab)
    sync_api.expect(tap_state(page, ADELE_UPN)).to_have_text("NotYetValid", timeout=TIMEOUT)
    page.fill("#clockDelta", "+2h")
    page.click("#advance")
    sync_api.expect(tap_state(page, ADELE_UPN)).to_have_text("EnabledByPolicy", timeout=TIMEOUT)
    sync_api.expect(page.locator("#clock")).to_contain_text("offset 7200", timeout=TIMEOUT)
    page.click("#reset")
    sync_api.expect(tap_state(page, ADELE_UPN)).to_have_text("-", timeout=TIMEOUT)
    assert lab.store.count_passes() == 0
    shot = page.screenshot(full_page=True)
    assert len(shot) > 5000 and not_blank(shot)


def test_throttling_fault_counter_rises_as_a_cmdlet_is_throttled(page: Any, site: str, lab: Lab,
                                                                 tmp_path: Path) -> None:
    sign_in(page, site, lab)
    page.select_option("#faultKind", "throttle")
    page.fill("#faultSpec", '{"retryAfter": 1, "times": 2, "path": "/users/*"}')
    page.click("#addFault")
    fired = page.locator("#faults td.fired")
    sync_api.expect(fired).to_have_text("0", timeout=TIMEOUT)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(PSCOMPAT_LAB_DB=str(lab.path), PSCOMPAT_CONFIG_DIR=str(tmp_path / "cfg"), HOME=str(tmp_path),
               NO_PROXY="*")
    cmd = Path(sys.executable).parent / "Get-MgUserAuthenticationTemporaryAccessPassMethod"
    done = subprocess.run([str(cmd), "-UserId", ADELE_UPN], capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    sync_api.expect(fired).to_have_text("2", timeout=TIMEOUT)
    page.locator("#faults button").click()
    sync_api.expect(page.locator("#faults tbody tr")).to_have_count(0, timeout=TIMEOUT)


def test_change_without_csrf_token_is_refused(page: Any, site: str, lab: Lab) -> None:
    sign_in(page, site, lab)
    before = lab.clock.offset
    status = page.evaluate("""async () => (await fetch('/lab/console/action/clock', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({advance: '+5h'})})).status""")
    assert status == 403
    forged = page.evaluate("""async () => (await fetch('/lab/console/action/clock', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': 'f'.repeat(64)},
        body: JSON.stringify({advance: '+5h'})})).status""")
    assert forged == 403
    lab.refresh()
    assert lab.clock.offset == before


def test_student_signs_in_and_a_one_time_pass_is_refused_the_second_time(page: Any, site: str,
                                                                           lab: Lab) -> None:
    g = Graph(lab)
    secret = g.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    for expected, outcome in (("Signed in as AdeleV@contoso.lab", "success"),
                              ("for one use only and has been used", "OneTimeUsed")):
        page.goto(f"{site}/lab/signin")
        page.fill("#upn", ADELE_UPN)
        page.fill("#pass", secret)
        page.click("#signin")
        result = page.locator("#result")
        sync_api.expect(result).to_contain_text(expected, timeout=TIMEOUT)
        assert result.get_attribute("data-outcome") == outcome
        assert secret not in page.content()


def test_signin_form_from_another_site_changes_nothing(page: Any, site: str, lab: Lab) -> None:
    # A form posted without the page's CSRF pair (as a foreign site would) is refused before any check.
    page.goto(f"{site}/lab/health")
    status = page.evaluate("""async () => (await fetch('/lab/signin', {method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: 'upn=AdeleV%40contoso.lab&pass=wrong&csrf=x'})).status""")
    assert status == 403
    assert not any(e["userPrincipalName"] == ADELE_UPN for e in lab.activity.recent_signins())
