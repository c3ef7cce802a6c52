"""Small real files for uploads: a photo and a screenshot, made with Pillow."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(name: str = "sports-day.jpg", size: tuple[int, int] = (800, 600), fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()
