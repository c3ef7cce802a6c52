"""How long one post image takes from upload to blurred copy, and how well each face detector we considered finds
faces, on real photos that installed packages ship (no download, no network).

1. Pipeline: a 12-megapixel phone-style JPEG (4000 x 3000, with EXIF and GPS) holding ten real faces (five crops
   of scikit-image's astronaut, five faces from its Labeled Faces in the Wild subset) pasted on an enlarged
   photo of a coffee cup, put through `sanitise` -> `detect_faces` -> `blur_faces` on one core (target < 1.5 s),
   plus the tagging screen's face crops and the face descriptors used for matching.
2. Detectors, each on the same inputs:
   - LFW subset: 100 face crops and 100 non-face crops (25 px, enlarged 6x on a grey card): recall, precision;
   - 20 scikit-image sample photos with no people in them (cat, coffee, rocket, coins, cells...): false faces;
   - the astronaut (1 face) and the 12 MP photo above (10 faces, a box counts when IoU >= 0.3), with the time
     detection takes on the copy the pipeline uses (images.DETECT_LONG_SIDE, 2000 px long).
3. The smallest faces the chosen detector finds in a 4000 px photo.
   Candidates not installed in this environment are listed as such: run the script in a scratch environment
   with them installed to measure them (benchmarks/IMAGES.md says how).

    .venv/bin/python benchmarks/image_pipeline.py
    .venv/bin/python benchmarks/image_pipeline.py --mmod       # also dlib's CNN detector (about a minute)
"""

from __future__ import annotations

import os

# One core, as the target says: set before numpy or OpenCV start their thread pools.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib.util import find_spec  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import skimage.data  # noqa: E402
from PIL import ExifTags, Image  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from safesocial import images  # noqa: E402

Box = tuple[int, int, int, int]
Detector = Callable[[np.ndarray], list[Box]]

NON_FACE_PHOTOS = [
    "chelsea", "coffee", "rocket", "brick", "coins", "hubble_deep_field", "page", "moon", "horse", "grass",
    "gravel", "retina", "cell", "immunohistochemistry", "logo", "text", "clock", "colorwheel", "microaneurysms",
    "shepp_logan_phantom",
]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="pipeline runs to time (default 5)")
    parser.add_argument("--mmod", action="store_true", help="also measure dlib's CNN detector (slow)")
    parser.add_argument("--skimage-lbp", action="store_true", help="also measure scikit-image's LBP cascade (slow)")
    return parser.parse_args()


# --- Test data ---------------------------------------------------------------------------------------------------


def twelve_megapixel_photo() -> tuple[bytes, list[Box]]:
    """A 4000 x 3000 JPEG with ten real faces and a phone's EXIF (GPS included), and where the faces are."""
    rng = np.random.default_rng(0)
    background = Image.fromarray(skimage.data.coffee()).resize((4000, 3000), Image.Resampling.BICUBIC)
    # Sensor noise: without it the enlarged photo compresses (and decodes) far faster than a real one.
    noisy = np.asarray(background, dtype=np.int16) + rng.integers(-10, 11, (3000, 4000, 3), dtype=np.int16)
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    del noisy
    astronaut = Image.fromarray(skimage.data.astronaut())
    head = astronaut.crop((120, 0, 330, 260))
    face_in_head = (55, 76, 91, 91)  # the astronaut's face box, inside that crop
    lfw = skimage.data.lfw_subset()
    truths: list[Box] = []
    for k, (x, y) in enumerate((200 + 750 * column, 300 + 1300 * row) for row in range(2) for column in range(5)):
        if k < 5:
            scale = (1.0, 1.5, 2.0, 2.5, 1.2)[k]
            crop = head if k % 2 == 0 else head.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            crop = crop.resize((round(head.width * scale), round(head.height * scale)), Image.Resampling.BICUBIC)
            photo.paste(crop, (x, y))
            fx = face_in_head[0] if k % 2 == 0 else head.width - face_in_head[0] - face_in_head[2]
            fy, fw, fh = face_in_head[1:]
            truths.append((x + round(fx * scale), y + round(fy * scale), round(fw * scale), round(fh * scale)))
        else:
            side = (260, 300, 220, 340, 280)[k - 5]
            pixels = (lfw[(3, 17, 29, 42, 66)[k - 5]] * 255).astype(np.uint8)
            face = Image.fromarray(pixels).convert("RGB").resize((side, side), Image.Resampling.BICUBIC)
            photo.paste(face, (x, y))
            truths.append((x, y, side, side))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SchoolPhone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 16.0, 42.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (1.0, 4.0, 33.2),
    }
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue(), truths


