"""Published photos must not carry the camera's GPS position or owner (EXIF)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from meetings.tests.factories import record, schedule


def _jpeg_with_gps():
    image = Image.new("RGB", (120, 80), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x013B] = "Nguyễn Văn Chụp"  # Artist
    exif[0x0112] = 6  # Orientation: rotated, so the stored copy must be turned upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (11.0, 34.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_stored_photo_has_no_exif_and_is_upright(world):
    meeting = schedule(world)
    record(world, meeting, new_photos=[(_jpeg_with_gps(), "Toàn cảnh Hội nghị")])
    photo = meeting.photos.get()
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (80, 120)
    assert b"Camera Maker" not in photo.image.open("rb").read()
