"""Checking uploaded meeting photos by their content and making thumbnails."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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


_SRGB = ImageCms.createProfile("sRGB")
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def _upright_srgb(image):
    """The image turned upright and in sRGB colours (an embedded colour profile is applied to the
    pixels rather than kept, since a profile is itself a segment of arbitrary bytes)."""
    has_alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if icc_profile:
        try:
            source = upright if upright.mode in ("CMYK", target) else upright.convert(target)
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(source, profile, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: the pixels are used as they are
    if upright.mode == "L" and not has_alpha:
        return upright
    return upright.convert(target)


def _clean_pixels(upload):
    """A new image made from the photo's pixels alone: no segment of the uploaded file (EXIF,
    comments, XMP, PNG text chunks, colour profile) can reach what is stored and published."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            pixels = _upright_srgb(image)
            return Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    finally:
        upload.seek(0)


def _flattened(image):
    if image.mode not in ("RGBA", "LA"):
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def stored_files(upload, image_format):
    """The original (upright, re-encoded from its pixels, under a fresh name) and a JPEG thumbnail,
    as ContentFiles."""
    stem = uuid.uuid4().hex
    clean = _clean_pixels(upload)
    if image_format == "JPEG":
        original_bytes = _encoded(_flattened(clean), "JPEG", quality=92, optimize=True)
    else:
        original_bytes = _encoded(clean, image_format)
    thumbnail = clean.copy()
    thumbnail.thumbnail(THUMB_SIZE)
    thumbnail_bytes = _encoded(_flattened(thumbnail).convert("RGB"), "JPEG", quality=82)
    return (
        ContentFile(original_bytes, name=f"{stem}.{ALLOWED_FORMATS[image_format]}"),
        ContentFile(thumbnail_bytes, name=f"{stem}.jpg"),
    )
