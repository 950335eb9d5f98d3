"""Avatars: checked before they are decoded, then made upright, small, renamed and bare of metadata.

The model declares `avatar = ProcessedImageField(spec=AvatarSpec, upload_to=avatar_upload_to)`:
imagekit runs the processors below on upload, before the file reaches storage.
"""

import os
import struct
import uuid
import warnings
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from PIL import Image, ImageOps, UnidentifiedImageError
from pilkit.utils import extension_to_format

AVATAR_SIZE = (200, 200)

# Accepted formats, and the format each is stored in: a GIF, animated or not, becomes a still PNG.
STORED_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSION = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
}

NOT_AN_IMAGE = _("Upload a JPEG, PNG, WebP or GIF image; this file is not one, or it is damaged.")


def avatar_upload_to(instance, filename):
    """A random, unguessable name of [a-zA-Z0-9] only, whatever the uploaded name was."""
    image_format = extension_to_format(os.path.splitext(filename)[1])
    return f"avatars/{uuid.uuid4().hex}{EXTENSION[image_format]}"


def validate_avatar(file):
    """Refuse what is not a small, sound image of an accepted format, before decoding much of it."""
    max_bytes = settings.AVATAR_MAX_UPLOAD_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            gettext("The file is too large: %(size)d bytes; at most %(limit)d bytes are accepted.")
            % {"size": file.size, "limit": max_bytes},
            code="file_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(STORED_FORMAT))
        limit = pixel_limit(image)
        if image.width * image.height > limit:
            raise ValidationError(
                too_many_pixels(image.width, image.height), code="too_many_pixels"
            )
        image.getexif()  # malformed EXIF fails here, not later while turning the image upright
        image.draft(image.mode, AVATAR_SIZE)  # JPEG: decode at reduced scale, enough to check it
        image.load()  # a truncated or corrupt file fails here, not later while saving
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(too_many_pixels(), code="too_many_pixels") from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
    ) as exc:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from exc
    finally:
        file.seek(0)


def pixel_limit(image):
    """A baseline JPEG decodes at 1/8 scale, whatever its size; PNG, GIF, WebP and progressive JPEG
    (whose decoder holds every coefficient) decode in full, at a cost in CPU and memory that grows
    with the pixel count: they get the lower limit."""
    if image.format == "JPEG" and not image.info.get("progressive"):
        return settings.AVATAR_MAX_PIXELS
    return min(settings.AVATAR_MAX_PIXELS, settings.AVATAR_MAX_PIXELS_FULL_DECODE)


def too_many_pixels(width=None, height=None):
    full = min(settings.AVATAR_MAX_PIXELS, settings.AVATAR_MAX_PIXELS_FULL_DECODE)
    limits = {
        "full": f"{full / 1_000_000:g}",
        "baseline": f"{settings.AVATAR_MAX_PIXELS / 1_000_000:g}",
        "width": width,
        "height": height,
    }
    if width:
        text = gettext(
            "The image is too large: %(width)dx%(height)d pixels; at most %(full)s megapixels "
            "are accepted (a baseline JPEG may have %(baseline)s)."
        )
    else:
        text = gettext(
            "The image is too large; at most %(full)s megapixels are accepted (a baseline JPEG "
            "may have %(baseline)s)."
        )
    return text % limits


class DecodeAtReducedScale:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale, still at least twice the final size.

    Pillow then never holds the full-size photo in memory; the final Lanczos resize from twice
    the size gives the same result as from the full image.
    """

    def __init__(self, width, height):
        self.size = (width * 2, height * 2)

    def process(self, image):
        image.draft(image.mode, self.size)
        return image


class ApplyExifOrientation:
    """Turn the pixels the way the EXIF orientation says, for every format that carries one."""

    def process(self, image):
        ImageOps.exif_transpose(image, in_place=True)
        return image


class ToRGB:
    """Palette, grey, CMYK and 16-bit images become RGB, or RGBA where they have transparency."""

    def process(self, image):
        if image.mode in {"RGB", "RGBA"}:
            return image
        has_alpha = image.mode in {"LA", "PA", "RGBa", "La"} or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")


class FitWithin:
    """Shrink to fit within width x height, keeping the proportions, never enlarging.

    As pilkit's ResizeToFit, except that a side never rounds down to nothing (which Pillow
    refuses): a 20000x10 banner becomes 200x1.
    """

    def __init__(self, width, height):
        self.width, self.height = width, height

    def process(self, image):
        ratio = min(self.width / image.width, self.height / image.height)
        if ratio >= 1:
            return image
        size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        if image.mode == "P":
            image = image.convert("RGBA")  # pilkit's Resize does the same
        # Shrink by a whole factor first (Image.reduce, a cheap box filter) down to three times the
        # final size, then Lanczos from there: the result looks the same, at a fraction of the
        # cost of a Lanczos filter over every pixel of a large image.
        return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


class StripMetadata:
    """Drop EXIF (GPS included), XMP, ICC and comments, so none reaches the stored file."""

    def process(self, image):
        image.info = {}
        return image


class AvatarSpec(ImageSpec):
    """Fit within 200x200 (never enlarged), upright, no metadata, in the format it came in."""

    processors = [
        DecodeAtReducedScale(*AVATAR_SIZE),
        ApplyExifOrientation(),
        ToRGB(),
        FitWithin(*AVATAR_SIZE),
        StripMetadata(),
    ]

    @cached_property
    def format(self):
        self.source.seek(0)
        with Image.open(self.source) as image:
            source_format = image.format
        self.source.seek(0)
        return STORED_FORMAT[source_format]

    @property
    def options(self):
        return SAVE_OPTIONS[self.format]
