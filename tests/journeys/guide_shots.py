"""Copy the guide pictures the journeys took (screenshots/guide/) into static/help/, downsized.

`make guide-screenshots` runs the browser journeys with IOM_GUIDE_SHOTS=1 and then this module.
Each picture named by iom_portal/guides.py must exist; it is scaled to at most 1100 px wide and
saved as an optimised PNG with a reduced palette (about 45 KB each, never over 150 KB).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = ROOT / "screenshots" / "guide"
TARGET = ROOT / "static" / "help"
MAX_WIDTH = 1100
# A guide shows up to six pictures; the first ones are loaded at once, and a page must stay under
# 300 KB on first load: each picture aims at 45 KB (fewer colours when needed; text stays sharp).
TARGET_BYTES = 45 * 1024
# The page shows a small copy of each picture (`-small.png`, linked to the picture): seven pictures of a
# guide would weigh more than the 300 KB a page may load.
SMALL_WIDTH = 560
SMALL_BYTES = 22 * 1024


def guide_names() -> list[str]:
    import django

    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom_portal.settings")
    django.setup()
    from iom_portal.guides import GUIDES

    return [step.shot for guide in GUIDES for step in guide.steps if step.shot]


def shrink(source: Path, target: Path, *, width: int = MAX_WIDTH, budget: int = TARGET_BYTES) -> int:
    from PIL import Image

    image = Image.open(source).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    for colours in (128, 64, 32, 16):
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, "PNG", optimize=True)
        if target.stat().st_size <= budget:
            break
    return target.stat().st_size


def small_name(name: str) -> str:
    return Path(name).stem + "-small.png"


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for name in guide_names():
        source = SOURCE / name
        if not source.exists():
            missing.append(name)
            continue
        size = shrink(source, TARGET / name)
        small = shrink(source, TARGET / small_name(name), width=SMALL_WIDTH, budget=SMALL_BYTES)
        print(f"{name}: {size // 1024} KB, small copy {small // 1024} KB")
    if missing:
        print("not taken by the journeys:", ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
