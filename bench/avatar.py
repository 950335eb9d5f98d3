"""Avatar processing benchmark: median time and peak memory per upload (`make bench-avatar`).

Each case runs in a fresh process, so its peak resident memory is its own. Figures depend on the
machine; docs/benchmarks.md keeps the latest ones.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-insecure-key-not-for-production")

ROUNDS = 15
# The worst upload each format may cost, within the default limits (5 MB; 5 megapixels for what is
# decoded in full, 40 for a baseline JPEG): the most pixels of one colour (tiny files, every pixel
# decoded), and photo-like noise as large as 5 MB allows. (label, case, format, size, kind, options)
CASES = [
    ("baseline JPEG photo, 12 MP (4000x3000)", "jpeg", "JPEG", (4000, 3000), "noise", {}),
    (
        "the same, decoded at full scale (imagekit's default path)",
        "jpeg-full",
        "JPEG",
        (4000, 3000),
        "noise",
        {},
    ),
    ("baseline JPEG of one colour, 40 MP (8000x5000)", "jpeg", "JPEG", (8000, 5000), "flat", {}),
    (
        "progressive JPEG photo, 4:4:4, 5 MP (2500x2000)",
        "jpeg",
        "JPEG",
        (2500, 2000),
        "noise",
        {"progressive": True, "subsampling": 0, "quality": 95},
    ),
    ("PNG of one colour with alpha, 5 MP (2500x2000)", "png", "PNG", (2500, 2000), "flat-rgba", {}),
    (
        "PNG photo, 3.5 MP (2100x1650), about the most within 5 MB",
        "png",
        "PNG",
        (2100, 1650),
        "noise",
        {},
    ),
    ("GIF of one colour, 5 MP (2500x2000)", "gif", "GIF", (2500, 2000), "flat", {}),
    ("GIF photo, 5 MP (2500x2000)", "gif", "GIF", (2500, 2000), "noise", {}),
    ("WebP of one colour, 5 MP (2500x2000)", "webp", "WEBP", (2500, 2000), "flat", {}),
    ("WebP photo, 5 MP (2500x2000)", "webp", "WEBP", (2500, 2000), "noise", {"quality": 95}),
    (
        "PNG of one colour, 40 MP (6300x6300, 130 kB), refused",
        "refused",
        "PNG",
        (6300, 6300),
        "flat",
        {},
    ),
    ("decompression bomb (PNG declaring 20000x20000), refused", "refused", "bomb", None, "", {}),
]


def make_input(fmt: str, size, kind: str, options: dict) -> bytes:
    import django
    from PIL import Image

    django.setup()
    from tests.images import png_declaring

    if fmt == "bomb":
        return png_declaring(20000, 20000)
    if kind.startswith("flat"):
        mode = "RGBA" if kind == "flat-rgba" else "RGB"
        image = Image.new(mode, size, (200, 30, 30, 255)[: len(mode)])
    else:
        # A gradient with noise compresses like a photo, not like a flat colour.
        image = Image.linear_gradient("L").resize(size).convert("RGB")
        noise = Image.effect_noise(size, 40).convert("RGB")
        image = Image.blend(image, Image.merge("RGB", [noise.getchannel(0)] * 3), 0.3)
        image = Image.blend(image, Image.effect_noise(size, 60).convert("RGB"), 0.2)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        options = {"quality": 90, **options}
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def process(case: str, data: bytes) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.avatars import AvatarSpec, DecodeAtReducedScale, validate_avatar

    upload = SimpleUploadedFile("upload", data)
    try:
        validate_avatar(upload)
    except ValidationError:
        if case == "refused":
            return
        raise
    if case == "refused":
        raise AssertionError("this input should have been refused")
    spec = AvatarSpec(source=upload)
    if case == "jpeg-full":
        spec.processors = [p for p in spec.processors if not isinstance(p, DecodeAtReducedScale)]
    spec.generate().read()


def run_case(case: str, path: str) -> dict:
    """Runs in a child process: time ROUNDS uploads, then report the peak memory they took."""
    import django

    django.setup()
    from PIL import Image

    import accounts.avatars  # noqa: F401  (imports are not the upload's cost)

    Image.init()
    with open(path, "rb") as f:
        data = f.read()
    baseline = reset_peak_memory()
    times, cpu_times = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        process(case, data)
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - start_cpu) * 1000)
    return {
        "input_bytes": len(data),
        "median_ms": statistics.median(times),
        "median_cpu_ms": statistics.median(cpu_times),
        "peak_extra_mib": (memory_kib("VmHWM") - baseline) / 1024,
    }


def memory_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak_memory() -> int:
    """Reset the process's peak resident memory (Linux) and return the current one, in KiB."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return memory_kib("VmRSS")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], sys.argv[3])))
        return
    from django.conf import settings

    print(f"Avatar processing, {ROUNDS} rounds each (machine-dependent figures)\n")
    print("| input | size | median | median CPU | peak memory above baseline |")
    print("|---|---:|---:|---:|---:|")
    for label, case, fmt, size, kind, options in CASES:
        data = make_input(fmt, size, kind, options)
        if len(data) > settings.AVATAR_MAX_UPLOAD_BYTES:
            raise SystemExit(f"{label}: {len(data)} bytes, above the upload limit")
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            out = subprocess.run(
                [sys.executable, "-m", "bench.avatar", "--case", case, f.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        result = json.loads(out)
        print(
            f"| {label} | {result['input_bytes'] / 1024 / 1024:.2f} MiB "
            f"| {result['median_ms']:.1f} ms | {result['median_cpu_ms']:.1f} ms "
            f"| {result['peak_extra_mib']:.1f} MiB |"
        )


if __name__ == "__main__":
    main()
