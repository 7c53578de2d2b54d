"""The lab fixtures of tests/lab (a fresh lab per test, served over loopback) for the attack suite."""

from tests.lab.conftest import lab, lab_template, served  # noqa: F401
