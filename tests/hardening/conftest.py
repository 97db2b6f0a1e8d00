"""The isolated user folder and bundled database of the HSDS tests, for the hardening tests of layers and imports."""

from tests.hsds.conftest import env  # noqa: F401