def lfw_cards() -> list[tuple[np.ndarray, bool]]:
    """The LFW subset's 100 faces and 100 non-faces, each 25 px crop enlarged to 150 px on a 240 px grey card."""
    cards = []
    for index, pixels in enumerate(skimage.data.lfw_subset()):
        card = Image.new("L", (240, 240), 128)
        crop = Image.fromarray((pixels * 255).astype(np.uint8)).resize((150, 150), Image.Resampling.BICUBIC)
        card.paste(crop, (45, 45))
        cards.append((np.asarray(card.convert("RGB")), index < 100))
    return cards


def sample_photos() -> dict[str, np.ndarray]:
    return {name: np.asarray(Image.fromarray(getattr(skimage.data, name)()).convert("RGB")) for name in NON_FACE_PHOTOS}


# --- Candidates --------------------------------------------------------------------------------------------------


def candidates(args: argparse.Namespace) -> tuple[dict[str, Detector], dict[str, str]]:
    found: dict[str, Detector] = {}
    missing: dict[str, str] = {}

    if find_spec("dlib"):
        import dlib

        hog = dlib.get_frontal_face_detector()

        def dlib_hog(upsample: int) -> Detector:
            def run(rgb: np.ndarray) -> list[Box]:
                grey = np.asarray(Image.fromarray(rgb).convert("L"))  # as images.detect_faces does
                rects, _, _ = hog.run(grey, upsample, images.DETECT_THRESHOLD)
                return [(r.left(), r.top(), r.width(), r.height()) for r in rects]

            return run

        found["dlib HOG, upsample 0"] = dlib_hog(0)
        found["dlib HOG, upsample 1 (chosen)"] = dlib_hog(1)
        if args.mmod:
            folder = images._model_folder()
            cnn = dlib.cnn_face_detection_model_v1(str(folder / "mmod_human_face_detector.dat"))
            found["dlib CNN (MMOD)"] = lambda rgb: [
                (d.rect.left(), d.rect.top(), d.rect.width(), d.rect.height()) for d in cnn(rgb, 0)
            ]
    else:
        missing["dlib HOG / CNN"] = "pip install dlib-bin face-recognition-models"

    if find_spec("mediapipe"):
        import mediapipe as mp

        for selection, label in ((0, "short-range"), (1, "full-range")):
            detector = mp.solutions.face_detection.FaceDetection(model_selection=selection)

            def blaze(rgb: np.ndarray, detector=detector) -> list[Box]:
                h, w = rgb.shape[:2]
                result = detector.process(np.ascontiguousarray(rgb))
                boxes = []
                for detection in result.detections or []:
                    bb = detection.location_data.relative_bounding_box
                    boxes.append((int(bb.xmin * w), int(bb.ymin * h), int(bb.width * w), int(bb.height * h)))
                return boxes

            found[f"MediaPipe BlazeFace {label}"] = blaze
            found[f"MediaPipe BlazeFace {label}, tiled"] = tiled(blaze)
    else:
        missing["MediaPipe BlazeFace"] = "pip install mediapipe==0.10.21 (numpy<2, JAX, its own non-headless OpenCV)"

    if find_spec("cv2") and not find_spec("mediapipe"):
        import cv2

        cv2.setNumThreads(1)
        for name in ("haarcascade_frontalface_default", "haarcascade_frontalface_alt2"):
            cascade = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / f"{name}.xml"))

            def haar(rgb: np.ndarray, cascade=cascade) -> list[Box]:
                grey = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
                found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
                return [tuple(int(v) for v in box) for box in found]

            found[f"OpenCV {cv2.__version__} Haar {name.removeprefix('haarcascade_')}"] = haar
    elif find_spec("cv2"):
        missing["OpenCV Haar"] = "measured in an environment without MediaPipe, whose OpenCV build differs"
    else:
        missing["OpenCV Haar"] = 'pip install "opencv-python-headless<5"'

    if args.skimage_lbp:
        from skimage.color import rgb2gray
        from skimage.feature import Cascade

        lbp = Cascade(skimage.data.lbp_frontal_face_cascade_filename())
        found["scikit-image LBP cascade"] = lambda rgb: [
            (d["c"], d["r"], d["width"], d["height"])
            for d in lbp.detect_multi_scale(
                img=rgb2gray(rgb), scale_factor=1.2, step_ratio=1, min_size=(24, 24), max_size=(1000, 1000)
            )
        ]
    return found, missing


