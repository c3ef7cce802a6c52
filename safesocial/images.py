"""Every image in a post passes through here: re-encoded with no metadata, its faces found for tagging, blurred
where a pupil has no photo consent, and (only where the trust allows it) matched against enrolled pupils.

Pure functions on bytes: no database, no Django, no network. The policy decisions (whose face may be shown, whether
face matching is switched on, who has biometric consent) belong to the callers; this module only does pixels.

Why dlib's HOG detector. Measured by benchmarks/image_pipeline.py (figures in benchmarks/IMAGES.md), one core, on
real photos that packages ship: scikit-image's LFW subset (100 face crops, 100 non-face crops, enlarged 6x), 20 of
its sample photos without people (cat, coffee, rocket, coins, cells...) and a 12 MP photo with ten pasted faces:

- dlib HOG, upsampled once, on a grey copy 2000 px long (chosen): LFW recall 94%, precision 100%; no false face in
  the 20 photos; 10/10 faces in the 12 MP photo in 0.62 s; every face from 80 px wide in a 4000 px photo.
  It misses faces turned far from the camera (the cameraman) and under ~70 px.
- OpenCV 4.14 Haar, frontalface_alt2 (the best cascade): recall 95%, precision 100%, 1 false face, 10/10, but
  1.44 s on the same copy, and a 160 MB package while dlib would still be needed for matching. The default
  cascade: recall 91%, 10 false faces (coins, moon, cells). OpenCV 5 no longer ships the cascades.
- scikit-image's LBP cascade: recall 93%, 11 false faces, 5.4 s.
- dlib's CNN (MMOD): recall 100%, boxes the cameraman, but 21 s (and 8/10) for the 12 MP photo.
- MediaPipe 0.10.21 BlazeFace squeezes the photo into 128 px (192 px full-range): 0/10 in the 12 MP photo. Tiled,
  short-range finds 10/10 with 7 false boxes (16 in the photos without people); full-range 21% LFW recall.
  It pins numpy<2, pulls JAX, matplotlib and a non-headless OpenCV (1.1 GB) and has no face descriptor.

dlib also ships, through `face-recognition-models`, the 5-point landmark model and the ResNet face descriptor
(99.38% on LFW) that `FaceMatcher` uses, so detection and matching come from one library with models installed
as package data: nothing is downloaded at run time. Their author released them into the public domain, except the
68-point landmark model in the same package, trained on data that excludes commercial use: it is never loaded.

A detector misses some faces (profiles, tiny faces, hats and masks): the tagging screen must let staff draw a box
by hand, and `blur_faces` takes any boxes, not only detected ones.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageFilter, ImageOps, UnidentifiedImageError

# The trust's limit: larger than any phone or camera photo, small enough to decode safely (~200 MB as RGB).
MAX_PIXELS = 50_000_000
# The only decoders we let near uploaded bytes: what phones, cameras and browsers produce. (Many camera JPEGs
# come back from the JPEG decoder as MPO: a main image followed by a preview or depth map.)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")
JPEG_QUALITY = 88
# Detection runs on a copy this long, doubled inside dlib (its HOG window is 80 px): faces from 80 px wide in a
# 4000 px photo (2% of its long side, a class photo's back row) are found, in ~0.65 s on one core. A 1333 px copy
# took 0.3 s but missed most faces under 120 px.
DETECT_LONG_SIDE = 2000
DETECT_UPSAMPLE = 1
# dlib's own default. A missed face is worse than a box staff dismiss: 0.2 lost 3 of the 94 LFW faces found.
DETECT_THRESHOLD = 0.0
# Boxes hug the face from brows to chin; hair and ears identify a child too.
BLUR_PADDING = 0.35
# The blurred area keeps only this many blocks across its longer side before smoothing: too little to recover.
BLUR_BLOCKS = 8

_XMP_KEYS = ("xmp", "XML:com.adobe.xmp")
# What Pillow puts in `info` when a file carries metadata beyond pixels (EXIF, XMP, ICC, IPTC, comments, PNG text).
_METADATA_KEYS = ("exif", "icc_profile", "photoshop", "comment", "iptc", *_XMP_KEYS)
_PNG_STRUCTURAL = {"dpi", "gamma", "transparency", "aspect", "srgb", "chromaticity", "bbox", "duration", "loop"}


class ImageRejected(ValueError):
    """The upload cannot be used as a post image; the message is written for the member of staff who sent it."""


class MatchingUnavailable(RuntimeError):
    """Face matching cannot run here: its models are not installed."""


@dataclass(frozen=True)
class Sanitised:
    data: bytes
    content_type: str
    width: int
    height: int
    had_metadata: bool
    had_gps: bool


@dataclass(frozen=True)
class Face:
    """A face box in the sanitised image's pixels; `score` is the detector's margin (higher is surer, 0 is the cut)."""

    x: int
    y: int
    w: int
    h: int
    score: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.w, self.h)


# --- Reading uploads safely -------------------------------------------------------------------------------------


def _open(data: bytes) -> Image.Image:
    """Read the header only and refuse anything we will not decode. Pixels are not decoded yet."""
    if not data:
        raise ImageRejected("The file is empty.")
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        raise ImageRejected(_why_unreadable(data)) from None
    except Image.DecompressionBombError as exc:
        # Pillow's own guard, for headers claiming more than twice its limit (179 MP): ours is lower still.
        raise ImageRejected(_too_large_message()) from exc
    except _CORRUPT as exc:
        raise ImageRejected(f"The image is corrupt and cannot be read ({exc}).") from exc
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected("The image is corrupt: it says it has no pixels.")
    if width * height > MAX_PIXELS:
        raise ImageRejected(_too_large_message(width, height))
    with _reading():
        animated = image.format != "MPO" and getattr(image, "is_animated", False)
    if animated:
        raise ImageRejected("Animated images are not supported: please upload a still photo (JPEG or PNG).")
    if not _complete(image.format, data):
        raise ImageRejected("The image is corrupt or incomplete (its end is missing): please upload it again.")
    return image


def _complete(image_format: str | None, data: bytes) -> bool:
    """Whether the file reaches its format's end marker.

    Pillow refuses truncated files only while `ImageFile.LOAD_TRUNCATED_IMAGES` is False, and that is a global any
    library may flip: WeasyPrint sets it to True when imported, after which a cut-off JPEG, PNG or GIF decodes
    with grey where its end should be. So we look for the end ourselves. (WebP and AVIF decoders refuse
    truncated files whatever the flag says.)"""
    if image_format in ("JPEG", "MPO"):
        return _jpeg_complete(data)
    if image_format == "PNG":
        return _png_complete(data)
    if image_format == "GIF":
        return data.rstrip(b"\x00\r\n").endswith(b";")
    return True


def _jpeg_complete(data: bytes) -> bool:
    """An end-of-image marker after the first scan. Inside compressed data 0xFF is always followed by 0x00 or
    a restart marker, so FF D9 there can only be the end (an EXIF thumbnail's own FF D9 comes before the scan)."""
    pos, size = 2, len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return True  # not a layout we can follow: the decoder will judge
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
        elif marker == 0xDA:
            return data.find(b"\xff\xd9", pos) != -1
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return False


def _png_complete(data: bytes) -> bool:
    """The chunks, walked by their lengths, reach IEND inside the file."""
    pos, size = 8, len(data)
    while pos + 8 <= size:
        length = int.from_bytes(data[pos : pos + 4], "big")
        if data[pos + 4 : pos + 8] == b"IEND":
            return True
        pos += 12 + length
    return False


# What Pillow's decoders raise on damaged data.
_CORRUPT = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)


