"""The checks every browser test runs on every page it visits (`checked(page, name)`): axe-core
finds no violation (WCAG 2.0/2.1 A and AA, and axe's best practices), the page does not scroll
sideways at a phone's width (390 px, and 360 px), the browser logged no error, and a
screenshot lands in var/screenshots/ (git-ignored) for a person to look at.

A sideways scroll or a console error fails the test at once. Axe's findings are gathered and
fail the test when it ends (`AxeViolations`, raised by conftest's `pytest_runtest_call`): a
walk goes on to its last step, so a test marked `xfail(raises=AxeViolations, strict=True)` for
a violation in a template someone else owns still fails on anything else."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 780})
DESKTOP = {"width": 1280, "height": 900}
# The rules of WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
_axe = Axe()
# Axe's findings of the test that runs, page by page (see `AxeViolations`).
found: list[str] = []


class AxeViolations(AssertionError):
    """Axe found violations on one or more pages of the test."""


def watch_console(page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions from now on (the `page_as`
    fixture calls it on every page it opens)."""
    errors = page.console_errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} {m.location}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def checked(page, name: str) -> None:
    """Run every per-page check on the page as it is now; `name` names its screenshots."""
    page.wait_for_load_state("networkidle")
    # An in-place save dims its form (the busy style) until htmx has settled the answer:
    # contrast is judged on the page at rest.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.wait_for_timeout(250)  # the busy style's fade back (a CSS transition)
    assert_no_console_error(page)
    record_axe_violations(page)
    try:
        for phone in PHONES:
            page.set_viewport_size(phone)
            assert_no_sideways_scroll(page)
            _screenshot(page, f"{name}-{phone['width']}")
    finally:
        page.set_viewport_size(DESKTOP)
    _screenshot(page, name)
    # What axe and the screenshots themselves make the browser log is none of the page's.
    page.console_errors.clear()


def record_axe_violations(page) -> None:
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count:
        found.append(f"{page.url}\n{results.generate_report()}")


def assert_no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 120))]"
    )
    scroll_width, inner_width, wider = widths
    assert scroll_width <= inner_width, (
        f"{page.url}: {scroll_width}px wide at {inner_width}px: {wider}"
    )


def assert_no_console_error(page) -> None:
    errors = getattr(page, "console_errors", [])
    assert not errors, f"{page.url}: {errors}"


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name)
    page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"), full_page=True)
