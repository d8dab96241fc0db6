"""The dossier page uploads evidence by drag and drop, shows the progress, keeps the button
disabled while the file travels, and leaves text typed elsewhere as it is."""

import pytest

from tests import factories as f
from tests.helpers import make_pdf

pytestmark = pytest.mark.django_db(transaction=True)

# Watch what the page does while the file travels: the progress bar's values and whether the
# button was disabled at each step.
WATCH = """() => {
  window.seen = [];
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target;
    window.seen.push({
      value: form.querySelector(".upload-progress").value,
      disabled: form.querySelector("button").disabled,
    });
  });
}"""

DROP = """([selector, bytes, name]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"}));
  const zone = document.querySelector(selector);
  const how = {dataTransfer: transfer, bubbles: true, cancelable: true};
  zone.dispatchEvent(new DragEvent("dragover", how));
  zone.dispatchEvent(new DragEvent("drop", how));
}"""


def test_a_dropped_file_is_uploaded_with_progress_and_typed_text_survives(page_as):
    dossier = f.DossierFactory()
    page = page_as(f.member(dossier.collectivity))
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    page.fill("#id_A-1_answer", "Texte pas encore enregistré")
    page.evaluate(WATCH)
    pdf = make_pdf(stream=b"BT /F1 12 Tf (" + b"Preuve " * 40_000 + b") Tj ET")

    page.evaluate(DROP, ["#evidence-A-1 [data-dropzone]", list(pdf), "déposé.pdf"])

    page.wait_for_selector("#evidence-A-1 >> text=is version 1 of A-1")
    assert "déposé.pdf" in page.inner_text("#evidence-A-1")
    seen = page.evaluate("window.seen")
    assert seen and all(step["disabled"] for step in seen)
    assert max(step["value"] for step in seen) == 100
    assert page.input_value("#id_A-1_answer") == "Texte pas encore enregistré"
    assert dossier.documents.get().filename == "déposé.pdf"


def test_the_accepted_types_and_the_size_limit_are_said_before_a_file_is_picked(page_as):
    dossier = f.DossierFactory()
    page = page_as(f.member(dossier.collectivity))
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    help_text = page.inner_text("#evidence-A-1 .help")
    assert "PDF" in help_text and "25.0" in help_text
