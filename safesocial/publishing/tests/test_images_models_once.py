"""dlib's models load once per process, not once per thread: a threaded server reloaded them (0.4-1 s, and hundreds
of MB held) for every new thread that checked a photo."""

import io
import threading

import skimage.data
from PIL import Image

from safesocial import images


def _in_threads(work, count=2):
    results = [None] * count
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        results[i] = work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_threads_share_one_face_detector_and_one_matching_network():
    detectors = _in_threads(lambda: images._models().hog)
    networks = _in_threads(lambda: images._models().matching())

    assert detectors[0] is detectors[1] is images._models().hog
    assert networks[0][0] is networks[1][0] and networks[0][1] is networks[1][1]


def test_two_threads_checking_photos_at_once_each_find_the_face():
    buffer = io.BytesIO()
    Image.fromarray(skimage.data.astronaut()).save(buffer, "JPEG")
    photo = buffer.getvalue()
    alone = images.detect_faces(photo)

    together = _in_threads(lambda: images.detect_faces(photo), count=4)

    assert len(alone) == 1
    assert together == [alone] * 4
