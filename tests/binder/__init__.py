"""Tests of the binder, numbers and conversions."""
