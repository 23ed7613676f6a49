"""Checking uploaded meeting photos by their content and making thumbnails."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = (480, 360)


def max_photo_bytes():
    return min(MAX_PHOTO_BYTES, settings.UPLOAD_MAX_BYTES)


def check_image(upload):
    """Return (format, width, height) of an uploaded image, or raise a ValidationError.

    The file's own bytes decide (not its name or the browser's content type): only
    JPEG, PNG and WebP, no larger than the limit, small enough to decode safely.
    """
    name = getattr(upload, "name", "") or _("ảnh")
    if upload.size > max_photo_bytes():
        raise ValidationError(
            _("Ảnh %(name)s quá lớn (%(size).1f MB); tối đa %(max)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": max_photo_bytes() // 1024 // 1024}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Tệp %(name)s không phải là ảnh hợp lệ.") % {"name": name})
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Ảnh %(name)s phải ở định dạng JPEG, PNG hoặc WebP.") % {"name": name})
    if width * height > MAX_PIXELS:
        raise ValidationError(_("Ảnh %(name)s có kích thước điểm ảnh quá lớn.") % {"name": name})
    return image_format, width, height


def _without_metadata(upload, image_format):
    """The photo re-encoded upright with no EXIF or text metadata: published photos must not
    carry the camera owner's GPS position or device. The colour profile is kept."""
    upload.seek(0)
    with Image.open(upload) as image:
        icc_profile = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if image_format == "JPEG":
            options.update(quality=92, optimize=True)
            upright = upright.convert("RGB") if upright.mode not in ("RGB", "L", "CMYK") else upright
        upright.save(buffer, image_format, **options)
    return buffer.getvalue()


def stored_files(upload, image_format):
    """The original (upright, metadata removed, under a fresh name) and a JPEG thumbnail, as ContentFiles."""
    stem = uuid.uuid4().hex
    original = ContentFile(_without_metadata(upload, image_format), name=f"{stem}.{ALLOWED_FORMATS[image_format]}")
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMB_SIZE)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.convert("RGBA").split()[-1])
            image = background
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=82)
    upload.seek(0)
    return original, ContentFile(buffer.getvalue(), name=f"{stem}.jpg")
