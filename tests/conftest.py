import os

import pytest

os.environ["CSKIT_LANG"] = "en"


@pytest.fixture(autouse=True)
def english_messages():
    """Each test starts in English: a --lang zh run sets the message
    language for the process, and tests share worker processes."""
    from cskit.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def write_text(tmp_path):
    """Write TEXT to tmp_path/NAME in ENCODING and return the path as str."""
    def write(name: str, text: str, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)
    return write