@contextmanager
def _reading() -> Iterator[None]:
    """Anything a decoder raises while reading the upload means the upload is damaged."""
    try:
        yield
    except ImageRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageRejected(_too_large_message()) from exc
    except _CORRUPT as exc:
        raise ImageRejected(f"The image is corrupt or incomplete and cannot be read ({exc}).") from exc


def _too_large_message(width: int | None = None, height: int | None = None) -> str:
    size = f" ({width} x {height}, {width * height / 1e6:.0f} megapixels)" if width and height else ""
    return (
        f"The image is too large{size}: the limit is {MAX_PIXELS // 1_000_000} megapixels. "
        "Please resize it or export a smaller copy."
    )


_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


def _why_unreadable(data: bytes) -> str:
    """None of our decoders recognised the bytes: say whether they are a broken image, another format or not one."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"The image is corrupt: it starts like a {name} file but cannot be read."
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "The image is corrupt: it starts like a WebP file but cannot be read."
    head = data[:1024]
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "The image is corrupt: it starts like an AVIF file but cannot be read."
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
        return (
            "HEIC photos (the iPhone's own format) are not supported: please upload a JPEG, or set the iPhone's "
            "camera format to Most Compatible."
        )
    if head.startswith(b"%PDF"):
        return "This file is a PDF document, not an image."
    if head.startswith((b"MZ", b"\x7fELF")):
        return "This file is a program, not an image."
    if head.startswith(b"PK\x03\x04"):
        return "This file is a zip archive or office document, not an image."
    if _looks_like_text(head) and b"<svg" in head.lower():
        return "SVG drawings are not supported: please export the drawing as a PNG."
    if _looks_like_text(head):
        return "This file is not an image: it contains text (perhaps HTML or a script) renamed as a picture."
    try:
        # Header only, every format Pillow knows: just to name what it is in the message.
        other = Image.open(io.BytesIO(data))
    except Exception:  # any failure here means "not an image we know"
        return "This file is not an image, or not one we can read."
    return f"Images in {other.format} format are not supported: please upload a JPEG, PNG, WebP, GIF or AVIF image."


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the sample is still text.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * len(text)


def _decode(image: Image.Image) -> Image.Image:
    """Decode the pixels and turn them upright, or refuse the upload as corrupt."""
    with _reading():
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The size after EXIF orientation, known from the header alone."""
    width, height = image.size
    with _reading():
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _load_scaled(image: Image.Image, scale: float, *, grey: bool = False) -> Image.Image:
    """The opened image decoded upright at no less than `scale` of its full size.

    JPEGs are decoded at 1/2, 1/4 or 1/8 straight from the compressed data (`draft`), and only their brightness
    when `grey`: most of the speed of detection and cropping on 12 MP photos."""
    if image.format in ("JPEG", "MPO") and (scale < 1 or grey):
        width, height = image.size
        mode = "L" if grey and image.mode == "RGB" else None
        image.draft(mode, (_ceil(width * min(1.0, scale)), _ceil(height * min(1.0, scale))))
    return _decode(image)