def tiled(detector: Detector) -> Detector:
    """BlazeFace squeezes its input to 128 or 192 px: run it on overlapping 256 and 512 px tiles too."""

    def run(rgb: np.ndarray) -> list[Box]:
        h, w = rgb.shape[:2]
        boxes = list(detector(rgb))
        for tile in (256, 512):
            if tile > 1.5 * max(h, w):
                continue
            step = tile // 2
            for y0 in range(0, max(1, h - step), step):
                for x0 in range(0, max(1, w - step), step):
                    for x, y, bw, bh in detector(rgb[y0 : y0 + tile, x0 : x0 + tile]):
                        boxes.append((x + x0, y + y0, bw, bh))
        kept: list[Box] = []
        for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
            if all(iou(box, other) < 0.3 for other in kept):
                kept.append(box)
        return kept

    return run


# --- Measuring ---------------------------------------------------------------------------------------------------


def iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


def score(boxes: list[Box], truths: list[Box]) -> tuple[int, int, int]:
    """(true positives, false positives, missed), a box matching a face when IoU >= 0.3, each face once."""
    matched: set[int] = set()
    for box in boxes:
        best = max(range(len(truths)), key=lambda i: iou(box, truths[i]))
        if iou(box, truths[best]) >= 0.3 and best not in matched:
            matched.add(best)
    tp = len(matched)
    return tp, len(boxes) - tp, len(truths) - tp


def working_copy(photo: bytes) -> tuple[np.ndarray, float]:
    image = Image.open(io.BytesIO(photo))
    ratio = images.DETECT_LONG_SIDE / max(image.size)
    small = image.convert("RGB").resize((round(image.width * ratio), round(image.height * ratio)))
    return np.asarray(small), ratio


def measure_pipeline(photo: bytes, truths: list[Box], repeat: int) -> None:
    print(f"== Pipeline on one core: 4000 x 3000 JPEG, {len(photo) / 1e6:.1f} MB, 10 faces, EXIF with GPS")
    if not find_spec("dlib"):
        print("   dlib is not installed here: skipped")
        return
    start = time.perf_counter()
    images.detect_faces(photo)
    print(f"   first call, loading the detector: {time.perf_counter() - start:.2f} s")
    runs = []
    baseline = reset_peak_memory()
    for _ in range(repeat):
        t0 = time.perf_counter()
        clean = images.sanitise(photo)
        t1 = time.perf_counter()
        faces = images.detect_faces(clean.data)
        t2 = time.perf_counter()
        blurred = images.blur_faces(clean.data, [face.box for face in faces])
        t3 = time.perf_counter()
        runs.append((t1 - t0, t2 - t1, t3 - t2, t3 - t0))
    peak_mb = peak_memory_mb() - baseline
    sanitise_s, detect_s, blur_s, total_s = (statistics.median(column) for column in zip(*runs, strict=True))
    verdict = "under" if total_s < 1.5 else "OVER"
    print(
        f"   median of {repeat}: sanitise {sanitise_s:.2f} s + detect {detect_s:.2f} s + blur {blur_s:.2f} s"
        f" = {total_s:.2f} s ({verdict} the 1.5 s target; slowest run {max(r[3] for r in runs):.2f} s)"
    )
    tp, fp, fn = score([face.box for face in faces], truths)
    print(f"   faces: {tp}/10 found, {fp} false, {fn} missed; had GPS (now removed): {clean.had_gps}")
    print(f"   sanitised {len(clean.data) / 1e6:.1f} MB, blurred {len(blurred) / 1e6:.1f} MB")
    t0 = time.perf_counter()
    for face in faces:
        images.face_crop(clean.data, face.box)
    crops_s = time.perf_counter() - t0
    print(f"   tagging thumbnails: {crops_s / len(faces) * 1000:.0f} ms a face")
    try:
        matcher = images.FaceMatcher()
    except images.MatchingUnavailable as exc:
        print(f"   matching: {exc}")
    else:
        t0 = time.perf_counter()
        for face in faces:
            matcher.embed(clean.data, face.box)
        print(f"   face descriptors for matching: {(time.perf_counter() - t0) / len(faces) * 1000:.0f} ms a face")
    refused = big_header()
    t0 = time.perf_counter()
    with contextlib.suppress(images.ImageRejected), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # Pillow's own warning, above 89 MP
        images.sanitise(refused)
    print(f"   a 100 MP upload refused from its header in {(time.perf_counter() - t0) * 1000:.1f} ms")
    print(f"   memory: the pipeline's peak was {peak_mb:.0f} MB above what the process held before it")


