"""What the explorer tests share: reading back the data an Explorer's kernel-free HTML carries."""

import json
import re

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def explorer_payload(page: str) -> dict:
    """The frames (base64 PNG), labels and alt texts embedded in an Explorer's static HTML."""
    match = re.search(r'<script type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1).replace("<\\/", "</"))
