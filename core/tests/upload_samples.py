"""Small real (and hostile) PDF and Office files built in memory for upload tests."""

import io
import zipfile

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def make_pdf(*objects, root_extra=b"", trailer_extra=b"", unlisted=b""):
    """A one-page PDF with a correct cross-reference table.

    ``objects`` are the bodies of objects 4, 5, ...; ``root_extra`` is added to the catalog;
    ``unlisted`` is written as object 99 but left out of the cross-reference table.
    """
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + root_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if unlisted:
        out += b"99 0 obj\n" + unlisted + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(bodies) + 1) + trailer_extra + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def office_parts(kind, *, content_types=None):
    """The parts of a minimal real Word (``docx``) or Excel (``xlsx``) file, as {name: bytes}."""
    main = MAIN_PART[kind]
    content_types = content_types or CONTENT_TYPES[kind]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main}" ContentType="{content_types}"/></Types>'
        ).encode(),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="{main}"/></Relationships>'
        ).encode(),
        "docProps/core.xml": b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="x"/>',
    }
    if kind == "docx":
        parts["word/document.xml"] = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body/></w:document>'
        parts["word/_rels/document.xml.rels"] = b'<?xml version="1.0"?><Relationships xmlns="x"/>'
        parts["word/media/image1.png"] = b"\x89PNG\r\n\x1a\n"
    else:
        parts["xl/workbook.xml"] = b'<?xml version="1.0"?><workbook xmlns="x"><sheets/></workbook>'
        parts["xl/_rels/workbook.xml.rels"] = b'<?xml version="1.0"?><Relationships xmlns="x"/>'
        parts["xl/worksheets/sheet1.xml"] = b'<?xml version="1.0"?><worksheet xmlns="x"/>'
        parts["xl/printerSettings/printerSettings1.bin"] = b"\x00" * 16
    return parts


def make_office(kind, *, extra=None, without=(), content_types=None):
    """A minimal real .docx/.xlsx; ``extra`` parts are added, ``without`` parts left out."""
    parts = {name: data for name, data in office_parts(kind, content_types=content_types).items() if name not in without}
    parts.update(extra or {})
    return zip_of(parts)


def zip_of(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def declare_size(data, name, size):
    """The same zip with ``name``'s uncompressed size, in both its headers, changed to ``size``."""
    data = bytearray(data)
    encoded = name.encode()
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(encoded)] != encoded:
        local = data.index(b"PK\x03\x04", local + 4)
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(encoded)] != encoded:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(data)
