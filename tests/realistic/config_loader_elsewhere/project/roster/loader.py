import json
from pathlib import Path


def provider_config():
    return json.loads((Path(__file__).parent / "clever.json").read_text())
