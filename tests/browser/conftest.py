"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server.
`.ci/run` and `make test` install Chromium when it is missing. Every page opened here records
its console errors for `checks.checked`."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import checks
from tests.browser.checks import DESKTOP, watch_console

CHROMIUM = "/usr/bin/chromium"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Axe's findings on the test's pages fail it once it has run to its end."""
    checks.found.clear()
    result = yield
    if checks.found:
        raise checks.AxeViolations("\n".join(checks.found))
    return result


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.exit("Chromium is missing: apt-get install chromium (.ci/run does)", 1)
    # Playwright's synchronous API runs an event loop in this thread; the live server and the
    # fixtures' ORM calls are not async code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server, client):
    """`page_as(user)`: a browser page signed in as `user` (`None`: the public), in English."""
    contexts = []

    def page_as(user):
        context = browser.new_context(
            locale="en-GB", extra_http_headers={"Accept-Language": "en"}, viewport=DESKTOP
        )
        if user is not None:
            client.force_login(user)
            context.add_cookies([{
                "name": "sessionid", "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }])  # fmt: skip
        contexts.append(context)
        context.set_default_timeout(10_000)  # a step that waits longer has failed
        page = context.new_page()
        page.base_url = live_server.url
        watch_console(page)
        return page

    yield page_as
    for context in contexts:
        context.close()
