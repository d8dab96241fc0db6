from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name="preuve.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def transition(api, dossier_id, name, **data):
    return api.post(f"/api/v1/dossiers/{dossier_id}/transitions/{name}/", data, format="json")
