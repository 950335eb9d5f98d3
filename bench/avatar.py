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
# The inputs are photo-like noise, larger than the default 5 MB upload limit: measure processing.
os.environ.setdefault("AVATAR_MAX_UPLOAD_MB", "64")

ROUNDS = 15
CASES = {
    "12 MP JPEG photo (4000x3000)": "jpeg",
    "12 MP JPEG, decoded at full scale (imagekit's default path)": "jpeg-full",
    "4000x4000 PNG": "png",
    "decompression bomb (PNG declaring 20000x20000), refused": "bomb",
}


def make_input(case: str) -> bytes:
    import django
    from PIL import Image

    django.setup()
    from tests.images import png_declaring

    if case == "bomb":
        return png_declaring(20000, 20000)
    size = (4000, 4000) if case == "png" else (4000, 3000)
    # A gradient with noise compresses like a photo, not like a flat colour.
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 40).convert("RGB")
    image = Image.blend(image, noise, 0.3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG" if case == "png" else "JPEG", quality=90)
    return buffer.getvalue()


def process(case: str, data: bytes) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.avatars import AvatarSpec, DecodeAtReducedScale, validate_avatar

    upload = SimpleUploadedFile("upload", data)
    try:
        validate_avatar(upload)
    except ValidationError:
        if case == "bomb":
            return
        raise
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
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        process(case, data)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "input_bytes": len(data),
        "median_ms": statistics.median(times),
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
    print(f"Avatar processing, {ROUNDS} rounds each (machine-dependent figures)\n")
    print("| input | size | median | peak memory above baseline |")
    print("|---|---:|---:|---:|")
    for label, case in CASES.items():
        with tempfile.NamedTemporaryFile() as f:
            f.write(make_input(case))
            f.flush()
            out = subprocess.run(
                [sys.executable, "-m", "bench.avatar", "--case", case, f.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        result = json.loads(out)
        print(
            f"| {label} | {result['input_bytes'] / 1024 / 1024:.1f} MiB "
            f"| {result['median_ms']:.1f} ms | {result['peak_extra_mib']:.1f} MiB |"
        )


if __name__ == "__main__":
    main()
