"""What a person does on the pages, said once for every browser test: go to a page, run a
dossier action, pick a person in a form. Each page reached is checked (`checks.checked`)."""

from tests.browser.checks import checked


def visit(page, path: str, name: str) -> None:
    page.goto(page.base_url + path)
    checked(page, name)


def follow(page, link_text: str, name: str) -> None:
    """Click a link of the page's main content and check the page it leads to."""
    page.locator("main").get_by_role("link", name=link_text).first.click()
    page.wait_for_load_state()
    checked(page, name)


def run_action(page, label: str, name: str, **fields: str) -> None:
    """Open the dossier action `label` from the actions panel, fill its fields (by their
    labels), confirm it, and check the page it lands on."""
    panel = page.locator("#actions-title").locator("xpath=..")
    # A button opening the action's dialog (or, on an older page, a disclosure's summary).
    panel.get_by_role("button", name=label, exact=True).or_(
        panel.locator("summary", has_text=label)
    ).first.click()
    confirm = page.get_by_role("button", name=f"Confirm: {label}", exact=True)
    form = page.locator("form").filter(has=confirm)
    for field_label, value in fields.items():
        fill(form.get_by_label(field_label, exact=False).first, value)
    with page.expect_navigation():
        confirm.click()
    checked(page, name)


def fill(field, value: str) -> None:
    """A text box is typed into; a list is chosen from, by the option's text."""
    tag = field.evaluate("e => e.tagName")
    if tag == "SELECT":
        field.select_option(label=value) if value else field.select_option(index=0)
    else:
        field.fill(value)


def choose_person(field, user) -> None:
    """A person is picked from a list by their name, or typed by their username."""
    if field.evaluate("e => e.tagName") == "SELECT":
        options = field.locator("option").all_inner_texts()
        field.select_option(label=next(o for o in options if user.get_full_name() in o))
    else:
        field.fill(user.username)