def _ceil(value: float) -> int:
    return max(1, math.ceil(value))


# --- Colour and encoding -----------------------------------------------------------------------------------------


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Bake an embedded colour profile (Display P3 on iPhones, Adobe RGB on cameras) into the pixels, so the
    profile itself can be dropped and the photo still looks the same."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """One of RGB, L (JPEG) or RGBA (PNG, only when some pixel is actually see-through)."""
    image = _to_srgb(image)
    if _has_transparency(image):
        rgba = image.convert("RGBA")
        opaque = rgba.getchannel("A").getextrema() == (255, 255)
        return rgba.convert("RGB") if opaque else rgba
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """Write pixels and nothing else. Pillow copies some `info` (a JPEG comment, a PNG's ICC profile) into the new
    file unless told otherwise, so the image (always one of ours, never the caller's) loses its `info` first."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", compress_level=6)
        return buffer.getvalue(), "image/png"
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue(), "image/jpeg"


def _metadata_found(image: Image.Image) -> tuple[bool, bool]:
    """(had any metadata, had a location) from the header, before the pixels are touched."""
    exif = image.getexif()
    gps = bool(exif.get_ifd(ExifTags.IFD.GPSInfo)) or ExifTags.IFD.GPSInfo in exif
    xmp = b"".join(_as_bytes(image.info.get(key)) for key in _XMP_KEYS)
    gps = gps or any(tag in xmp for tag in (b"GPSLatitude", b"GPSLongitude", b"LocationShown", b"LocationCreated"))
    extra_text = getattr(image, "text", None) if image.format == "PNG" else None
    metadata = (
        len(exif) > 0
        or any(image.info.get(key) for key in _METADATA_KEYS)
        or bool(extra_text)
        or (image.format == "PNG" and any(key not in _PNG_STRUCTURAL for key in image.info))
    )
    return metadata or gps, gps


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    return value.encode("utf-8", "replace") if isinstance(value, str) else bytes(value)


# --- The public functions ----------------------------------------------------------------------------------------


def sanitise(data: bytes) -> Sanitised:
    """Re-encode an upload as JPEG (PNG when it has see-through pixels), upright, with no EXIF, GPS, XMP, IPTC,
    ICC profile or comment: only pixels leave. Raises ImageRejected with a message for staff."""
    image = _open(data)
    with _reading():
        had_metadata, had_gps = _metadata_found(image)
    flat = _flatten(_decode(image))
    encoded, content_type = _encode(flat)
    return Sanitised(
        data=encoded,
        content_type=content_type,
        width=flat.width,
        height=flat.height,
        had_metadata=had_metadata,
        had_gps=had_gps,
    )


def detect_faces(data: bytes) -> list[Face]:
    """Faces in the image, surest first, as boxes in the upright full-size image's pixels (the sanitised image's,
    whether `data` is the upload or its sanitised copy)."""
    image = _open(data)
    full_w, full_h = _upright_size(image)
    # Grey: dlib's HOG takes two thirds of its time on colour, and found the same faces on every benchmark set.
    work = _load_scaled(image, min(1.0, DETECT_LONG_SIDE / max(full_w, full_h)), grey=True).convert("L")
    if max(work.size) > DETECT_LONG_SIDE:
        ratio = DETECT_LONG_SIDE / max(work.size)
        work = work.resize((_ceil(work.width * ratio), _ceil(work.height * ratio)), Image.Resampling.BILINEAR)
    import numpy as np

    models = _models()
    with models.lock:
        rects, scores, _ = models.hog.run(np.asarray(work), DETECT_UPSAMPLE, DETECT_THRESHOLD)
    sx, sy = full_w / work.width, full_h / work.height
    faces = []
    for rect, score in zip(rects, scores, strict=True):
        left, top = max(0, round(rect.left() * sx)), max(0, round(rect.top() * sy))
        right, bottom = min(full_w, round((rect.right() + 1) * sx)), min(full_h, round((rect.bottom() + 1) * sy))
        if right > left and bottom > top:
            faces.append(Face(left, top, right - left, bottom - top, float(score)))
    return sorted(faces, key=lambda face: -face.score)


def blur_faces(data: bytes, boxes: Sequence[tuple[int, int, int, int]]) -> bytes:
    """The image with each box (padded to take in hair and ears) pixelated to a few blocks and smoothed, re-encoded
    with no metadata. Pixelating first is what makes it irreversible: a Gaussian blur alone can be partly undone."""
    image = _flatten(_decode(_open(data)))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGB")
    for box in boxes:
        region = _padded(box, image.size, BLUR_PADDING)
        if region is None:
            continue
        patch = image.crop(region)
        block = max(1.0, max(patch.size) / BLUR_BLOCKS)
        small = patch.resize((_ceil(patch.width / block), _ceil(patch.height / block)), Image.Resampling.BOX)
        mosaic = small.resize(patch.size, Image.Resampling.NEAREST)
        image.paste(mosaic.filter(ImageFilter.GaussianBlur(block / 2)), region[:2])
    return _encode(image)[0]


def face_crop(data: bytes, box: tuple[int, int, int, int], size: int = 160) -> bytes:
    """A square JPEG thumbnail of one face with some context, for staff to say who it is."""
    image = _open(data)
    full_w, full_h = _upright_size(image)
    x, y, w, h = _check_box(box)
    side = max(w, h) * 1.6
    # Decode no bigger than the thumbnail needs (a 300 px face in a 12 MP photo: a quarter of the pixels).
    work = _load_scaled(image, min(1.0, 1.5 * size / side))
    sx, sy = work.width / full_w, work.height / full_h
    cx, cy = (x + w / 2) * sx, (y + h / 2) * sy
    half_w, half_h = side * sx / 2, side * sy / 2
    region = (
        max(0, round(cx - half_w)),
        max(0, round(cy - half_h)),
        min(work.width, round(cx + half_w)),
        min(work.height, round(cy + half_h)),
    )
    if region[2] <= region[0] or region[3] <= region[1]:
        raise ValueError(f"The box {box} is outside the image ({full_w} x {full_h}).")
    crop = _flatten(work.crop(region))
    if crop.mode == "RGBA":
        background = Image.new("RGB", crop.size, "white")
        background.paste(crop, mask=crop.getchannel("A"))
        crop = background
    thumb = ImageOps.pad(crop.convert("RGB"), (size, size), Image.Resampling.LANCZOS, color=(128, 128, 128))
    return _encode(thumb)[0]


def _check_box(box: Sequence[int]) -> tuple[int, int, int, int]:
    x, y, w, h = (int(v) for v in box)
    if w <= 0 or h <= 0:
        raise ValueError(f"A face box needs a positive width and height, not {tuple(box)}.")
    return x, y, w, h


def _padded(box: Sequence[int], size: tuple[int, int], padding: float) -> tuple[int, int, int, int] | None:
    x, y, w, h = _check_box(box)
    pad_x, pad_y = w * padding, h * padding
    # Hair sits above the brow line the detector stops at: pad upwards more than down.
    left, top = max(0, math.floor(x - pad_x)), max(0, math.floor(y - 1.4 * pad_y))
    right, bottom = min(size[0], math.ceil(x + w + pad_x)), min(size[1], math.ceil(y + h + pad_y))
    return (left, top, right, bottom) if right > left and bottom > top else None


# --- Models ------------------------------------------------------------------------------------------------------


class _Models:
    """dlib's detector and networks, loaded once per process (hundreds of MB, up to a second to load). dlib documents
    none of them as safe for two threads at once: they load and run only while holding `lock`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._hog: Any = None
        self._landmarks: Any = None
        self._descriptor: Any = None

    @property
    def hog(self) -> Any:
        with self.lock:
            if self._hog is None:
                import dlib

                self._hog = dlib.get_frontal_face_detector()
            return self._hog

    def matching(self) -> tuple[Any, Any]:
        with self.lock:
            if self._descriptor is None:
                try:
                    import dlib
                except ImportError as exc:
                    raise MatchingUnavailable("Face matching needs dlib (the dlib-bin package).") from exc
                folder = _model_folder()
                self._landmarks = dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat"))
                self._descriptor = dlib.face_recognition_model_v1(
                    str(folder / "dlib_face_recognition_resnet_model_v1.dat")
                )
            return self._landmarks, self._descriptor


_models_local = _Models()


def _models() -> _Models:
    return _models_local


def _model_folder() -> Path:
    # Located without importing the package: its __init__ imports pkg_resources, gone from recent setuptools.
    spec = find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise MatchingUnavailable("Face matching needs its models: the face-recognition-models package.")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    if not (folder / "dlib_face_recognition_resnet_model_v1.dat").is_file():
        raise MatchingUnavailable(f"Face matching models are missing from {folder}.")
    return folder


class FaceMatcher:
    """Suggests which pupil a face is, from dlib's ResNet face descriptor: 128 numbers per face, where faces of one
    person lie within 0.6 of each other (99.38% right on LFW, adults; expect less with children).

    This is biometric processing of children's special category data (UK GDPR article 9). Callers must:
    - use it only while the trust's policy has face matching switched on;
    - pass to `match` only references of pupils with recorded, unwithdrawn biometric consent and an enrolled
      reference photo, filtered at the moment of matching (consent can be withdrawn between two posts);
    - treat a result as a suggestion that a member of staff confirms, never as a tag;
    - store embeddings as sensitively as the photos (they are biometric data) and delete them with the consent.
    This class cannot check any of that: it sees pixels and numbers, not pupils.
    """

    DEFAULT_THRESHOLD = 0.6
    # The descriptor's input is a 150 px aligned face chip; decoding larger than this buys nothing.
    _FACE_PIXELS = 200

    def __init__(self) -> None:
        _models().matching()

    def embed(self, data: bytes, box: tuple[int, int, int, int]) -> list[float]:
        """The face descriptor of the face in `box` (a box from `detect_faces`, or drawn by staff)."""
        import dlib
        import numpy as np

        landmarks, descriptor = _models().matching()
        image = _open(data)
        full_w, full_h = _upright_size(image)
        x, y, w, h = _check_box(box)
        work = _load_scaled(image, min(1.0, self._FACE_PIXELS / max(w, h)))
        sx, sy = work.width / full_w, work.height / full_h
        # A margin around the face for alignment, then only that part of the photo goes to the network.
        margin = max(w, h)
        left, top = max(0, round((x - margin) * sx)), max(0, round((y - margin) * sy))
        right, bottom = min(work.width, round((x + w + margin) * sx)), min(work.height, round((y + h + margin) * sy))
        if right <= left or bottom <= top:
            raise ValueError(f"The box {box} is outside the image ({full_w} x {full_h}).")
        crop = np.ascontiguousarray(np.asarray(work.crop((left, top, right, bottom)).convert("RGB")))
        rect = dlib.rectangle(
            round(x * sx) - left, round(y * sy) - top, round((x + w) * sx) - left - 1, round((y + h) * sy) - top - 1
        )
        with _models().lock:
            shape = landmarks(crop, rect)
            return [float(value) for value in descriptor.compute_face_descriptor(crop, shape)]

    def match(
        self,
        embedding: Sequence[float],
        references: dict[int, Sequence[float]],
        threshold: float = DEFAULT_THRESHOLD,
    ) -> list[tuple[int, float]]:
        """(pupil id, distance) of every reference within `threshold`, nearest first. `references` must hold only
        pupils with biometric consent (see the class docstring); a pupil may be enrolled with several photos by
        passing the nearest of them."""
        import numpy as np

        if not references:
            return []
        probe = np.asarray(embedding, dtype=np.float64)
        ids = list(references)
        matrix = np.asarray([references[pupil] for pupil in ids], dtype=np.float64)
        if matrix.shape[1:] != probe.shape:
            raise ValueError(f"Embeddings have {probe.shape[0]} numbers but references have {matrix.shape[1]}.")
        distances = np.linalg.norm(matrix - probe, axis=1)
        found = [(pupil, float(distance)) for pupil, distance in zip(ids, distances, strict=True)]
        return sorted(((p, d) for p, d in found if d <= threshold), key=lambda item: item[1])