def reset_peak_memory() -> float:
    """Linux keeps a process's peak resident memory (VmHWM); writing 5 to clear_refs resets it to the current one."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return peak_memory_mb()


def peak_memory_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def smallest_faces() -> None:
    """Six astronaut faces and six LFW faces of one width at a time in a 4000 x 3000 photo: which widths are found."""
    print(f"\n== Smallest faces found by the chosen detector (copy {images.DETECT_LONG_SIDE} px long)")
    if not find_spec("dlib"):
        print("   dlib is not installed here: skipped")
        return
    astronaut = Image.fromarray(skimage.data.astronaut())
    head = astronaut.crop((120, 0, 330, 260))
    lfw = skimage.data.lfw_subset()
    results = []
    for width in (60, 80, 100, 120, 150, 200):
        photo = Image.new("RGB", (4000, 3000), (120, 130, 110))
        truths: list[Box] = []
        scale = width / 91
        resized = head.resize((round(head.width * scale), round(head.height * scale)), Image.Resampling.BICUBIC)
        for k in range(6):
            x = 100 + 600 * k
            photo.paste(resized, (x, 300))
            truths.append((x + round(55 * scale), 300 + round(76 * scale), width, width))
            face = Image.fromarray((lfw[7 * k] * 255).astype(np.uint8)).convert("RGB")
            photo.paste(face.resize((width, width), Image.Resampling.BICUBIC), (x, 1800))
            truths.append((x, 1800, width, width))
        buffer = io.BytesIO()
        photo.save(buffer, "JPEG", quality=90)
        tp, fp, _ = score([face.box for face in images.detect_faces(buffer.getvalue())], truths)
        results.append(f"{width} px: {tp}/12" + (f" ({fp} false)" if fp else ""))
    print("   faces of " + ", ".join(results))


def big_header() -> bytes:
    import struct

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 10_000, 10_000)
    return bytes(data)


def measure_detectors(args: argparse.Namespace, photo: bytes, truths: list[Box]) -> None:
    found, missing = candidates(args)
    cards = lfw_cards()
    photos = sample_photos()
    astronaut = skimage.data.astronaut()
    cameraman = np.asarray(Image.fromarray(skimage.data.camera()).convert("RGB"))
    work, ratio = working_copy(photo)
    print(
        "\n== Detectors (LFW: 100 faces / 100 non-faces; 20 photos without people; "
        f"12 MP photo at {images.DETECT_LONG_SIDE} px)"
    )
    for name, detect in found.items():
        t0 = time.perf_counter()
        hits = [bool(detect(card)) for card, _ in cards]
        per_card = (time.perf_counter() - t0) / len(cards) * 1000
        tp = sum(hit for hit, (_, is_face) in zip(hits, cards, strict=True) if is_face)
        fp = sum(hit for hit, (_, is_face) in zip(hits, cards, strict=True) if not is_face)
        false_faces = {photo_name: len(detect(rgb)) for photo_name, rgb in photos.items()}
        t0 = time.perf_counter()
        boxes = detect(work)
        big_s = time.perf_counter() - t0
        big = score([tuple(round(v / ratio) for v in box) for box in boxes], truths)
        print(f"-- {name}")
        print(
            f"   LFW recall {tp}/100 = {tp}%, precision {tp}/{tp + fp} = {100 * tp / max(1, tp + fp):.0f}%"
            f" ({per_card:.0f} ms a card)"
        )
        offenders = ", ".join(f"{n} {c}" for n, c in false_faces.items() if c) or "none"
        print(f"   false faces in photos without people: {sum(false_faces.values())} ({offenders})")
        print(f"   astronaut: {len(detect(astronaut))} box(es) for 1 face", end="; ")
        print(f"cameraman, face half turned behind his camera: {len(detect(cameraman))}")
        print(f"   12 MP photo: {big[0]}/10 found, {big[1]} false, {big[2]} missed, in {big_s:.2f} s")
        sys.stdout.flush()
    for name, how in missing.items():
        print(f"-- {name}: not installed here ({how})")


def main() -> None:
    args = parse_args()
    import PIL

    versions = [f"Pillow {PIL.__version__}", f"numpy {np.__version__}"]
    for module in ("dlib", "cv2", "mediapipe"):
        if find_spec(module):
            versions.append(f"{module} {__import__(module).__version__}")
    print(f"Python {platform.python_version()} on {platform.machine()}, one core; {', '.join(versions)}")
    photo, truths = twelve_megapixel_photo()
    measure_pipeline(photo, truths, args.repeat)
    smallest_faces()
    measure_detectors(args, photo, truths)


if __name__ == "__main__":
    main()
