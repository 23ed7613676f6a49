"""Published photos are re-encoded from their pixels: no segment of the uploaded file survives."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from meetings import photos
from meetings.tests.factories import record, schedule

SCRIPT = b"<script>alert(document.cookie)</script>"


def _jpeg_segments(data):
    """The marker bytes of a JPEG's segments up to the scan (SOS)."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(data):
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def _png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.append(kind)
        position += 12 + length
    return chunks


def _hostile_jpeg():
    """A JPEG with EXIF (GPS, owner), a comment segment holding a script and an XMP-like APP segment."""
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x013B] = "Nguyễn Văn Chụp"
    exif.get_ifd(0x8825)[1] = "N"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG", exif=exif, comment=SCRIPT)
    data = buffer.getvalue()
    # An extra APP13 segment after SOI, as editing tools write (and attackers abuse).
    app13 = b"Photoshop 3.0\x00" + SCRIPT
    data = data[:2] + b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13 + data[2:]
    assert SCRIPT in data and b"Camera Maker" in data
    return data


def _hostile_png():
    buffer = io.BytesIO()
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("Description", SCRIPT.decode() + " Nguyễn")
    Image.new("RGBA", (40, 30), (10, 200, 10, 128)).save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    assert SCRIPT in data
    return data


def _stored(upload_bytes, name, image_format):
    original, thumbnail = photos.stored_files(SimpleUploadedFile(name, upload_bytes), image_format)
    return original.read(), thumbnail.read()


def test_jpeg_comment_exif_and_app_segments_do_not_survive():
    original, thumbnail = _stored(_hostile_jpeg(), "anh.jpg", "JPEG")
    for data in (original, thumbnail):
        assert SCRIPT not in data and b"<script" not in data.lower()
        assert b"Camera Maker" not in data and b"Exif" not in data
        segments = _jpeg_segments(data)
        assert 0xFE not in segments  # COM
        assert not [m for m in segments if 0xE1 <= m <= 0xEF]  # APP1..APP15 (EXIF, XMP, ICC, Photoshop)
    with Image.open(io.BytesIO(original)) as image:
        assert image.size == (64, 48) and image.info.get("comment") in (None, b"")
        red, green, blue = image.convert("RGB").getpixel((32, 24))
        assert red > 180 and green < 60 and blue < 60  # the picture itself is kept


def test_png_text_chunks_do_not_survive_and_transparency_is_kept():
    original, thumbnail = _stored(_hostile_png(), "anh.png", "PNG")
    assert SCRIPT not in original and SCRIPT not in thumbnail
    assert set(_png_chunks(original)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    with Image.open(io.BytesIO(original)) as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 128


def test_colour_profile_is_applied_to_the_pixels_not_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(buffer, "JPEG", icc_profile=profile)
    original, _ = _stored(buffer.getvalue(), "anh.jpg", "JPEG")
    with Image.open(io.BytesIO(original)) as image:
        assert "icc_profile" not in image.info
        assert image.getpixel((10, 10))[2] > 200


def test_a_broken_colour_profile_does_not_refuse_the_photo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(buffer, "JPEG", icc_profile=b"not a profile" + SCRIPT)
    original, _ = _stored(buffer.getvalue(), "anh.jpg", "JPEG")
    assert SCRIPT not in original


@pytest.mark.parametrize("image_format", ["WEBP", "PNG"])
def test_palette_and_webp_photos_are_stored(image_format):
    buffer = io.BytesIO()
    Image.new("P", (30, 30), 3).save(buffer, image_format)
    original, thumbnail = _stored(buffer.getvalue(), "anh." + photos.ALLOWED_FORMATS[image_format], image_format)
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == image_format and image.size == (30, 30)
    assert thumbnail[:2] == b"\xff\xd8"


def test_a_recorded_meeting_publishes_the_photo_without_the_script(world):
    meeting = schedule(world)
    upload = SimpleUploadedFile("hoi-nghi.jpg", _hostile_jpeg(), content_type="image/jpeg")
    record(world, meeting, new_photos=[(upload, "Toàn cảnh")])
    photo = meeting.photos.get()
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored:
            data = stored.read()
        assert SCRIPT not in data and b"Camera Maker" not in data
        assert 0xFE not in _jpeg_segments(data)

