import os

import pytest

os.environ.setdefault("CSKIT_LANG", "en")


@pytest.fixture
def write_text(tmp_path):
    """Write TEXT to tmp_path/NAME in ENCODING and return the path as str."""
    def write(name: str, text: str, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)
    return write
